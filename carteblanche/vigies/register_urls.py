from django.urls import path

from . import register_book_views, register_views

urlpatterns = [
    path("<slug:slug>/plans/", register_views.campaigns, name="campaigns"),
    path("<slug:slug>/plans/<int:pk>/", register_views.campaign, name="campaign"),
    path("<slug:slug>/plans/<int:pk>/avancement/", register_views.campaign_progress, name="campaign_progress"),
    path("<slug:slug>/plans/<int:pk>/appels/<int:entry>/", register_views.call, name="call"),
    path("<slug:slug>/plans/<int:pk>/export.csv", register_views.campaign_csv, name="campaign_csv"),
    path("<slug:slug>/plans/<int:pk>/lever/", register_views.campaign_end, name="campaign_end"),
]

urlpatterns += [
    path("<slug:slug>/registre/", register_book_views.book, name="register_book"),
    path("<slug:slug>/registre/inscrire/", register_book_views.entry_new, name="register_new"),
    path("<slug:slug>/registre/importer/", register_book_views.list_import, name="register_import"),
    path("<slug:slug>/registre/<int:pk>/", register_book_views.entry, name="register_entry"),
    path("<slug:slug>/registre/<int:pk>/courrier.pdf", register_book_views.entry_letter, name="register_letter"),
    path(
        "<slug:slug>/registre/<int:pk>/courrier-envoye/",
        register_book_views.entry_letter_sent,
        name="register_letter_sent",
    ),
    path("<slug:slug>/registre/<int:pk>/sortie/", register_book_views.entry_leave, name="register_leave"),
]
