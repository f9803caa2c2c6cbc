from django.urls import path

from . import views

app_name = "codesign"
urlpatterns = [
    path("operations/<slug:slug>/personas/", views.persona_list, name="personas"),
    path("operations/<slug:slug>/personas/nouvelle/", views.persona_create, name="persona_create"),
    path("operations/<slug:slug>/personas/<int:pk>/", views.persona_detail, name="persona"),
    path("operations/<slug:slug>/personas/<int:pk>/modifier/", views.persona_edit, name="persona_edit"),
    path("operations/<slug:slug>/ateliers/", views.workshop_list, name="workshops"),
    path("operations/<slug:slug>/ateliers/nouveau/", views.workshop_edit, name="workshop_create"),
    path("operations/<slug:slug>/ateliers/<int:pk>/", views.workshop_detail, name="workshop"),
    path("operations/<slug:slug>/ateliers/<int:pk>/modifier/", views.workshop_edit, name="workshop_edit"),
    path("operations/<slug:slug>/ateliers/<int:pk>/tableau/", views.workshop_board, name="board"),
    path("atelier/<uuid:invitation>/", views.join, name="join"),
    path("atelier/<uuid:invitation>/participer/", views.participate, name="participate"),
    path("atelier/<uuid:invitation>/idees/", views.participate_ideas, name="participate_ideas"),
]
