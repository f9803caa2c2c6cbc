from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, PasswordChangeForm, UserChangeForm
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from . import second_factor
from .models import User


class ThrottledLogin:
    """Every staff login form (the site's and the administration's) counts its failures in the same throttle:
    the known browser's own, else the account's and the address's (``second_factor.login_throttle_for``).

    While slowed, a wrong password is refused (and counted); the right password of an account with a second factor
    still leads to the code: others' failures never lock an agent out, and the code has its own limit."""

    def clean(self):
        email = self.cleaned_data.get("username") or ""
        throttle, key = second_factor.login_throttle_for(self.request, email)
        wait = throttle.wait(self.request, key)
        if wait:
            refused = ValidationError(second_factor.throttled_login_message(wait), code="throttled")
            try:
                cleaned = super().clean()
            except ValidationError:
                throttle.hit(self.request, key)
                raise refused from None
            if not second_factor.is_enrolled(self.user_cache):
                raise refused
            return cleaned
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.hit(self.request, key)
            raise
        throttle.clear(self.request, key)
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
        "proconnect_only": "Sur ce service, les agents se connectent avec ProConnect : utilisez le bouton "
        "« S'identifier avec ProConnect ».",
    }

    def confirm_login_allowed(self, user):
        """Production: agents log in with ProConnect, administrators keep their password (and second factor)."""
        super().confirm_login_allowed(user)
        if not settings.AGENT_PASSWORDS_ALLOWED and not user.is_superuser:
            raise ValidationError(self.error_messages["proconnect_only"], code="proconnect_only")


class AdminLoginForm(ThrottledLogin, AdminAuthenticationForm):
    """The administration's login, under the same limit as the site's: no second door without a lock."""


class SecondFactorForm(DsfrBaseForm):
    code = forms.CharField(
        label="Code de vérification",
        help_text="Les 6 chiffres affichés par votre application d'authentification, ou un code de secours.",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


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
