"""The territory's childcare coverage: needs and places counted half-hour by half-hour, a need uncovered when no place
within its accepted travel is offered then, small counts hidden (« moins de 3 ») on the page, on the map and in the
CSV, the page kept to advisers and the project team, its experiment prefilled in the codesign app."""

import csv
import datetime
import html
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from carteblanche.childcare import coverage
from carteblanche.childcare.enums import NeedStatus, ProviderKind
from carteblanche.childcare.models import KeptChild, Need, Provider
from carteblanche.codesign.models import Experiment
from carteblanche.territories.models import Commune
from tests.demo import demo_territory, demo_user

CAHORS, PRADINES = "46042", "46224"
MONDAY = 0


@pytest.fixture
def area():
    """The demo's territory without its offers and needs: each test builds its own by hand."""
    territory = demo_territory()
    Provider.objects.filter(territory=territory).update(is_active=False)
    Need.objects.filter(territory=territory).update(status=NeedStatus.CLOSED)
    return territory


@pytest.fixture
def today():
    return timezone.localdate()  # the tests' frozen day


def commune(insee):
    return Commune.objects.get(insee_code=insee)


def far_commune(territory):
    return (
        Commune.objects.filter(territories=territory)
        .exclude(insee_code__in=[CAHORS, PRADINES])
        .order_by("insee_code")
        .first()
    )


def provider(territory, insee, *, kind=ProviderKind.CHILDMINDER, capacity=4, opening=None, name="Mme Essai"):
    return Provider.objects.create(
        territory=territory,
        kind=kind,
        name=name,
        commune=commune(insee),
        capacity=capacity,
        opening=opening or {str(MONDAY): [[16, 36]]},
    )


def kept(provider, today, ranges, *, own=False, first=None, last=None):
    return KeptChild.objects.create(
        provider=provider,
        birth_date=today - datetime.timedelta(days=700),
        own=own,
        schedule={str(MONDAY): ranges},
        first_date=first or today - datetime.timedelta(days=30),
        last_date=last,
    )


def need(territory, home, today, ranges, *, max_travel=20, name="Lacombe-Test", **fields):
    return Need.objects.create(
        territory=territory,
        parent_first_name="Sarah",
        parent_last_name=name,
        consent_at=timezone.now(),
        child_birth_date=today - datetime.timedelta(days=600),
        start_date=fields.pop("start_date", today - datetime.timedelta(days=7)),
        schedule={str(MONDAY): ranges},
        commune=home,
        max_travel_minutes=max_travel,
        **fields,
    )


def minutes(table):
    """A travel estimate by hand: ``{(a, b): minutes}`` both ways, None elsewhere."""

    def travel(a, b):
        return table.get((a, b), table.get((b, a)))

    return travel


def test_places_are_the_agrement_or_capacity_less_the_children_kept_then(area, today):
    minder = provider(area, PRADINES, capacity=4)
    kept(minder, today, [[16, 26]])  # a contract in the morning
    kept(minder, today, [[16, 36]], own=True)  # her own child does not take a place of her agrément
    kept(minder, today, [[26, 36]], last=today - datetime.timedelta(days=1))  # a contract ended yesterday
    creche = provider(area, CAHORS, kind=ProviderKind.MICRO_CRECHE, capacity=10, name="Micro-crèche")
    kept(creche, today, [[20, 30]])
    kept(creche, today, [[20, 30]])
    provider(area, CAHORS, capacity=6, opening={str(MONDAY): [[40, 44]]}, name="Mme Plafond")  # 4 at most
    found = coverage.compute(area, on=today, travel=minutes({}))
    pradines, cahors = found.cells(commune(PRADINES).pk), found.cells(commune(CAHORS).pk)
    assert pradines[(MONDAY, 16)] == (0, 0, 3) and pradines[(MONDAY, 30)] == (0, 0, 4)
    assert cahors[(MONDAY, 18)] == (0, 0, 10) and cahors[(MONDAY, 22)] == (0, 0, 8)
    assert cahors[(MONDAY, 41)] == (0, 0, 4)
    assert (MONDAY, 36) not in pradines and found.need_count == 0


def test_a_need_within_reach_is_covered_one_out_of_reach_is_counted_uncovered(area, today):
    cahors, pradines, far = commune(CAHORS), commune(PRADINES), far_commune(area)
    provider(area, PRADINES, opening={str(MONDAY): [[16, 36]]})
    travel = minutes({(cahors.pk, pradines.pk): 10, (far.pk, pradines.pk): 45, (far.pk, cahors.pk): 40})
    near = need(area, cahors, today, [[14, 20]])  # 7 h – 10 h: the childminder 10 minutes away opens at 8 h
    need(area, far, today, [[16, 20]])  # 45 minutes away: beyond the 20 she accepts
    need(area, cahors, today, [[14, 20]], status=NeedStatus.SOLVED)  # solved: not an open need
    need(area, cahors, today, [[14, 20]], start_date=today + datetime.timedelta(days=200))  # beyond six months
    need(area, cahors, today, [[14, 20]], end_date=today - datetime.timedelta(days=1))  # over
    found = coverage.compute(area, on=today, travel=travel)
    assert found.need_count == 2
    need(area, cahors, today, [[40, 44]], start_date=today + datetime.timedelta(days=30))  # next month: counted
    assert coverage.compute(area, on=today, travel=travel).need_count == 3
    at_cahors = found.cells(cahors.pk)
    assert at_cahors[(MONDAY, 14)] == (1, 1, 0) and at_cahors[(MONDAY, 15)] == (1, 1, 0)
    assert at_cahors[(MONDAY, 16)] == (1, 0, 0) and at_cahors[(MONDAY, 19)] == (1, 0, 0)
    assert found.cells(far.pk)[(MONDAY, 16)] == (1, 1, 0)
    rows = {row.commune.pk: row for row in found.rows}
    assert (rows[cahors.pk].needs, rows[cahors.pk].uncovered_half_hours) == (1, 2)
    assert (rows[far.pk].needs, rows[far.pk].uncovered_half_hours) == (1, 4)
    assert rows[pradines.pk].offered_half_hours == 20 and rows[pradines.pk].band == coverage.NO_NEED
    assert found.rows[0].commune == far  # the least covered first
    # With a longer accepted travel, the far need is covered too.
    Need.objects.filter(commune=far).update(max_travel_minutes=45)
    assert coverage.compute(area, on=today, travel=travel).cells(far.pk)[(MONDAY, 16)] == (1, 0, 0)
    # The grid of the territory: 7 h – 8 h has both needs uncovered and no place for the whole hour.
    grid = {row.label: row.cells[MONDAY] for row in found.grid()}
    assert (grid["7\u00a0h – 8\u00a0h"].needs, grid["7\u00a0h – 8\u00a0h"].uncovered) == (1, 1)
    assert (grid["8\u00a0h – 9\u00a0h"].needs, grid["8\u00a0h – 9\u00a0h"].uncovered) == (2, 1)
    assert grid["8\u00a0h – 9\u00a0h"].places == 4
    assert near.pk and "Lacombe-Test" not in found.feature_collection()


def test_small_counts_of_needs_are_hidden_on_the_page_on_the_map_and_in_the_csv(client, area, today):
    cahors, pradines = commune(CAHORS), commune(PRADINES)
    for _ in range(2):
        need(area, cahors, today, [[14, 16]])  # two families at Cahors: « moins de 3 »
    for _ in range(3):
        need(area, pradines, today, [[14, 16]])  # three at Pradines: shown
    client.force_login(demo_user("agent.franceservices"))
    query = {"le": today.isoformat()}
    response = client.get(reverse("childcare:coverage", args=[area.slug]), query)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Lacombe-Test" not in page and "Sarah" not in page
    row = re.search(r'data-cb-insee="46042">(.*?)</tr>', page, re.S).group(1)
    assert "moins de 3" in row and not re.search(r"<td>2</td>", row)
    assert re.search(r"<td>3</td>", re.search(r'data-cb-insee="46224">(.*?)</tr>', page, re.S).group(1))
    assert "5\u00a0besoins" in page  # the territory's total, above the minimum
    # The grid of Cahors alone: its two needs uncovered at 7 h are « moins de 3 ».
    url = reverse("childcare:coverage", args=[area.slug])
    alone = html.unescape(client.get(url, {**query, "commune": cahors.pk}).content.decode())
    grid = alone.split('id="grille"')[1]
    assert "<strong>moins de 3</strong> / 0" in grid and "<strong>2</strong>" not in grid
    geojson = client.get(reverse("childcare:coverage_geojson", args=[area.slug]), query).json()
    properties = {f["properties"]["code_insee"]: f["properties"] for f in geojson["features"]}
    assert properties[CAHORS]["besoins"] == "moins de 3" and properties[PRADINES]["besoins"] == "3"
    assert "moins de 3 besoins" in properties[CAHORS]["texte"]
    text = client.get(reverse("childcare:coverage_csv", args=[area.slug]), query).content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert lines[0][:2] == ["date", "code INSEE"] and len(lines) == 1 + len(found_communes(area)) * 7 * 48
    at_seven = {(line[1], line[4]): line for line in lines[1:] if line[3] == "lundi"}
    assert at_seven[(CAHORS, "07:00-07:30")][5:7] == ["moins de 3", "moins de 3"]
    assert at_seven[(PRADINES, "07:00-07:30")][5] == "3"
    assert at_seven[(CAHORS, "08:00-08:30")][5:] == ["0", "0", "0"]
    assert "Lacombe-Test" not in text and not any(line[5] in ("1", "2") for line in lines[1:])


def found_communes(territory):
    return Commune.objects.filter(territories=territory)


def test_the_csv_neutralises_a_formula(client, area, today):
    Commune.objects.filter(insee_code=CAHORS).update(name='=HYPERLINK("https://exemple.org","Cahors")')
    client.force_login(demo_user("equipe"))
    text = client.get(reverse("childcare:coverage_csv", args=[area.slug])).content.decode("utf-8")
    names = {line[2] for line in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")}
    assert '\'=HYPERLINK("https://exemple.org","Cahors")' in names
    assert not any(name.startswith("=") for name in names)


def test_the_page_is_for_advisers_and_the_project_team(client):
    url = reverse("childcare:coverage", args=[demo_territory().slug])
    assert client.get(url).status_code == 302
    for who, expected in (("agent.caf", 200), ("equipe", 200), ("prefecture", 403), ("agent.figeac", 404)):
        client.force_login(demo_user(who))
        assert client.get(url).status_code == expected, who
        assert client.get(url.replace("couverture/", "couverture.csv")).status_code == expected, who


def test_the_project_team_starts_an_experiment_prefilled_with_what_nobody_covers(client, area, today):
    cahors = commune(CAHORS)
    for _ in range(3):
        need(area, cahors, today, [[10, 14]])
    client.force_login(demo_user("agent.caf"))
    url = reverse("childcare:coverage", args=[area.slug])
    assert "Lancer une expérimentation" not in client.get(url).content.decode()  # an agent creates none
    client.force_login(demo_user("equipe"))
    page = html.unescape(client.get(url, {"commune": cahors.pk}).content.decode())
    link = re.search(r'href="([^"]+)">Lancer une expérimentation', page).group(1)
    assert link.startswith("/operations/") and "Sarah" not in link
    form = html.unescape(client.get(link).content.decode()).split('id="nouvelle"')[1]
    assert 'value="Garde d\'enfants en horaires décalés à Cahors"' in form
    assert "lundi 5\u00a0h\u00a000 – 7\u00a0h\u00a000" in form and "3\u00a0besoins de garde" in form
    action = reverse("codesign:experiment_create", args=[link.split("/")[2]])
    response = client.post(
        action,
        {
            "nouvelle-title": "Garde d'enfants en horaires décalés à Cahors",
            "nouvelle-hypothesis_if": "Si une MAM ouvrait à 5 h",
            "nouvelle-hypothesis_then": "alors les parents postés trouveraient une garde",
        },
    )
    experiment = Experiment.objects.get(title="Garde d'enfants en horaires décalés à Cahors")
    assert response.status_code == 302 and response["Location"] == experiment.get_absolute_url()
    assert experiment.idea is None and experiment.created_by == demo_user("equipe")
    assert experiment.events.filter(message__contains="constat").exists()
