from django.urls import path

from . import views

app_name = "territories"
urlpatterns = [
    path("", views.territory_list, name="list"),
    path("<slug:slug>/", views.territory_detail, name="detail"),
    path("<slug:slug>/communes.geojson", views.territory_geojson, name="geojson"),
    path("<slug:slug>/membres/", views.territory_members, name="members"),
    path("<slug:slug>/accessibilite-semaine/", views.start_access_week, name="access_week"),
]
