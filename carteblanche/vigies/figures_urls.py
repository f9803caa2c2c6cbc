"""The vigies' figures for the territory: the page, its CSV and its map's GeoJSON (anonymised counts only)."""

from django.urls import path

from . import figures_views

urlpatterns = [
    path("<slug:slug>/chiffres/", figures_views.figures_page, name="figures"),
    path("<slug:slug>/chiffres/export.csv", figures_views.figures_csv, name="figures_csv"),
    path("<slug:slug>/chiffres/carte.geojson", figures_views.figures_geojson, name="figures_geojson"),
]
