"""The vigies' public pages: a vigie's page from her personal link, a resident's form for her territory."""

from django.urls import path

from . import public_views

urlpatterns = [
    path("v/<str:token>/", public_views.vigie, name="vigie"),
    path("<slug:slug>/signaler/", public_views.resident_signal, name="resident_signal"),
]
