from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("connexion/code/", views.second_factor_view, name="second_factor"),
    path("connexion/double-authentification/", views.second_factor_setup, name="second_factor_setup"),
    path("mon-compte/codes-de-secours/", views.backup_codes_renew, name="backup_codes_renew"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("connexion/proconnect/", views.proconnect_start, name="proconnect"),
    path("connexion/proconnect/retour/", views.proconnect_callback, name="proconnect_callback"),
    path("connexion/sans-role/", views.no_role, name="no_role"),
    path("deconnexion/fin/", views.oidc_logged_out, name="oidc_logged_out"),
    path("mon-compte/", views.account, name="account"),
    path("mon-compte/mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
]
