from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from . import oidc, second_factor

# What a signed-in agent may open before her second factor: the step itself, leaving, and the health probe.
OPEN_BEFORE_SECOND_FACTOR = {
    "accounts:second_factor",
    "accounts:second_factor_setup",
    "accounts:logout",
    "core:health",
}


class SecondFactorMiddleware:
    """An agent who gave only her password reaches nothing but the second step: enrolment, then the code.

    Default deny: every page, the administration's included, public pages too (she is half signed in, and a
    page that shows more to an agent must not show it yet)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not second_factor.is_required(user) or user.is_verified():
            return None
        if request.session.get(oidc.SESSION_KEY):  # ProConnect's identity provider asked for what it requires
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        name = "accounts:second_factor" if second_factor.is_enrolled(user) else "accounts:second_factor_setup"
        target = reverse(name)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
