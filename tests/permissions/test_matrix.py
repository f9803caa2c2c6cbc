"""Every door, every role: the answers of the URL configuration itself against the matrix in ``expected.py``."""

import pytest
from django.urls import reverse

from carteblanche.accounts.middleware import OPEN_BEFORE_SECOND_FACTOR

from . import doors
from .expected import MATRIX

# Pages anyone may open, signed in or not: the only ones an anonymous visitor gets a 200 (or a 404 on a link that
# does not exist) from.
PUBLIC = {
    "core:home",
    "core:accessibility",
    "core:legal_notice",
    "core:personal_data",
    "core:personal_data_check",
    "core:sitemap",
    "core:health",
    "accounts:login",
    "accounts:proconnect_callback",  # a login that did not complete says why
    "accounts:oidc_logged_out",  # back from the provider's logout: nothing to show but the home page
    "codesign:join",
    "codesign:participate",
    "codesign:participate_ideas",
    "exploration:public_report",
    "exploration:public_thanks",
    "mobility:public",
    "mobility:public_commune",
    "mobility:public_geojson",
    "mobility:public_ics",
    "mobility:public_poster",
    "mobility:answer",
    "public:operation",
    "quality:answer",
    "quality:answer_link",
    "quality:kiosk",
    "quality:kiosk_manifest",
    "quality:thanks",
    "quality:public_territory",
    "quality:public_structure",
    "quality:tell",
    "quality:export",
    "rights:space_login",
    "rights:space_enter",
    "rights:space_sms",
    "rights:space_code",
    "rights:space_logout",
    "bookings:public_motifs",
    "bookings:public_slots",
    "bookings:public_book",
    "bookings:waitlist",
    "bookings:manage",
    "bookings:manage_cancel",
    "bookings:manage_move",
    "bookings:manage_ics",
    "bookings:offer",
    "bookings:feed",
    "childcare:answer",
    "childcare:availability",
    "vigies:vigie",
    "vigies:resident_signal",
}
JUROR_PAGES = {
    "operations:operations",
    "operations:operation",
    "codesign:personas",
    "codesign:persona",
    "codesign:hackathons",
    "codesign:hackathon",
    "codesign:hackathon_jury",
    "territories:list",
    "territories:detail",
    "territories:geojson",
    "accounts:account",
    "accounts:password_change",
}


def _answers(codes: str) -> dict[str, int]:
    return dict(zip(doors.ROLES, (int(c) for c in codes.split()), strict=True))


def test_every_route_has_its_line():
    routes = set(doors.routes())
    assert routes - set(MATRIX) == set(), "route sans ligne dans tests/permissions/expected.py"
    assert set(MATRIX) - routes == set(), "ligne d'une route qui n'existe plus"


@pytest.fixture(scope="module")
def observed(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every route knocked by every identity, once for the module (inside a transaction rolled back after)."""
    from django.db import transaction
    from django.test import override_settings

    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media")))
    with django_db_blocker.unblock(), transaction.atomic(), media:
        urls = doors.urls()
        identities = doors.identities()
        found = {name: {who.role: doors.knock(who.client, url) for who in identities} for name, url in urls.items()}
        transaction.set_rollback(True)
    return found


def test_every_role_gets_the_answer_the_matrix_decided(observed):
    differences = [
        f"{name} [{role}] : attendu {expected}, obtenu {observed[name][role]}"
        for name, codes in MATRIX.items()
        for role, expected in _answers(codes).items()
        if observed[name][role] != expected
    ]
    assert differences == []


def test_default_deny_anonymous_and_residents_reach_only_public_pages(observed):
    for name, answers in observed.items():
        if name in PUBLIC:
            continue
        assert answers["anonyme"] in (302, 403), name
        resident_space = name.startswith("rights:space")
        assert answers["habitante"] in (302, 403) or resident_space, name


def test_no_page_of_a_territory_opens_to_members_of_another(observed):
    for name, answers in observed.items():
        if name in PUBLIC:
            continue
        for role in ("autre_agent", "autre_equipe", "autre_prefecture", "autre_jury"):
            # Lists of one's own territories, one's account, and starting one's own work are not Cahors's pages.
            if answers[role] == 200:
                assert name in {
                    "operations:operations",
                    "territories:list",
                    "accounts:account",
                    "accounts:password_change",
                    "codesign:derogation_inbox",
                    "codesign:replicate",
                }, (name, role)


def test_the_jury_opens_only_what_it_needs_to_judge(observed):
    opened = {name for name, answers in observed.items() if answers["jury"] == 200}
    assert opened - PUBLIC <= JUROR_PAGES
    for name in ("exploration:visit", "exploration:attachment", "exploration:excerpts_export", "codesign:report"):
        assert observed[name]["jury"] == 403


def test_half_signed_in_agents_reach_nothing_but_the_second_factor(client, settings):
    """With only her password given, an agent is sent to the second step from every route but the step itself."""
    from carteblanche.accounts.models import User

    settings.SECOND_FACTOR_REQUIRED = True
    client.force_login(User.objects.get(email="agent.caf@demo.carteblanche.fr"))
    setup = reverse("accounts:second_factor_setup")
    for name, url in doors.urls().items():
        if name in OPEN_BEFORE_SECOND_FACTOR:
            continue
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(setup), name
