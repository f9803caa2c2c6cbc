from django.conf import settings

SKIPLINKS = [
    {"link": "#content", "label": "Contenu"},
    {"link": "#fr-navigation", "label": "Menu"},
    {"link": "#footer", "label": "Pied de page"},
]


def platform(request):
    return {
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "skiplinks": SKIPLINKS,
        "DEMO_MODE": settings.DEMO_MODE,
        "DEMO_PASSWORD": settings.DEMO_PASSWORD if settings.DEMO_MODE else "",
        "PLATFORM_CONTACT_EMAIL": settings.PLATFORM_CONTACT_EMAIL,
        "rights_territory": _rights_territory(request),
        "nav": _Nav(request),
    }


class _Nav:
    """The menu's role-dependent entries, computed once and only if the page draws the menu."""

    def __init__(self, request):
        self.user = getattr(request, "user", None)
        self._memberships = None

    def _roles(self):
        if self._memberships is None:
            if self.user is None or not self.user.is_authenticated:
                self._memberships = []
            else:
                self._memberships = list(self.user.memberships.filter(is_active=True).select_related("territory"))
        return self._memberships

    def _first(self, roles):
        return next((m.territory for m in self._roles() if m.role in roles), None)

    @property
    def bus(self):
        from .permissions import MANAGERS

        return self._first(MANAGERS)

    @property
    def rides(self):
        from carteblanche.accounts.enums import Role

        return self._first((Role.PROJECT_TEAM, Role.PREFECTURE, Role.AGENT))

    @property
    def childcare(self):
        """Advisers who record families' childcare needs: agents and the project team (not the prefecture)."""
        from carteblanche.accounts.enums import Role

        return self._first((Role.PROJECT_TEAM, Role.AGENT))

    @property
    def vigies(self):
        """Agents: the structure's agents triage the vigies' signals, the partners' answer those handed to them."""
        from carteblanche.accounts.enums import Role

        return self._first((Role.AGENT,))

    @property
    def alert_plans(self):
        """The project team and the prefecture, who do not triage signals, follow the prefect's alert plans."""
        from carteblanche.accounts.enums import Role

        return self._first((Role.PROJECT_TEAM, Role.PREFECTURE))

    @property
    def derogations(self):
        from carteblanche.accounts.enums import Role

        return self._first((Role.PREFECTURE,)) is not None


def _rights_territory(request):
    """Where an agent's console link leads: the first territory where she is an agent (lazy: one query)."""
    from carteblanche.accounts.enums import Role

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    membership = user.memberships.filter(role=Role.AGENT, is_active=True).select_related("territory").first()
    return membership.territory if membership else None
