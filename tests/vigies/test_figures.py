"""The vigies' figures for the territory: signals counted per commune and month (what was seen, urgency, origin,
outcome), the delay to take them in charge, the shares told to the lead and informed within the month; small counts
as « moins de 3 » on the page, in the CSV and on the map, no median nor share from fewer; anonymised signals and
those the person objected to still counted, never a place, a name, words nor a vigie; read by the project team, the
prefecture and the agents of the networks' structures and partners only."""

import csv
import datetime
import html
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from carteblanche.core import disclosure
from carteblanche.territories.models import Commune, Organisation
from carteblanche.vigies import figures, information, retention, services
from carteblanche.vigies.demo import NAME
from carteblanche.vigies.enums import URGENCY_DELAYS, Origin, Outcome, Seen, SignalStatus, Urgency, VigieRole
from carteblanche.vigies.models import Network, Signal, SignalEvent, Vigie
from tests.demo import demo_territory, demo_user

SLUG = "bassin-de-vie-de-cahors"
CAHORS, PRADINES = "46042", "46224"
PLACE, PERSON, WORDS = "Impasse des Tilleuls", "Mme Testeuse", "Elle ne répond plus à la porte."


@pytest.fixture
def network():
    """The demo's network (the Grand Cahors triages, the CAF among its partners), without its signals: each test
    sends its own."""
    network = Network.objects.get(territory=demo_territory(), name=NAME)
    Signal.objects.filter(network__territory=network.territory).delete()
    return network


@pytest.fixture
def today():
    return timezone.localdate()  # the tests' frozen day


@pytest.fixture
def months(today):
    """Two whole months before this one: nothing of the clock's day falls in them."""
    first = figures.add_months(figures.month_of(today), -3)
    return first, figures.add_months(first, 1)


def at(month, day=5, hour=9):
    return timezone.make_aware(datetime.datetime(month.year, month.month, day, hour))


def commune(insee):
    return Commune.objects.get(insee_code=insee)


def signal(network, insee, received, *, seen=(Seen.ISOLATION,), urgency=Urgency.WEEK, steps=(), **fields):
    """A signal written by hand, with its steps: ``steps`` are (hours after it was received, status)."""
    made = Signal.objects.create(
        network=network,
        origin=fields.pop("origin", Origin.VIGIE),
        vigie=fields.pop("vigie", network.vigies.first()),
        commune=commune(insee),
        place=PLACE,
        person_name=PERSON,
        words=WORDS,
        seen=list(seen),
        urgency=urgency,
        created_at=received,
        due_at=received + URGENCY_DELAYS[urgency],
        **fields,
    )
    SignalEvent.objects.create(signal=made, at=received, status=SignalStatus.NEW)
    for hours, status in steps:
        SignalEvent.objects.create(signal=made, at=received + datetime.timedelta(hours=hours), status=status)
    return made


def page(client, who, **params):
    client.force_login(demo_user(who))
    response = client.get(reverse("vigies:figures", args=[SLUG]), params)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def csv_lines(client, **params):
    response = client.get(reverse("vigies:figures_csv", args=[SLUG]), params)
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def geojson(client, **params):
    response = client.get(reverse("vigies:figures_geojson", args=[SLUG]), params)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/geo+json")
    return response


def period(months):
    return {"du": months[0].strftime("%Y-%m"), "au": months[1].strftime("%Y-%m")}


def tallies(items):
    return {t.code: t.count for t in items}


def test_signals_are_counted_per_commune_and_month_by_kind_urgency_origin_and_outcome(network, months):
    first, second = months
    signal(network, CAHORS, at(first), seen=[Seen.COLD, Seen.MAIL], urgency=Urgency.DAY)
    signal(network, CAHORS, at(first, 12), seen=[Seen.COLD], origin=Origin.RESIDENT, vigie=None)
    signal(network, CAHORS, at(first, 20), status=SignalStatus.CLOSED, outcome=Outcome.HELP, closed_at=at(second))
    signal(network, CAHORS, at(first, 28), status=SignalStatus.CLOSED, outcome=Outcome.OBJECTED, closed_at=at(second))
    signal(network, PRADINES, at(second, 2))
    signal(network, CAHORS, at(figures.add_months(first, -1), 27))  # the month before the period: not counted
    found = figures.compute(network.territory, first=first, last=second, now=timezone.now())
    cahors, pradines = commune(CAHORS), commune(PRADINES)
    cell = found.summary(commune_id=cahors.pk, month=first)
    assert cell.count == 4 and found.summary().count == 5
    assert found.summary(commune_id=cahors.pk, month=second).count == 0
    assert tallies(cell.by_seen) == {
        **dict.fromkeys(Seen.values, 0),
        "logement_froid": 2,
        "courrier": 1,
        "isolement": 2,
    }
    assert tallies(cell.by_urgency) == {"jour": 1, "semaine": 3, "mois": 0}
    assert tallies(cell.by_origin) == {"vigie": 3, "habitant": 1}
    assert cell.closed == 2 and tallies(cell.by_outcome)["aide"] == 1 and tallies(cell.by_outcome)["opposition"] == 1
    assert [(row.commune, row.month, row.summary.count) for row in found.cell_rows()] == [
        (cahors, first, 4),
        (pradines, second, 1),
    ]
    rows = {row.commune.pk: row for row in found.commune_rows}
    assert found.commune_rows[0].commune == cahors  # the most signals first
    assert rows[cahors.pk].summary.count == 4 and rows[pradines.pk].summary.count_shown == "moins de 3"
    assert [row.summary.count for row in found.month_rows(cahors.pk)] == [4, 0]
    # The communes of the territory without any signal are on the map too, grey.
    assert all(row.band == figures.NO_SIGNAL for row in found.commune_rows[2:])
    assert len(found.commune_rows) == Commune.objects.filter(territories=network.territory).count()


def test_the_delay_to_take_in_charge_and_the_shares_told_to_the_lead_and_informed_in_time(network, months):
    first, second = months
    accepted, contacted, assigned = SignalStatus.ACCEPTED, SignalStatus.CONTACTED, SignalStatus.ASSIGNED
    received = at(first)
    day = datetime.timedelta(days=1)
    signal(network, CAHORS, received, steps=[(1, assigned), (10, accepted)], informed_at=received + 2 * day)
    signal(network, CAHORS, received, steps=[(20, accepted), (30, contacted)], informed_at=received + 40 * day)
    # Accepted, refused after all and handed again, accepted again: the first acceptance counts.
    signal(network, CAHORS, received, steps=[(30, accepted), (40, SignalStatus.QUALIFIED), (50, accepted)])
    # No acceptance noted, contact made: it counts as taken in charge. She objected within the month: she knew.
    signal(network, CAHORS, received, steps=[(5, contacted)], objected_at=received + 3 * day)
    # Nobody took it: told to the lead, no delay.
    signal(network, CAHORS, received, steps=[(2, assigned)], escalated_at=received + day)
    found = figures.compute(network.territory, first=first, last=second, now=at(second, 28))
    cell = found.summary(commune_id=commune(CAHORS).pk, month=first)
    assert sorted(cell.delay.values) == [5, 10, 20, 30]
    assert cell.delay.value == 15 and cell.delay.shown == "15\u00a0h" and cell.delay.for_machine == "15"
    assert (cell.escalated.hits, cell.escalated.n) == (1, 5) and cell.escalated.shown == "20\u00a0%"
    assert (cell.informed.hits, cell.informed.n) == (2, 5) and cell.informed.shown == "40\u00a0%"
    assert cell.informed.for_machine == "0.4"
    # While her month runs, a person not yet told is not counted either way.
    early = figures.compute(network.territory, first=first, last=second, now=received + 10 * day)
    informed = early.summary(month=first).informed
    assert (informed.hits, informed.n) == (2, 3)
    # Fewer signals than the minimum: no median, no share, and the cell says why.
    signal(network, PRADINES, at(second), steps=[(4, accepted)], escalated_at=at(second, 6))
    small = figures.compute(network.territory, first=first, last=second, now=at(second, 28)).summary(
        commune_id=commune(PRADINES).pk
    )
    assert small.delay.value is None and small.delay.shown == figures.TOO_FEW == "trop peu"
    assert small.escalated.shown == "trop peu" and small.escalated.for_machine == "trop peu"
    nothing = figures.compute(network.territory, first=first, last=second, now=at(second, 28)).summary(
        commune_id=commune("46148").pk
    )
    assert nothing.delay.shown == "—" and nothing.escalated.shown == "—" and nothing.count_shown == "0"


def test_small_counts_read_moins_de_3_on_the_page_in_the_csv_and_on_the_map(client, network, months):
    first, second = months
    for day in (3, 9, 15, 21):
        signal(network, CAHORS, at(first, day), seen=[Seen.ISOLATION, Seen.MAIL])
    signal(network, PRADINES, at(first, 4), seen=[Seen.COLD])
    signal(network, PRADINES, at(second, 4), seen=[Seen.COLD])
    html_ = page(client, "agent.franceservices", **period(months))
    row = re.search(r'data-cb-insee="46224">(.*?)</tr>', html_, re.S).group(1)
    assert "moins de 3" in row and not re.search(r"<td>\s*(<span[^>]*></span>)?[12]</td>", row)
    assert re.search(r"</span>4</td>", re.search(r'data-cb-insee="46042">(.*?)</tr>', html_, re.S).group(1))
    assert "Signalements reçus : <strong>6</strong>" in html_
    assert "Moins de 3 signalements : 1\u00a0commune" in html_  # the legend
    # Pradines alone: each month « moins de 3 », the kinds too.
    alone = page(client, "agent.franceservices", **period(months), commune=commune(PRADINES).pk)
    assert "Signalements reçus : <strong>moins de 3</strong>" in alone
    assert '<th scope="row">Logement froid</th><td>moins de 3</td>' in alone
    assert '<th scope="row">Logement froid</th><td>2</td>' not in alone
    lines = csv_lines(client, **period(months))
    header = lines[0]
    assert header[:4] == ["mois", "code INSEE", "commune", "signalements"]
    territory_communes = Commune.objects.filter(territories=network.territory).count()
    assert len(lines) == 1 + 2 * territory_communes  # every commune × month, zeros included
    rows = {(line[0], line[1]): dict(zip(header, line, strict=True)) for line in lines[1:]}
    month = first.strftime("%Y-%m")
    assert rows[(month, PRADINES)]["signalements"] == "moins de 3"
    assert rows[(month, PRADINES)]["vu : Logement froid"] == "moins de 3"
    assert rows[(month, CAHORS)]["signalements"] == "4" and rows[(month, CAHORS)]["vu : Isolement"] == "4"
    assert rows[(month, CAHORS)]["part signalée à la responsable"] == "0"
    assert rows[(month, PRADINES)]["part signalée à la responsable"] == "trop peu"
    counts = [name for name in header[3:] if not name.startswith(("délai", "part"))]
    assert not any(row[name] in ("1", "2") for row in rows.values() for name in counts)
    features = geojson(client, **period(months)).json()["features"]
    properties = {f["properties"]["code_insee"]: f["properties"] for f in features}
    assert properties[PRADINES]["signalements"] == "moins de 3"
    assert properties[PRADINES]["texte"] == "Pradines : moins de 3 signalements"
    assert properties[CAHORS]["signalements"] == "4" and properties[CAHORS]["classe"] == "b3"
    assert properties["46148"]["texte"].endswith(": aucun signalement")
    assert {f["geometry"]["type"] for f in features} <= {"Polygon", "MultiPolygon", "Point"}


def test_the_minimum_is_one_setting_for_the_platform(settings, network, months):
    settings.SMALL_COUNT_MIN = 5
    for day in (3, 9, 15, 21):
        signal(network, CAHORS, at(months[0], day))
    found = figures.compute(network.territory, first=months[0], last=months[1], now=timezone.now())
    cahors = found.summary(commune_id=commune(CAHORS).pk)
    assert cahors.count_shown == "moins de 5" and cahors.phrase == "moins de 5 signalements"
    assert cahors.escalated.shown == "trop peu"
    assert disclosure.phrase(4, "besoin") == "moins de 5 besoins" and disclosure.shown(0) == "0"
    assert [band.label for _, band in figures.bands()][:2] == ["moins de 5 signalements", "5 à 9 signalements"]


def test_anonymised_and_objected_signals_are_still_counted_without_anything_of_the_person(client, network, months):
    first, second = months
    triager, caf_agent = demo_user("agent.franceservices"), demo_user("agent.caf")
    caf = Organisation.objects.get(territory=network.territory, name="CAF du Lot")
    vigie = Vigie.objects.create(
        network=network, first_name="Albertine", last_name="Essai-Vigie", role=VigieRole.POSTMAN
    )
    made = []
    for day in (3, 4, 5, 6):
        received = at(first, day)
        sent = services.signal_send(
            network=network,
            vigie=vigie,
            commune=commune(CAHORS),
            place=PLACE,
            person_name=PERSON,
            seen=[Seen.NOT_SEEN],
            urgency=Urgency.WEEK,
            words=WORDS,
            now=received,
        )
        sent = services.signal_qualify(signal=sent, by=triager, now=received + datetime.timedelta(hours=1))
        sent = services.signal_assign(signal=sent, partner=caf, by=triager, now=received + datetime.timedelta(hours=2))
        made.append(
            services.partner_answer(
                signal=sent, accept=True, by=caf_agent, now=received + datetime.timedelta(hours=12)
            )
        )
    # Two closed long ago, then anonymised by the retention; one the person objected to; one ongoing, whole.
    for sent in made[:2]:
        services.signal_close(signal=sent, outcome=Outcome.HELP, by=caf_agent, now=at(second))
    later = at(second) + datetime.timedelta(days=31 * network.kept_months + 1)
    assert retention.anonymise_signals(later) >= 2
    information.person_objects(signal=made[2], by=caf_agent, now=at(first, 10))
    assert Signal.objects.filter(pk__in=[s.pk for s in made[:3]], anonymised_at__isnull=False).count() == 3
    assert Signal.objects.get(pk=made[3].pk).place == PLACE  # the ongoing one is still whole
    found = figures.compute(network.territory, first=first, last=second, now=timezone.now())
    cell = found.summary(commune_id=commune(CAHORS).pk, month=first)
    assert cell.count == 4 and tallies(cell.by_seen)["pas_vu"] == 4
    assert tallies(cell.by_outcome) == {**dict.fromkeys(Outcome.values, 0), "aide": 2, "opposition": 1}
    assert cell.delay.values == (12.0, 12.0, 12.0, 12.0)  # the steps' dates stay
    personal = (PLACE, PERSON, WORDS, vigie.first_name, vigie.last_name)
    answers = [
        page(client, "equipe", **period(months)),
        page(client, "equipe", **period(months), commune=commune(CAHORS).pk),
        "\n".join(";".join(line) for line in csv_lines(client, **period(months))),
        geojson(client, **period(months)).content.decode(),
    ]
    for answer in answers:
        assert [text for text in personal if text in answer] == []
    assert "Signalements reçus : <strong>4</strong>" in answers[0]
    assert "La personne s'est opposée au signalement</th><td>moins de 3</td>" in answers[1]


def test_the_period_is_the_last_twelve_months_unless_asked(client, network, today):
    this = figures.month_of(today)
    assert figures.last_months(today) == (figures.add_months(this, -11), this)
    assert figures.add_months(datetime.date(2026, 1, 1), -1) == datetime.date(2025, 12, 1)
    for day in (2, 3, 4):
        signal(network, CAHORS, at(figures.add_months(this, -11), day))
    signal(network, CAHORS, at(figures.add_months(this, -12), 27))  # thirteen months ago: out
    signal(network, CAHORS, timezone.now() - datetime.timedelta(minutes=1))
    assert "Signalements reçus : <strong>4</strong>" in page(client, "prefecture")
    assert len(csv_lines(client)) == 1 + 12 * Commune.objects.filter(territories=network.territory).count()
    before = figures.add_months(this, -12).strftime("%Y-%m")
    assert "Signalements reçus : <strong>moins de 3</strong>" in page(client, "prefecture", du=before, au=before)
    # A month that is not one, or one in the future, is ignored.
    assert "Signalements reçus : <strong>4</strong>" in page(client, "prefecture", du="n'importe", au="2999-01")


@pytest.mark.parametrize("who", ["agent.franceservices", "agent.caf", "equipe", "prefecture"])
def test_the_team_the_prefecture_and_the_networks_agents_read_the_figures(client, network, who):
    client.force_login(demo_user(who))
    for name in ("vigies:figures", "vigies:figures_csv", "vigies:figures_geojson"):
        assert client.get(reverse(name, args=[SLUG])).status_code == 200, name


def test_nobody_else_reads_them(client, network):
    urls = [reverse(name, args=[SLUG]) for name in ("vigies:figures", "vigies:figures_csv", "vigies:figures_geojson")]
    for url in urls:  # nobody signed in
        assert client.get(url).status_code == 302
    token = services.vigie_link_issue(vigie=network.vigies.first())
    assert client.get(reverse("vigies:vigie", args=[token])).status_code == 200  # a vigie on her page
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(demo_user("jury"))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403 and "agents des structures des réseaux" in response.content.decode()
    client.force_login(demo_user("agent.figeac"))  # another territory: its existence is not confirmed
    for url in urls:
        assert client.get(url).status_code == 404
    # An agent whose organisation is neither a network's structure nor a partner.
    network.partners.remove(Organisation.objects.get(territory=network.territory, name="CAF du Lot"))
    client.force_login(demo_user("agent.caf"))
    for url in urls:
        assert client.get(url).status_code == 403


def test_the_project_team_starts_an_experiment_from_the_figures(client, network, months):
    first, _ = months
    for day in (3, 9, 15):
        signal(network, CAHORS, at(first, day), seen=[Seen.COLD], steps=[(6, SignalStatus.ACCEPTED)])
    html_ = page(client, "equipe", **period(months), commune=commune(CAHORS).pk)
    link = re.search(r'<a class="fr-btn" href="([^"]+)">Lancer une expérimentation</a>', html_).group(1)
    assert "intitule=" in link and link.endswith("#nouvelle")
    experiments = html.unescape(client.get(link).content.decode())
    assert "Vigies : logement froid à Cahors" in experiments
    assert "Constat des vigies" in experiments and "3\u00a0signalements" in experiments
    assert "Lancer une expérimentation" not in page(client, "agent.franceservices", **period(months))


def test_the_queue_links_to_the_figures(client, network):
    client.force_login(demo_user("agent.franceservices"))
    queue = client.get(reverse("vigies:queue", args=[SLUG])).content.decode()
    assert reverse("vigies:figures", args=[SLUG]) in queue


def test_an_agent_proposes_an_irritant_from_the_figures(client, network, months):
    first, _ = months
    for day in (3, 9, 15):
        signal(network, CAHORS, at(first, day), seen=[Seen.COLD], steps=[(6, SignalStatus.ACCEPTED)])
    html_ = page(client, "agent.franceservices", **period(months), commune=commune(CAHORS).pk)
    link = html.unescape(re.search(r'href="([^"]+)">Proposer un irritant</a>', html_).group(1))
    assert "/irritants/nouveau/?" in link
    form = html.unescape(client.get(link).content.decode())
    assert 'value="Vigies : logement froid à Cahors"' in form and "3\u00a0signalements" in form
    cahors = commune(CAHORS).pk
    assert re.search(rf'<option value="{cahors}"[^>]*selected', form)
