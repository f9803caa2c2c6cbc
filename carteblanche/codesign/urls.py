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
    path("operations/<slug:slug>/ateliers/<int:pk>/projection/", views.workshop_projector, name="projector"),
    path("operations/<slug:slug>/experimentations/", views.experiment_list, name="experiments"),
    path("operations/<slug:slug>/experimentations/nouvelle/", views.experiment_create, name="experiment_create"),
    path("operations/<slug:slug>/experimentations/<int:pk>/", views.experiment_detail, name="experiment"),
    path(
        "operations/<slug:slug>/experimentations/<int:experiment_pk>/derogation/",
        views.derogation_create,
        name="derogation_create",
    ),
    path("operations/<slug:slug>/derogations/", views.derogation_list, name="derogations"),
    path("derogations/a-decider/", views.derogation_inbox, name="derogation_inbox"),
    path("operations/<slug:slug>/derogations/<int:pk>/", views.derogation_detail, name="derogation"),
    path("operations/<slug:slug>/derogations/<int:pk>/arrete.pdf", views.derogation_pdf, name="derogation_pdf"),
    path("operations/<slug:slug>/reproduire/", views.operation_replicate, name="replicate"),
    path("operations/<slug:slug>/hackathons/", views.hackathon_list, name="hackathons"),
    path("operations/<slug:slug>/hackathons/nouveau/", views.hackathon_create, name="hackathon_create"),
    path("operations/<slug:slug>/hackathons/<int:pk>/", views.hackathon_detail, name="hackathon"),
    path("operations/<slug:slug>/hackathons/<int:pk>/jury/", views.hackathon_jury, name="hackathon_jury"),
    path("operations/<slug:slug>/bilan.<str:fmt>", views.operation_report, name="report"),
    path("atelier/<uuid:invitation>/", views.join, name="join"),
    path("atelier/<uuid:invitation>/participer/", views.participate, name="participate"),
    path("atelier/<uuid:invitation>/idees/", views.participate_ideas, name="participate_ideas"),
]
