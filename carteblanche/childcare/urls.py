from django.urls import path

from . import views

app_name = "childcare"

urlpatterns = [
    # A provider, without an account, from her link.
    path("reponse/<str:token>/", views.answer, name="answer"),
]
