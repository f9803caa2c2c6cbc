from django.urls import path

from . import views

app_name = "childcare"

urlpatterns = [
    # A provider, without an account, from her link.
    path("reponse/<str:token>/", views.answer, name="answer"),
    # Advisers.
    path("<slug:slug>/besoins/", views.need_list, name="needs"),
    path("<slug:slug>/besoins/ajouter/", views.need_add, name="need_add"),
    path("<slug:slug>/besoins/<int:pk>/", views.need_detail, name="need"),
    path("<slug:slug>/besoins/<int:pk>/solutions/", views.need_propose, name="need_propose"),
    path(
        "<slug:slug>/besoins/<int:pk>/solutions/<int:proposal_pk>/envoyer/", views.proposal_send, name="proposal_send"
    ),
]
