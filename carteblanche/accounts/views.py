from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core.demo import DEMO_ACCOUNTS

from . import oidc, proconnect, second_factor
from .forms import CarteBlanchePasswordChangeForm, LoginForm, SecondFactorForm


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": "Connexion", "demo_accounts": DEMO_ACCOUNTS, "breadcrumb_data": {"current": "Connexion"}}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        prov = oidc.provider("proconnect")
        if prov.configured:  # a server without ProConnect shows no button
            context["proconnect_ok"], context["proconnect_why"] = prov.available()
            context["proconnect"] = True
        context["passwords_allowed"] = settings.AGENT_PASSWORDS_ALLOWED
        return context

    def get_success_url(self):
        url = super().get_success_url()
        if second_factor.is_required(self.request.user):
            name = "second_factor" if second_factor.is_enrolled(self.request.user) else "second_factor_setup"
            return reverse(f"accounts:{name}") + "?" + urlencode({"next": url})
        return url


class LogoutView(auth_views.LogoutView):
    """Leaving Carte blanche; after a ProConnect login, leaving ProConnect too (its end of session, with the ID
    token as hint and a state checked on the way back)."""

    def post(self, request, *args, **kwargs):
        login = request.session.get(oidc.SESSION_KEY)
        response = super().post(request, *args, **kwargs)
        if login:
            url = oidc.logout_url(request, login)
            if url:
                return redirect(url)
        return response


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if safe else reverse("core:home")


def _second_step_context(request, title: str, **extra) -> dict:
    return {"title": title, "next": _next_url(request), "breadcrumb_data": {"current": title}, **extra}


def second_factor_view(request):
    """The second step of a login: the code of the authenticator application, or a backup code."""
    if not second_factor.is_required(request.user) or request.user.is_verified():
        return redirect(_next_url(request))
    if not second_factor.is_enrolled(request.user):
        return redirect(reverse("accounts:second_factor_setup") + "?" + urlencode({"next": _next_url(request)}))
    form = SecondFactorForm(request.POST or None)
    if form.is_valid():
        outcome = second_factor.second_factor_verify(request=request, code=form.cleaned_data["code"])
        if outcome.ok:
            response = redirect(_next_url(request))
            second_factor.remember_device(response, request.user)
            return response
        form.add_error("code", outcome.message)
    context = _second_step_context(request, "Code de vérification", form=form)
    return render(request, "accounts/second_factor.html", context)


def second_factor_setup(request):
    """First login of a password account: it pairs an authenticator application, then keeps its backup codes."""
    if not second_factor.is_required(request.user) or request.user.is_verified():
        return redirect(_next_url(request))
    if second_factor.is_enrolled(request.user):
        return redirect(reverse("accounts:second_factor") + "?" + urlencode({"next": _next_url(request)}))
    device = second_factor.enrolment_start(user=request.user)
    form = SecondFactorForm(request.POST or None)
    if form.is_valid():
        outcome = second_factor.enrolment_confirm(request=request, device=device, code=form.cleaned_data["code"])
        if outcome.ok:
            response = render(
                request,
                "accounts/backup_codes.html",
                _second_step_context(request, "Vos codes de secours", codes=outcome.backup_codes),
            )
            second_factor.remember_device(response, request.user)
            return response
        form.add_error("code", outcome.message)
    context = _second_step_context(
        request,
        "Activer la double authentification",
        form=form,
        qr_code=second_factor.qr_code(device),
        secret=second_factor.secret_for_display(device),
    )
    return render(request, "accounts/second_factor_setup.html", context)


@require_POST
def backup_codes_renew(request):
    if not second_factor.is_enrolled(request.user):
        raise PermissionDenied("La double authentification n'est pas activée sur ce compte.")
    codes = second_factor.backup_codes_renew(user=request.user)
    return render(
        request,
        "accounts/backup_codes.html",
        {"title": "Vos codes de secours", "codes": codes, "next": reverse("accounts:account"), "renewed": True},
    )


def account(request):
    memberships = request.user.memberships.select_related("territory", "organisation").order_by("territory__name")
    context = {
        "title": "Mon compte",
        "memberships": memberships,
        "breadcrumb_data": {"current": "Mon compte"},
        "second_factor_on": second_factor.is_enrolled(request.user),
        "backup_codes_left": second_factor.backup_codes_left(request.user),
    }
    return render(request, "accounts/account.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = CarteBlanchePasswordChangeForm
    success_url = reverse_lazy("accounts:account")
    extra_context = {
        "title": "Changer de mot de passe",
        "breadcrumb_data": {"links": [{"url": "/mon-compte/", "title": "Mon compte"}], "current": "Mot de passe"},
    }

    def form_valid(self, form):
        response = super().form_valid(form)
        JournalEntry.log(action=Action.PASSWORD_CHANGED, actor=self.request.user, target=self.request.user)
        messages.success(self.request, "Votre mot de passe a été changé.")
        return response


# ProConnect ------------------------------------------------------------------------------------------------------


@login_not_required
def proconnect_start(request):
    try:
        return redirect(oidc.start(request, "proconnect", next_url=_next_url(request)))
    except oidc.LoginFailed as exc:
        messages.error(request, f"{exc} Connectez-vous avec votre mot de passe, ou réessayez plus tard.")
        return redirect("accounts:login")


@login_not_required
def proconnect_callback(request):
    try:
        identity = oidc.finish(request, "proconnect")
    except oidc.LoginFailed as exc:
        JournalEntry.log(action=Action.LOGIN_FAILED, details={"moyen": "ProConnect", "raison": str(exc)[:200]})
        return render(request, "accounts/login_failed.html", {"title": "Connexion refusée", "reason": str(exc)})
    found = proconnect.agent_for(identity.claims)
    if found.user is None:
        JournalEntry.log(
            action=Action.LOGIN_FAILED,
            details={**proconnect.details(identity.claims), "identifiant": identity.claims.get("email", "")[:254]},
        )
        return render(request, "accounts/login_failed.html", {"title": "Connexion refusée", "reason": found.refused})
    request.login_details = proconnect.details(identity.claims)
    auth.login(request, found.user, backend="django.contrib.auth.backends.ModelBackend")
    oidc.remember(request, identity)
    if not found.has_role:
        return redirect("accounts:no_role")
    target = identity.next_url
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("core:home")
    return redirect(target)


def no_role(request):
    """An agent ProConnect knows and the platform does not, yet: whom to ask."""
    if request.user.memberships.filter(is_active=True).exists():
        return redirect("core:home")
    return render(
        request,
        "accounts/no_role.html",
        {"title": "Votre compte n'a pas encore de rôle", "teams": proconnect.whom_to_ask()},
    )


@login_not_required
def oidc_logged_out(request):
    """The provider sent the browser back after its logout: the state must be the one given."""
    if oidc.logout_returned(request):
        messages.success(request, "Vous êtes déconnectée de Carte blanche et de ProConnect.")
    else:
        messages.info(request, "Vous êtes déconnectée de Carte blanche.")
    return redirect("core:home")
