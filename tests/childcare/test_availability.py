"""Childminders' availability: reminded from 15 May for the 1 June deadline (and from 15 November for 1 December),
once a campaign, with a personal link to declare it; the advisers' list marks who is out of date, and the campaign's
export says who was reminded and who answered."""

import csv
import datetime
import html
import io
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from carteblanche.childcare import availability
from carteblanche.childcare.enums import ProviderKind
from carteblanche.childcare.models import KeptChild, Provider
from carteblanche.childcare.services import ChildcareError
from carteblanche.core.models import OutgoingMessage
from carteblanche.territories.models import Commune
from tests.demo import demo_territory, demo_user

MAY_14 = datetime.date(2027, 5, 14)
MAY_15 = datetime.date(2027, 5, 15)
JUNE_1 = datetime.date(2027, 6, 1)
JUNE_2 = datetime.date(2027, 6, 2)


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def provider(name, *, updated_on, kind=ProviderKind.CHILDMINDER, email="", phone="", is_active=True):
    return Provider.objects.create(
        territory=demo_territory(),
        kind=kind,
        name=name,
        commune=Commune.objects.get(insee_code="46042"),
        email=email,
        phone=phone,
        capacity=3,
        opening={"0": [[16, 36]]},
        availability_updated_on=updated_on,
        is_active=is_active,
    )


def reminder_of(someone) -> str:
    return next(m.body for m in mail.outbox if someone.email in m.to)


def link_in(body: str) -> str:
    return re.search(r"/garde/disponibilites/[^/\s]+/", body).group(0)


def test_due_only_within_the_campaign_windows():
    stale = provider("Mme Ancienne-Test", updated_on=datetime.date(2027, 3, 1), email="ancienne@exemple.fr")
    never = provider("Mme Jamais-Test", updated_on=None, phone="06 11 22 33 44")
    fresh = provider("Mme Àjour-Test", updated_on=MAY_15, email="ajour@exemple.fr")
    creche = provider("Crèche Test", updated_on=None, kind=ProviderKind.CRECHE, email="creche@exemple.fr")
    stopped = provider("Mme Retraitée-Test", updated_on=None, email="retraitee@exemple.fr", is_active=False)
    for day in (MAY_14, JUNE_1, JUNE_2, datetime.date(2027, 11, 14), datetime.date(2027, 12, 1)):
        assert not availability.reminders_due(today=day).exists(), day
    for day in (MAY_15, datetime.date(2027, 5, 31)):
        due = set(availability.reminders_due(demo_territory(), today=day))
        assert {stale, never} <= due, day
        assert not {fresh, creche, stopped} & due, day
    # November: what was declared in May is out of date again.
    assert fresh in set(availability.reminders_due(today=datetime.date(2027, 11, 15)))
    assert availability.current_campaign(datetime.date(2027, 11, 30)).deadline == datetime.date(2027, 12, 1)


def test_a_reminder_once_a_campaign_with_the_deadline_monenfant_and_the_relais(clock):
    clock.move_to(MAY_15)
    stale = provider("Mme Ancienne-Test", updated_on=datetime.date(2027, 3, 1), email="ancienne@exemple.fr")
    unreachable = provider("Mme Injoignable-Test", updated_on=None)
    mail.outbox.clear()
    sent = availability.reminders_send(today=MAY_15)
    assert sent >= 1
    body = reminder_of(stale)
    assert "avant le 1er juin 2027" in body.lower() and "monenfant.fr" in body and "relais" in body
    key = f"garde-disponibilites:{stale.pk}:2027-06-01"
    assert OutgoingMessage.objects.filter(key=key).count() == 1
    assert not OutgoingMessage.objects.filter(key__startswith=f"garde-disponibilites:{unreachable.pk}:").exists()
    # The next day's run sends nothing twice, and the first link still works.
    clock.move_to(MAY_15 + datetime.timedelta(days=1))
    mail.outbox.clear()
    assert availability.reminders_send(today=MAY_15 + datetime.timedelta(days=1)) == 0
    assert mail.outbox == []
    assert availability.provider_for(link_in(body).split("/")[-2]) == stale


def test_the_daily_command_and_its_beat_entry(clock):
    clock.move_to(MAY_14)
    out = io.StringIO()
    call_command("childcare_reminders", stdout=out)
    assert out.getvalue().strip() == "0\u00a0rappel envoyé."
    entry = settings.CELERY_BEAT_SCHEDULE["rappels-disponibilites-garde"]
    assert entry["task"] == "childcare.send_availability_reminders"
    from carteblanche.childcare.tasks import send_availability_reminders

    assert send_availability_reminders.name == entry["task"]
    assert send_availability_reminders() == 0  # outside a campaign


def test_a_declaration_is_a_week_of_half_hours_or_nothing_is_saved():
    someone = provider("Mme Ancienne-Test", updated_on=datetime.date(2027, 3, 1))
    with pytest.raises(ChildcareError, match="Jour inconnu"):
        availability.availability_update(provider=someone, opening_pattern={"9": [[16, 24]]}, today=MAY_15)
    someone.refresh_from_db()
    assert someone.opening == {"0": [[16, 36]]} and someone.availability_updated_on == datetime.date(2027, 3, 1)
    # No place left this semester: an empty week, dated.
    availability.availability_update(provider=someone, opening_pattern={}, today=MAY_15)
    someone.refresh_from_db()
    assert someone.opening == {} and someone.availability_updated_on == MAY_15


def test_the_link_updates_her_availability_and_its_date_then_stops_after_its_lifetime(client, clock):
    clock.move_to(MAY_15)
    stale = provider("Mme Ancienne-Test", updated_on=datetime.date(2027, 3, 1), email="ancienne@exemple.fr")
    child = KeptChild.objects.create(
        provider=stale,
        birth_date=datetime.date(2026, 1, 10),
        schedule={"0": [[16, 34]]},
        first_date=datetime.date(2026, 9, 1),
    )
    mail.outbox.clear()
    availability.reminders_send(today=MAY_15)
    link = link_in(reminder_of(stale))
    page = client.get(link)
    assert page.status_code == 200
    assert "Mme Ancienne-Test" in text(page) and "Agrément : 3 enfants à la fois" in text(page)
    assert "3\u00a0enfants" in page.content.decode()  # a non-breaking space between the number and its word
    assert "lundi 8 h 00 – 18 h 00" in text(page)  # what the relais knows today
    assert "2026-01-10" not in text(page) and "10 janvier 2026" not in text(page)  # no child's birth date
    clock.move_to(datetime.date(2027, 5, 20))
    refused = client.post(link, {"j0_1_de": "12:00", "j0_1_a": "08:00"})
    assert "l'heure de fin doit suivre" in text(refused)
    answer = client.post(
        link,
        {"j0_1_de": "08:00", "j0_1_a": "12:00", "j2_1_de": "13:30", "j2_1_a": "18:00", "ended": [child.pk]},
    )
    assert answer.status_code == 302 and answer["Location"] == link
    stale.refresh_from_db()
    child.refresh_from_db()
    assert stale.opening == {"0": [[16, 24]], "2": [[27, 36]]}
    assert stale.availability_updated_on == datetime.date(2027, 5, 20)
    assert child.last_date == datetime.date(2027, 5, 19)
    assert stale not in set(availability.reminders_due(today=datetime.date(2027, 5, 20)))
    assert "mercredi 13 h 30 – 18 h 00" in text(client.get(link))
    # A week after the deadline, the link is over.
    clock.move_to(datetime.date(2027, 6, 7))
    assert client.get(link).status_code == 200
    clock.move_to(datetime.date(2027, 6, 8))
    over = client.get(link)
    assert over.status_code == 404 and "Ce lien a expiré" in text(over)


def test_the_list_marks_who_must_update_and_the_export_says_who_was_reminded(client, clock):
    clock.move_to(MAY_15)
    stale = provider("Mme Ancienne-Test", updated_on=datetime.date(2027, 3, 1), email="ancienne@exemple.fr")
    fresh = provider("Mme Àjour-Test", updated_on=datetime.date(2027, 5, 15), phone="06 11 22 33 44")
    availability.reminders_send(today=MAY_15)
    # In July, outside a campaign: the June campaign judges them.
    clock.move_to(datetime.date(2027, 7, 1))
    client.force_login(demo_user("agent.franceservices"))
    page = text(client.get(reverse("childcare:providers", args=[demo_territory().slug])))
    found = re.findall(r"<tr>(.*?)</tr>", page)
    rows = {name: row for row in found for name in (stale.name, fresh.name) if name in row}
    assert "disponibilités à mettre à jour" in rows[stale.name]
    assert "Rappel du 15 mai 2027 (échéance du 1er juin 2027)" in rows[stale.name]
    assert "disponibilités à mettre à jour" not in rows[fresh.name]
    assert "Assistante maternelle" in page and "Micro-crèche" in page  # by kind, the demo's structures too
    export = client.get(reverse("childcare:providers_csv", args=[demo_territory().slug]))
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert export["Content-Disposition"].startswith('attachment; filename="disponibilites-bassin-de-vie-de-cahors-')
    lines = list(csv.reader(export.content.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert lines[0] == availability.CSV_COLUMNS
    by_name = {line[0]: line for line in lines[1:]}
    assert by_name[stale.name] == [
        stale.name,
        "Assistante maternelle",
        "Cahors",
        "oui",
        "non",
        "2027-03-01",
        "2027-05-15",
        "2027-06-01",
        "non",
    ]
    assert by_name[fresh.name][3:] == ["non", "oui", "2027-05-15", "", "", "oui"]
    assert "Micro-crèche Les Lutins" not in by_name  # structures are not asked their availability


def test_the_team_sends_the_reminders_now_an_agent_cannot(client, clock):
    clock.move_to(MAY_15)
    stale = provider("Mme Ancienne-Test", updated_on=None, email="ancienne@exemple.fr")
    url = reverse("childcare:providers_remind", args=[demo_territory().slug])
    client.force_login(demo_user("agent.franceservices"))
    assert client.post(url).status_code == 403
    client.force_login(demo_user("equipe"))
    assert client.post(url).status_code == 302
    assert OutgoingMessage.objects.filter(key=f"garde-disponibilites:{stale.pk}:2027-06-01").exists()
