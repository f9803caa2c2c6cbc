from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core.demo import DEMO_ACCOUNTS

from .forms import CarteBlanchePasswordChangeForm, LoginForm


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": "Connexion", "demo_accounts": DEMO_ACCOUNTS, "breadcrumb_data": {"current": "Connexion"}}


class LogoutView(auth_views.LogoutView):
    pass


def account(request):
    memberships = request.user.memberships.select_related("territory", "organisation").order_by("territory__name")
    return render(
        request,
        "accounts/account.html",
        {"title": "Mon compte", "memberships": memberships, "breadcrumb_data": {"current": "Mon compte"}},
    )


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
