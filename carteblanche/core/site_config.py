"""The django-dsfr site configuration row: title, tagline, footer text. Created by a data migration
and by the demo loader (the test harness empties the database between browser tests)."""

SITE_CONFIG = {
    "site_title": "Carte blanche",
    "site_tagline": "Réinventer les services publics avec celles et ceux qui les utilisent et les font vivre",
    "header_brand": "République française",
    "header_brand_html": "République<br>française",
    "footer_brand": "République française",
    "footer_brand_html": "République<br>française",
    "footer_description": (
        "Carte blanche est une plateforme de l'État et des territoires pour repérer ce qui bloque les "
        "usagers, concevoir des solutions avec eux et avec les agents, les tester et les généraliser."
    ),
    "accessibility_status": "NOT",
}


def ensure_site_config(model) -> None:
    """``model`` is DsfrConfig, or its historical version inside a migration."""
    if not model.objects.exists():
        model.objects.create(language="fr", **SITE_CONFIG)
