from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("taches/<uuid:pk>/", views.job_detail, name="job"),
    path("taches/<uuid:pk>/progression/", views.job_progress, name="job_progress"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.personal_data, name="personal_data"),
    path("plan-du-site/", views.sitemap, name="sitemap"),
    path("sante/", views.health, name="health"),
    path("donnees-personnelles/verifier/", views.personal_data_check, name="personal_data_check"),
]
