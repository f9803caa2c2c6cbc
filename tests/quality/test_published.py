"""What is published (no login): the territory's and each structure's indicators with their counts, period, method
and trend; small samples as a count and an interval; exports in Services Publics +'s shapes; the counter's tools."""

import csv
import datetime
import html
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from carteblanche.quality import exports, indicators
from carteblanche.quality.enums import CallSource
from carteblanche.quality.models import CallTally, Structure, Visit
from tests.demo import demo_territory, demo_user


def _text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def territory():
    return demo_territory()


def test_the_territory_page_shows_each_indicator_with_its_count_period_and_method(client, territory):
    page = client.get(reverse("quality:public_territory", args=[territory.slug]))
    text = _text(page)
    assert page.status_code == 200
    assert "Usagers très satisfaits" in text and "Attente médiane à l'accueil" in text
    assert "réponses" in text and "Période : du 1er" in text
    assert "Part des réponses « Très bien »" in text  # the method
    assert text.count("<svg") >= 4  # a trend chart by quarter per indicator
    assert f"moins de {indicators.minimum()}" in text
    for structure in Structure.objects.filter(territory=territory, is_published=True):
        assert structure.name in text


def test_a_small_sample_shows_its_count_and_an_interval_not_a_rate(client, territory):
    small = Structure.objects.get(territory=territory, name="France services Saint-Géry Vers")
    page = _text(client.get(small.get_public_url()))
    card = page.split("Usagers très satisfaits", 1)[1][:600]
    assert "entre " in card and " réponses" in card
    assert "la valeur exacte n'est pas publiée" in card


def test_an_unpublished_structure_has_no_public_page(client, territory):
    hidden = Structure.objects.create(territory=territory, name="Accueil en test", kind="guichet", is_published=False)
    assert client.get(hidden.get_public_url()).status_code == 404
    assert "Accueil en test" not in _text(client.get(reverse("quality:public_territory", args=[territory.slug])))


def test_results_export_in_the_services_publics_plus_shape(client, territory):
    response = client.get(reverse("quality:export", args=[territory.slug, "resultats", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0] == exports.RESULT_COLUMNS
    by_structure = {}
    for row in rows[1:]:
        record = dict(zip(rows[0], row, strict=True))
        by_structure.setdefault(record["structure"], []).append(record)
        assert record["frequence"] == "trimestrielle"
        assert record["date_mise_a_jour"] == timezone.localdate().isoformat()
        if int(record["nombre_observations"]) < indicators.minimum() and record["unite"] != "nombre":
            assert record["valeur"] == "" and record["intervalle_bas"] != ""  # never a plain rate below it
    assert exports.WHOLE in by_structure
    codes = {r["code_indicateur"] for r in by_structure[exports.WHOLE]}
    assert {"satisfaction", "attente", "resolution", "appels"} <= codes
    data = json.loads(client.get(reverse("quality:export", args=[territory.slug, "resultats", "json"])).content)
    assert data["minimum_observations"] == indicators.minimum() and len(data["lignes"]) == len(rows) - 1


def test_experiences_export_lists_only_published_ones(client, territory):
    data = json.loads(client.get(reverse("quality:export", args=[territory.slug, "experiences", "json"])).content)
    assert data["lignes"] and all(set(line) == set(exports.EXPERIENCE_COLUMNS) for line in data["lignes"])
    assert {line["statut"] for line in data["lignes"]} <= {"publiée", "répondue"}
    replied = [line for line in data["lignes"] if line["statut"] == "répondue"]
    assert all(line["delai_reponse_jours"] is not None and line["reponse"] for line in replied)


def test_the_prefecture_gets_an_ods_with_results_and_experiences(client, territory):
    from odf.opendocument import load
    from odf.table import Table

    client.force_login(demo_user("prefecture"))
    response = client.get(reverse("quality:export_ods", args=[territory.slug]))
    assert response.status_code == 200
    document = load(io.BytesIO(response.content))
    names = [t.getAttribute("name") for t in document.spreadsheet.getElementsByType(Table)]
    assert names == ["Résultats", "Expériences", "Structures"]
    client.force_login(demo_user("agent.caf"))
    assert client.get(reverse("quality:export_ods", args=[territory.slug])).status_code == 403


def test_the_poster_is_an_a4_pdf_with_the_qr_link(client, territory):
    counter = Structure.objects.get(territory=territory, organisation__name="CAF du Lot")
    client.force_login(demo_user("agent.caf"))
    response = client.get(reverse("quality:poster", args=[territory.slug, counter.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_an_agent_logs_a_visit_from_arrival_to_referral(client, territory):
    counter = Structure.objects.get(territory=territory, organisation__name="CAF du Lot")
    client.force_login(demo_user("agent.caf"))
    base = [territory.slug, counter.pk]
    client.post(reverse("quality:visit_arrive", args=base), {"subject": "famille"})
    visit = Visit.objects.filter(structure=counter).order_by("-pk").first()
    assert visit.outcome == "" and visit.seen_at is None
    client.post(reverse("quality:visit_seen", args=[*base, visit.pk]))
    missing = client.post(reverse("quality:visit_done", args=[*base, visit.pk]), {"outcome": "oriente"})
    assert "Indiquez vers quel service" in _text(missing)
    organisation = counter.territory.organisations.get(name="CPAM du Lot")
    client.post(
        reverse("quality:visit_done", args=[*base, visit.pk]),
        {"outcome": "oriente", "referred_to": organisation.pk, "promised_days": "7"},
    )
    visit.refresh_from_db()
    assert visit.outcome == "oriente" and visit.answer_due_on == timezone.localdate() + datetime.timedelta(days=7)
    page = _text(client.get(reverse("quality:structure", args=base)))
    assert "Orientations en attente de réponse" in page and "CPAM du Lot" in page


def test_calls_are_typed_or_imported_all_or_nothing(client, territory):
    counter = Structure.objects.get(territory=territory, organisation__name="CAF du Lot")
    client.force_login(demo_user("agent.caf"))
    url = reverse("quality:calls", args=[territory.slug, counter.pk])
    today = timezone.localdate()
    typed = client.post(url, {"jour-date": today.isoformat(), "jour-received": "12", "jour-answered": "15"})
    assert "plus d'appels décrochés que d'appels reçus" in _text(typed)
    client.post(url, {"jour-date": today.isoformat(), "jour-received": "12", "jour-answered": "9"})
    assert CallTally.objects.get(structure=counter, date=today).answered == 9
    day = today - datetime.timedelta(days=1)
    bad = io.BytesIO(f"date;statut\n{day:%d/%m/%Y} 09:12;répondu\n{day:%d/%m/%Y} 09:40;occupé\nhier;manqué\n".encode())
    bad.name = "appels.csv"
    refused = _text(client.post(url, {"import-file": bad}))
    assert "ligne 3 : statut « occupé » inconnu" in refused and "ligne 4 : date illisible" in refused
    before = CallTally.objects.filter(structure=counter, date=day).first()
    lines = ["date;statut", f"{day:%d/%m/%Y} 09:12;répondu", f"{day:%d/%m/%Y} 09:40;manqué", f"{day:%d/%m/%Y};Répondu"]
    good = io.BytesIO("\n".join(lines).encode())
    good.name = "appels.csv"
    client.post(url, {"import-file": good})
    tally = CallTally.objects.get(structure=counter, date=day)
    assert (tally.received, tally.answered, tally.source) == (3, 2, CallSource.IMPORT)
    assert before is None or before.pk == tally.pk  # the day is replaced, not doubled
    daily = io.BytesIO(f"Date;Reçus;Répondus\n{today - datetime.timedelta(days=2):%Y-%m-%d};30;27\n".encode())
    daily.name = "jours.csv"
    client.post(url, {"import-file": daily})
    assert CallTally.objects.get(structure=counter, date=today - datetime.timedelta(days=2)).answered == 27


def test_an_agent_sees_only_her_organisations_structures(client, territory):
    client.force_login(demo_user("agent.caf"))
    page = _text(client.get(reverse("quality:desk", args=[territory.slug])))
    assert "Accueil de la CAF du Lot à Cahors" in page
    assert "France services de Catus" not in page
    client.force_login(demo_user("equipe"))
    page = _text(client.get(reverse("quality:desk", args=[territory.slug])))
    assert "France services de Catus" in page and "Réponses à vérifier" in page


def test_the_team_adds_a_structure_and_its_engagements_are_published(client, territory):
    client.force_login(demo_user("equipe"))
    response = client.post(
        reverse("quality:structure_add", args=[territory.slug]),
        {
            "name": "Mairie de Cahors — accueil",
            "kind": "guichet",
            "engagements": ["SP1", "SP5"],
            "promised_days": "8",
            "is_published": "on",
        },
    )
    structure = Structure.objects.get(name="Mairie de Cahors — accueil")
    assert response.status_code == 302 and structure.engagements == ["SP1", "SP5"]
    client.logout()
    page = _text(client.get(structure.get_public_url()))
    assert "Nos engagements" in page and "Nous publions nos résultats" in page
    assert "Pas encore de réponses sur cette période." in page
    refused = client.post(reverse("quality:structure_add", args=[territory.slug]), {"name": ""})
    assert refused.status_code == 302  # anonymous: to the login page, nothing created
    assert Structure.objects.filter(territory=territory).count() == 6
