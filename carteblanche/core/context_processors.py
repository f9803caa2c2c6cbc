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
    }


def _rights_territory(request):
    """Where an agent's console link leads: the first territory where she is an agent (lazy: one query)."""
    from carteblanche.accounts.enums import Role

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    membership = user.memberships.filter(role=Role.AGENT, is_active=True).select_related("territory").first()
    return membership.territory if membership else None
