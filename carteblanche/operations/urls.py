from django.urls import path

from . import views

app_name = "operations"
urlpatterns = [
    path("operations/", views.operation_list, name="operations"),
    path("operations/nouvelle/<slug:territory_slug>/", views.operation_create, name="operation_create"),
    path("operations/<slug:slug>/", views.operation_detail, name="operation"),
    path("operations/<slug:slug>/modifier/", views.operation_edit, name="operation_edit"),
    path("operations/<slug:slug>/phases/nouvelle/", views.phase_create, name="phase_create"),
    path("operations/<slug:slug>/phases/<int:pk>/", views.phase_edit, name="phase"),
    path("operations/<slug:slug>/phases/<int:pk>/supprimer/", views.phase_delete, name="phase_delete"),
]
