"""The bookings' settings pages (motifs, resources, opening schedules): names in the ``bookings`` namespace."""

from django.urls import path

from . import setup_views

urlpatterns = [
    path("", setup_views.overview, name="setup"),
    path("motifs/ajouter/", setup_views.motif_edit, name="setup_motif_add"),
    path("motifs/<int:pk>/", setup_views.motif_edit, name="setup_motif_edit"),
    path("ressources/ajouter/", setup_views.resource_edit, name="setup_resource_add"),
    path("ressources/<int:pk>/", setup_views.resource_edit, name="setup_resource_edit"),
    path("plages/ajouter/", setup_views.schedule_edit, name="setup_schedule_add"),
    path("plages/<int:pk>/", setup_views.schedule_edit, name="setup_schedule_edit"),
    path("plages/<int:pk>/terminer/", setup_views.schedule_end, name="setup_schedule_end"),
]
