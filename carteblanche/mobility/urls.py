from django.urls import path

from . import ride_views, views

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

urlpatterns += [
    path("trajets/<slug:slug>/", ride_views.desk, name="rides"),
    path("trajets/<slug:slug>/passagers/", ride_views.passengers, name="passengers"),
    path("trajets/<slug:slug>/passagers/inscrire/", ride_views.passenger_edit, name="passenger_add"),
    path("trajets/<slug:slug>/passagers/<int:pk>/", ride_views.passenger_edit, name="passenger_edit"),
    path("trajets/<slug:slug>/chauffeurs/", ride_views.drivers, name="drivers"),
    path("trajets/<slug:slug>/chauffeurs/inscrire/", ride_views.driver_edit, name="driver_add"),
    path("trajets/<slug:slug>/chauffeurs/<int:pk>/", ride_views.driver_edit, name="driver_edit"),
    path("trajets/<slug:slug>/reserver/", ride_views.ride_add, name="ride_add"),
    path("trajets/<slug:slug>/demandes/<int:pk>/", ride_views.ride_detail, name="ride"),
    path("trajets/<slug:slug>/demandes/<int:pk>/attribuer/", ride_views.ride_assign, name="ride_assign"),
    path("trajets/<slug:slug>/demandes/<int:pk>/annuler/", ride_views.ride_cancel, name="ride_cancel"),
    path("trajets/<slug:slug>/demandes/<int:pk>/effectue/", ride_views.ride_trip, name="ride_trip"),
    path("trajets/<slug:slug>/demandes/<int:pk>/relancer/", ride_views.ride_rematch, name="ride_rematch"),
    path("trajets/<slug:slug>/bilan/<int:year>/", ride_views.yearly, name="rides_year"),
    path("trajets/<slug:slug>/arrets-sur-le-pouce/ajouter/", ride_views.hitchhiking_add, name="hitchhiking_add"),
    path("trajets/reponse/<str:token>/", ride_views.answer, name="answer"),
]
