from django.urls import path

from . import views

app_name = "rights"

urlpatterns = [
    path("droits/<slug:slug>/", views.console, name="console"),
    path("droits/<slug:slug>/nouveau/", views.register, name="register"),
    path("droits/<slug:slug>/imports/", views.imports, name="imports"),
    path("droits/<slug:slug>/imports/<int:pk>/", views.import_detail, name="import"),
    path("droits/<slug:slug>/examen/", views.start_screening, name="screening"),
    path("droits/<slug:slug>/orientations/", views.referral_inbox, name="referrals"),
    path("droits/<slug:slug>/orientations/<int:pk>/reponse/", views.referral_answer, name="referral_answer"),
    path("droits/<slug:slug>/usagers/<uuid:public_id>/", views.person_detail, name="person"),
    path("droits/<slug:slug>/usagers/<uuid:public_id>/simulation/", views.simulate, name="simulate"),
    path("droits/<slug:slug>/usagers/<uuid:public_id>/suivi/", views.add_follow_up, name="follow_up"),
    path("droits/<slug:slug>/usagers/<uuid:public_id>/orientation/", views.refer, name="refer"),
    path("droits/<slug:slug>/usagers/<uuid:public_id>/situation/", views.situation, name="situation"),
    path("droits/<slug:slug>/usagers/<uuid:public_id>/situation/revenus/", views.correct_incomes, name="incomes"),
    path("droits/<slug:slug>/usagers/<uuid:public_id>/situation/logement/", views.correct_housing, name="housing"),
    path("droits/<slug:slug>/usagers/<uuid:public_id>/foyer/", views.add_member, name="add_member"),
    path(
        "droits/<slug:slug>/usagers/<uuid:public_id>/conjoint/consentement/",
        views.partner_consent,
        name="partner_consent",
    ),
    path("droits/<slug:slug>/usagers/<uuid:public_id>/foyer/<int:pk>/", views.correct_member, name="member"),
    path(
        "droits/<slug:slug>/usagers/<uuid:public_id>/foyer/<int:pk>/retirer/",
        views.remove_member,
        name="remove_member",
    ),
    path(
        "droits/<slug:slug>/usagers/<uuid:public_id>/consentements/<int:pk>/retirer/",
        views.revoke_at_counter,
        name="revoke",
    ),
    path("mon-espace/", views.space_login, name="space_login"),
    path("mon-espace/lien/<str:token>/", views.space_enter, name="space_enter"),
    path("mon-espace/sms/", views.space_sms, name="space_sms"),
    path("mon-espace/code/", views.space_code, name="space_code"),
    path("mon-espace/dossier/", views.space, name="space"),
    path("mon-espace/consentements/nouveau/", views.space_consent, name="space_consent"),
    path("mon-espace/consentements/<int:pk>/retirer/", views.space_revoke, name="space_revoke"),
    path("mon-espace/signalements/<int:pk>/opposition/", views.space_signal_object, name="space_signal_object"),
    path("mon-espace/registre/<int:pk>/sortie/", views.space_register_leave, name="space_register_leave"),
    path("mon-espace/deconnexion/", views.space_logout, name="space_logout"),
    path("mon-espace/franceconnect/", views.franceconnect_start, name="franceconnect"),
    path("mon-espace/franceconnect/retour/", views.franceconnect_callback, name="franceconnect_callback"),
    path("mon-espace/franceconnect/fin/", views.franceconnect_logged_out, name="franceconnect_logged_out"),
    path("mon-espace/franceconnect/dossier/", views.franceconnect_register, name="franceconnect_register"),
    path("mon-espace/export.<str:fmt>", views.space_export, name="space_export"),
]
