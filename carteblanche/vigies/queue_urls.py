"""The structure's and partners' pages: the queue, a signal's file and its steps, the network's vigies."""

from django.urls import path

from . import queue_views

urlpatterns = [
    path("<slug:slug>/file/", queue_views.queue, name="queue"),
    path("<slug:slug>/signalements/<int:pk>/", queue_views.signal_detail, name="signal"),
    path("<slug:slug>/signalements/<int:pk>/qualifier/", queue_views.signal_qualify, name="signal_qualify"),
    path("<slug:slug>/signalements/<int:pk>/confier/", queue_views.signal_assign, name="signal_assign"),
    path("<slug:slug>/signalements/<int:pk>/reponse/", queue_views.signal_answer, name="signal_answer"),
    path("<slug:slug>/signalements/<int:pk>/contact/", queue_views.signal_contact, name="signal_contact"),
    path("<slug:slug>/signalements/<int:pk>/clore/", queue_views.signal_close, name="signal_close"),
    path("<slug:slug>/signalements/<int:pk>/informee/", queue_views.signal_inform, name="signal_inform"),
    path("<slug:slug>/signalements/<int:pk>/opposition/", queue_views.signal_object, name="signal_object"),
    path("<slug:slug>/signalements/<int:pk>/espace/", queue_views.signal_person_link, name="signal_person_link"),
    path("<slug:slug>/vigies/", queue_views.vigies, name="vigies"),
    path("<slug:slug>/vigies/<int:pk>/lien/", queue_views.vigie_link, name="vigie_link"),
]
