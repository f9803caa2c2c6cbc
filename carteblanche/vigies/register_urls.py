from django.urls import path

from . import register_views

urlpatterns = [
    path("<slug:slug>/plans/", register_views.campaigns, name="campaigns"),
    path("<slug:slug>/plans/<int:pk>/", register_views.campaign, name="campaign"),
    path("<slug:slug>/plans/<int:pk>/avancement/", register_views.campaign_progress, name="campaign_progress"),
    path("<slug:slug>/plans/<int:pk>/appels/<int:entry>/", register_views.call, name="call"),
    path("<slug:slug>/plans/<int:pk>/export.csv", register_views.campaign_csv, name="campaign_csv"),
    path("<slug:slug>/plans/<int:pk>/lever/", register_views.campaign_end, name="campaign_end"),
]
