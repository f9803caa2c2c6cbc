from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    # The questionnaire: no account.
    path("avis/<slug:code>/", views.answer_poster, name="answer"),
    path("avis/<slug:code>/merci/", views.thanks, name="thanks"),
    path("avis/lien/<str:token>/", views.answer_link, name="answer_link"),
    path("avis/tablette/<str:token>/", views.answer_kiosk, name="kiosk"),
    path("avis/tablette/<str:token>/manifeste.webmanifest", views.kiosk_manifest, name="kiosk_manifest"),
    # Published results: no account.
    path("qualite/<slug:slug>/", views.public_territory, name="public_territory"),
    path("qualite/<slug:slug>/<str:what>.<str:fmt>", views.export, name="export"),
    path("qualite/<slug:slug>/structures/<slug:code>/", views.public_structure, name="public_structure"),
    path("qualite/<slug:slug>/structures/<slug:code>/raconter/", views.tell, name="tell"),
    # The staff's pages.
    path("qualite/<slug:slug>/suivi/", views.desk, name="desk"),
    path("qualite/<slug:slug>/suivi/qualite.ods", views.export_ods, name="export_ods"),
    path("qualite/<slug:slug>/suivi/ajouter/", views.structure_edit, name="structure_add"),
    path("qualite/<slug:slug>/suivi/reponses/", views.answers, name="answers"),
    path("qualite/<slug:slug>/suivi/reponses/<int:pk>/", views.answer_review, name="answer_review"),
    path("qualite/<slug:slug>/suivi/experiences/", views.experiences, name="experiences"),
    path("qualite/<slug:slug>/suivi/experiences/<int:pk>/", views.experience, name="experience"),
    path("qualite/<slug:slug>/suivi/<int:pk>/", views.structure_detail, name="structure"),
    path("qualite/<slug:slug>/suivi/<int:pk>/modifier/", views.structure_edit, name="structure_edit"),
    path("qualite/<slug:slug>/suivi/<int:pk>/arrivee/", views.visit_arrive, name="visit_arrive"),
    path("qualite/<slug:slug>/suivi/<int:pk>/passages/<int:visit_pk>/recu/", views.visit_seen, name="visit_seen"),
    path("qualite/<slug:slug>/suivi/<int:pk>/passages/<int:visit_pk>/fin/", views.visit_done, name="visit_done"),
    path(
        "qualite/<slug:slug>/suivi/<int:pk>/passages/<int:visit_pk>/reponse/",
        views.visit_answered,
        name="visit_answered",
    ),
    path("qualite/<slug:slug>/suivi/<int:pk>/passages/<int:visit_pk>/avis/", views.visit_invite, name="visit_invite"),
    path("qualite/<slug:slug>/suivi/<int:pk>/appels/", views.calls, name="calls"),
    path("qualite/<slug:slug>/suivi/<int:pk>/papier/", views.paper, name="paper"),
    path("qualite/<slug:slug>/suivi/<int:pk>/affiche.pdf", views.poster, name="poster"),
    path("qualite/<slug:slug>/suivi/<int:pk>/tablette/", views.kiosk, name="kiosk_open"),
    path("qualite/<slug:slug>/suivi/<int:pk>/recontacts/", views.recontacts, name="recontacts"),
    path(
        "qualite/<slug:slug>/suivi/<int:pk>/recontacts/<int:recontact_pk>/fait/",
        views.recontact_done,
        name="recontact_done",
    ),
]
