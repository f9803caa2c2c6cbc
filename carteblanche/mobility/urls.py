from django.urls import path

from . import views

app_name = "mobility"

urlpatterns = [
    path("bus/<slug:slug>/", views.dashboard, name="dashboard"),
    path("bus/<slug:slug>/reglages/", views.settings_edit, name="settings"),
    path("bus/<slug:slug>/bus/ajouter/", views.bus_edit, name="bus_add"),
    path("bus/<slug:slug>/bus/<int:pk>/", views.bus_edit, name="bus_edit"),
    path("bus/<slug:slug>/bus/<int:pk>/jour/<int:weekday>/", views.shift_edit, name="shift"),
    path("bus/<slug:slug>/arrets/ajouter/", views.stop_edit, name="stop_add"),
    path("bus/<slug:slug>/arrets/<int:pk>/", views.stop_edit, name="stop_edit"),
    path("bus/<slug:slug>/temps-routiers/", views.road_times, name="road_times"),
    path("bus/<slug:slug>/temps-routiers/points.csv", views.road_points, name="road_points"),
    path("bus/<slug:slug>/plans/calculer/", views.plan_start, name="plan_start"),
    path("bus/<slug:slug>/plans/<int:pk>/", views.plan_detail, name="plan"),
    path("bus/<slug:slug>/plans/<int:pk>/publier/", views.plan_publish, name="plan_publish"),
    path("bus/<slug:slug>/passages/", views.public_timetable, name="public"),
    path("bus/<slug:slug>/passages/carte.geojson", views.public_geojson, name="public_geojson"),
    path("bus/<slug:slug>/passages/<str:insee>/", views.public_commune, name="public_commune"),
    path("bus/<slug:slug>/passages/<str:insee>/calendrier.ics", views.public_commune_ics, name="public_ics"),
    path("bus/<slug:slug>/passages/<str:insee>/affiche.pdf", views.public_commune_poster, name="public_poster"),
]
