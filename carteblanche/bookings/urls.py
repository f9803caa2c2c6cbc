from django.urls import include, path

from . import views

app_name = "bookings"

urlpatterns = [
    # Residents, without an account.
    path("mon-rendez-vous/<str:token>/", views.manage, name="manage"),
    path("mon-rendez-vous/<str:token>/annuler/", views.manage_cancel, name="manage_cancel"),
    path("mon-rendez-vous/<str:token>/deplacer/", views.manage_move, name="manage_move"),
    path("mon-rendez-vous/<str:token>/rendez-vous.ics", views.manage_ics, name="manage_ics"),
    path("creneau-libere/<str:token>/", views.offer, name="offer"),
    path("abonnement/<str:token>/agenda.ics", views.feed, name="feed"),
    path("<slug:slug>/", views.public_motifs, name="public_motifs"),
    path("<slug:slug>/motifs/<int:pk>/", views.public_slots, name="public_slots"),
    path("<slug:slug>/motifs/<int:pk>/liste-attente/", views.waitlist, name="waitlist"),
    path("<slug:slug>/motifs/<int:pk>/<str:key>/", views.public_book, name="public_book"),
    # Staff.
    path("<slug:slug>/parametrage/", include("carteblanche.bookings.setup_urls")),
    path("<slug:slug>/guichet/", views.counter, name="counter"),
    path("<slug:slug>/guichet/<int:pk>/", views.counter_slots, name="counter_slots"),
    path("<slug:slug>/guichet/<int:pk>/<str:key>/", views.counter_book, name="counter_book"),
    path("<slug:slug>/agenda/", views.day, name="day"),
    path("<slug:slug>/chiffres/", views.figures_page, name="figures"),
    path("<slug:slug>/agenda/absence/", views.absence, name="absence"),
    path("<slug:slug>/agenda/abonnement/", views.feed_manage, name="feed_manage"),
    path("<slug:slug>/agenda/<int:pk>/", views.appointment, name="appointment"),
    path("<slug:slug>/agenda/<int:pk>/etat/", views.appointment_mark, name="appointment_mark"),
    path("<slug:slug>/agenda/<int:pk>/annuler/", views.appointment_cancel, name="appointment_cancel"),
]
