from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, PasswordChangeForm, UserChangeForm
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from carteblanche.core.throttle import Throttle

from .models import User

# Staff logins: five failures for one account, or twenty from one address, wait a quarter of an hour.
LOGIN_THROTTLE = Throttle("login", {"account": 5, "address": 20})


THROTTLED_MESSAGE = "Trop de tentatives de connexion : pour votre sécurité, réessayez dans 15 minutes."


class ThrottledLogin:
    """Every staff login form (the site's and the administration's) counts its failures in ``LOGIN_THROTTLE``."""

    def clean(self):
        email = self.cleaned_data.get("username") or ""
        if LOGIN_THROTTLE.is_blocked(self.request, email):
            raise ValidationError(THROTTLED_MESSAGE, code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            LOGIN_THROTTLE.hit(self.request, email)
            raise
        LOGIN_THROTTLE.clear(self.request, email)
        return cleaned


class LoginForm(ThrottledLogin, DsfrBaseForm, AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail",
        help_text="Format attendu : prenom.nom@exemple.fr",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Mot de passe", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect. Vérifiez-les et réessayez.",
        "inactive": "Ce compte est désactivé. Contactez l'équipe projet de votre territoire.",
        "throttled": THROTTLED_MESSAGE,
    }


class AdminLoginForm(ThrottledLogin, AdminAuthenticationForm):
    """The administration's login, under the same limit as the site's: no second door without a lock."""


class CarteBlanchePasswordChangeForm(DsfrBaseForm, PasswordChangeForm):
    pass


def _unique_email(form, email: str) -> str:
    email = email.strip().lower()
    others = User.objects.filter(email__iexact=email)
    if form.instance.pk:
        others = others.exclude(pk=form.instance.pk)
    if others.exists():
        raise ValidationError("Un compte existe déjà avec cette adresse e-mail.")
    return email


class UserAdminCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self):
        return _unique_email(self, self.cleaned_data["email"])


class UserAdminChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self):
        return _unique_email(self, self.cleaned_data["email"])
