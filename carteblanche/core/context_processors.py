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
    }
