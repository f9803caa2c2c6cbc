from django.urls import path

from . import coverage_views, provider_views, views

app_name = "childcare"

urlpatterns = [
    # A provider, without an account, from her link.
    path("reponse/<str:token>/", views.answer, name="answer"),
    path("disponibilites/<str:token>/", provider_views.availability, name="availability"),
    # Advisers.
    path("<slug:slug>/accueillants/", provider_views.providers, name="providers"),
    path("<slug:slug>/accueillants.csv", provider_views.providers_csv, name="providers_csv"),
    path("<slug:slug>/accueillants/rappels/", provider_views.providers_remind, name="providers_remind"),
    path("<slug:slug>/couverture/", coverage_views.coverage, name="coverage"),
    path("<slug:slug>/couverture.csv", coverage_views.coverage_csv, name="coverage_csv"),
    path("<slug:slug>/couverture.geojson", coverage_views.coverage_geojson, name="coverage_geojson"),
    path("<slug:slug>/besoins/", views.need_list, name="needs"),
    path("<slug:slug>/besoins/ajouter/", views.need_add, name="need_add"),
    path("<slug:slug>/besoins/<int:pk>/", views.need_detail, name="need"),
    path("<slug:slug>/besoins/<int:pk>/solutions/", views.need_propose, name="need_propose"),
    path(
        "<slug:slug>/besoins/<int:pk>/solutions/<int:proposal_pk>/envoyer/", views.proposal_send, name="proposal_send"
    ),
]
