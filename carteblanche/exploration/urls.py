from django.urls import path

from . import views

app_name = "exploration"
urlpatterns = [
    path("operations/<slug:slug>/terrain/", views.visit_list, name="visits"),
    path("operations/<slug:slug>/terrain/nouvelle/", views.visit_edit, name="visit_create"),
    path("operations/<slug:slug>/terrain/<int:pk>/", views.visit_detail, name="visit"),
    path("operations/<slug:slug>/terrain/<int:pk>/modifier/", views.visit_edit, name="visit_edit"),
    path("operations/<slug:slug>/terrain/<int:pk>/pieces-jointes/", views.attachment_add, name="attachment_add"),
    path(
        "operations/<slug:slug>/terrain/<int:pk>/pieces-jointes/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path("operations/<slug:slug>/terrain/<int:pk>/extraits/", views.excerpt_add, name="excerpt_add"),
    path(
        "operations/<slug:slug>/terrain/<int:pk>/extraits/<int:excerpt_pk>/supprimer/",
        views.excerpt_delete,
        name="excerpt_delete",
    ),
    path("operations/<slug:slug>/codes/", views.codebook, name="codes"),
    path("operations/<slug:slug>/extraits/", views.excerpt_list, name="excerpts"),
    path("operations/<slug:slug>/extraits/export.<str:fmt>", views.excerpts_export, name="excerpts_export"),
    path("operations/<slug:slug>/irritants/", views.irritant_list, name="irritants"),
    path("operations/<slug:slug>/irritants/nouveau/", views.irritant_create, name="irritant_create"),
    path("operations/<slug:slug>/irritants/similaires/", views.irritant_similar, name="irritant_similar"),
    path("operations/<slug:slug>/irritants/guichet/", views.counter_capture, name="counter"),
    path("operations/<slug:slug>/irritants/importer/", views.irritant_import, name="import"),
    path("operations/<slug:slug>/irritants/<int:pk>/", views.irritant_detail, name="irritant"),
    path("operations/<slug:slug>/irritants/<int:pk>/modifier/", views.irritant_edit, name="irritant_edit"),
    path("operations/<slug:slug>/irritants/<int:pk>/fusionner/", views.irritant_merge, name="irritant_merge"),
    path("operations/<slug:slug>/irritants/<int:pk>/preuves/", views.evidence_add, name="evidence_add"),
    path(
        "operations/<slug:slug>/irritants/<int:pk>/preuves/<int:evidence_pk>/retirer/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path(
        "operations/<slug:slug>/irritants/<int:pk>/coordonnees/<int:report_pk>/",
        views.contact_reveal,
        name="contact",
    ),
    path("operations/<slug:slug>/themes/", views.theme_list, name="themes"),
    path("operations/<slug:slug>/themes/<int:pk>/", views.theme_detail, name="theme"),
    path("operations/<slug:slug>/priorites/", views.priorities, name="priorities"),
    path("participer/<slug:slug>/", views.public_report, name="public_report"),
    path("participer/<slug:slug>/merci/", views.public_thanks, name="public_thanks"),
]
