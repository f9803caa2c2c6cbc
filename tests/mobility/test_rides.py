"""Solidarity rides through HTTP: booking by phone, drivers answering from their link, exceptions, reminders,
trip records and the yearly figures (demo territory: six volunteers, one not yet checked)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from carteblanche.accounts.models import User
from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.mobility import rides
from carteblanche.mobility.enums import ProposalStatus, RideStatus
from carteblanche.mobility.models import Driver, Passenger, Proposal, RideRequest, Trip
from carteblanche.territories.models import Commune
from tests.demo import demo_territory, demo_user

SLUG = "bassin-de-vie-de-cahors"
SENT_SMS = []


class Outbox:
    def send(self, phone, text):
        SENT_SMS.append((phone, text))


@pytest.fixture(autouse=True)
def sms(settings):
    settings.SMS_BACKEND = "tests.mobility.test_rides.Outbox"
    SENT_SMS.clear()
    return SENT_SMS


@pytest.fixture
def territory():
    return demo_territory()


@pytest.fixture
def operator():
    return demo_user("agent.franceservices")


def next_weekday(weekday: int) -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7 or 7)


def book(client, territory, passenger, *, day=None, time="10:00", **extra):
    data = {
        "passenger": passenger.pk,
        "from_home": "on",
        "destination": "Accueil CAF du Lot",
        "destination_commune": Commune.objects.get(insee_code="46042").pk,
        "purpose": "demarche",
        "date": (day or next_weekday(1)).isoformat(),  # a Tuesday
        "time": time,
        "margin_minutes": 20,
        "return_kind": "attente",
        "duration_minutes": 60,
        "channel": "telephone",
    }
    data.update(extra)
    return client.post(reverse("mobility:ride_add", args=[territory.slug]), data)


def link_of(message_body: str) -> str:
    return re.search(r"https?://[^\s]+/trajets/reponse/[^\s/]+/", message_body).group(0)


def test_registering_a_passenger_needs_her_consent(client, territory, operator):
    client.force_login(operator)
    url = reverse("mobility:passenger_add", args=[territory.slug])
    data = {
        "first_name": "Odette",
        "last_name": "Rigal",
        "phone": "05 65 00 01 99",
        "commune": Commune.objects.get(insee_code="46073").pk,
        "consent_channel": "telephone",
    }
    response = client.post(url, data)
    assert "Sans l&#x27;accord de la personne" in response.content.decode()
    assert not Passenger.objects.filter(last_name="Rigal").exists()
    response = client.post(url, {**data, "phone": "05 65", "consent": "on"})
    assert "Numéro de téléphone incomplet" in response.content.decode()
    response = client.post(url, {**data, "consent": "on"})
    odette = Passenger.objects.get(last_name="Rigal")
    assert response["Location"].endswith(f"?passager={odette.pk}")
    assert odette.phone == "0565000199" and odette.consent_at is not None and odette.registered_by == operator
    assert JournalEntry.objects.about(odette).filter(action=Action.PERSONAL_DATA_WRITTEN).exists()


def test_a_ride_booked_by_phone_is_offered_to_the_best_checked_drivers_and_the_first_to_accept_gets_it(
    client, territory, operator, django_capture_on_commit_callbacks, sms
):
    client.force_login(operator)
    germaine = Passenger.objects.get(last_name="Lafon")  # Vaylats; prefers Jean-Pierre
    with django_capture_on_commit_callbacks(execute=True):
        response = book(client, territory, germaine)
    ride = RideRequest.objects.get(passenger=germaine, status=RideStatus.PROPOSED)
    assert response["Location"] == ride.get_absolute_url()
    proposals = list(ride.proposals.order_by("rank"))
    assert 1 <= len(proposals) <= 3
    assert all(p.driver.identity_checked_at for p in proposals)  # Nadia, not checked yet, is never asked
    assert proposals[0].driver.last_name == "Delmas"  # available on Tuesday mornings, preferred by Germaine
    assert len(mail.outbox) == len(proposals)
    assert [e.action for e in ride.events.all()] == ["creee", "proposee"]

    # The first driver opens the link: the ride, but not yet the passenger's phone; he accepts.
    link = link_of(next(m.body for m in mail.outbox if proposals[0].driver.email in m.to))
    client.logout()
    page = client.get(link).content.decode()
    assert "J'accepte ce trajet" in page and germaine.phone not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link, {"reponse": "accepter"})
    ride.refresh_from_db()
    assert ride.status == RideStatus.CONFIRMED and ride.driver == proposals[0].driver
    confirmed_page = client.get(link).content.decode()
    assert germaine.phone in confirmed_page
    # Whom to call if something comes up: the desk, by its number; the distances, the passenger's and his own.
    assert "appelez la permanence (Transport solidaire du Grand Cahors) au" in confirmed_page
    assert 'href="tel:0536491234"' in confirmed_page and "km avec le passager" in confirmed_page
    assert "km avec le passager" in next(m.body for m in mail.outbox if proposals[0].driver.email in m.to)
    assert sms and sms[-1][0] == germaine.phone and "confirmé" in sms[-1][1]
    assert JournalEntry.objects.about(germaine).filter(action=Action.PERSONAL_DATA_READ).exists()
    # The others' links now say it is taken.
    if len(proposals) > 1:
        assert Proposal.objects.get(pk=proposals[1].pk).status == ProposalStatus.WITHDRAWN
        other = link_of(next(m.body for m in mail.outbox if proposals[1].driver.email in m.to))
        client.post(other, {"reponse": "accepter"})
        assert "déjà trouvé son chauffeur" in client.get(other).content.decode()
    ride.refresh_from_db()
    assert ride.driver == proposals[0].driver
    assert [e.action for e in ride.events.all()][-1] == "acceptee"


def test_declines_pass_the_ride_on_until_nobody_is_left_then_the_operator_sees_it(
    client, territory, operator, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    yvette = Passenger.objects.get(last_name="Marty")
    with django_capture_on_commit_callbacks(execute=True):
        book(client, territory, yvette)
    ride = RideRequest.objects.get(passenger=yvette, status=RideStatus.PROPOSED)
    asked = set()
    while ride.status == RideStatus.PROPOSED:
        for proposal in ride.proposals.filter(status=ProposalStatus.SENT):
            asked.add(proposal.driver_id)
            with django_capture_on_commit_callbacks(execute=True):
                rides.decline(proposal)
        ride.refresh_from_db()
    assert ride.status == RideStatus.NO_SOLUTION
    assert ride.proposals.count() == len(asked)  # nobody is asked twice
    assert ride.events.last().action == "sans_chauffeur"
    desk = client.get(reverse("mobility:rides", args=[territory.slug])).content.decode()
    assert "Yvette Marty" in desk
    # The operator reaches a volunteer by phone and assigns the ride.
    driver = Driver.objects.get(last_name="Vayssière")
    client.post(reverse("mobility:ride_assign", args=[territory.slug, ride.pk]), {"driver": driver.pk})
    ride.refresh_from_db()
    assert ride.status == RideStatus.CONFIRMED and ride.driver == driver
    assert ride.events.last().actor == operator


def test_a_wheelchair_ride_on_saturday_afternoon_has_no_solution(territory):
    ride = RideRequest.objects.get(territory=territory, passenger__last_name="Cayla", status=RideStatus.NO_SOLUTION)
    assert ride.events.last().note.startswith("Aucun chauffeur disponible")


def test_reminders_the_day_before_once(territory, operator, sms):
    germaine = Passenger.objects.get(last_name="Lafon")
    driver = Driver.objects.get(last_name="Delmas")
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    ride = confirmed_ride(territory, germaine, driver, tomorrow.replace(hour=10, minute=0))
    mail.outbox.clear()
    assert rides.send_reminders() == 1
    assert sms[-1][0] == germaine.phone and "Jean-Pierre" in sms[-1][1]
    assert driver.email in mail.outbox[-1].to and germaine.phone in mail.outbox[-1].body
    assert rides.send_reminders() == 0
    ride.refresh_from_db()
    assert ride.reminded_at is not None and ride.events.last().action == "rappel"


def test_a_trip_is_recorded_with_a_participation_capped_per_km_and_counts_in_the_yearly_figures(
    client, territory, operator
):
    client.force_login(operator)
    before = rides.yearly_figures(territory, timezone.localdate().year)
    ride = RideRequest.objects.filter(territory=territory, status=RideStatus.CONFIRMED).first() or _confirmed(
        territory
    )
    url = reverse("mobility:ride_trip", args=[territory.slug, ride.pk])
    response = client.post(url, {"km": "40", "participation": "20"}, follow=True)
    assert "La participation ne peut dépasser 12,80 €" in response.content.decode()
    assert not Trip.objects.filter(ride=ride).exists()
    client.post(url, {"km": "40", "participation": "8.00"})
    trip = Trip.objects.get(ride=ride)
    assert trip.km == Decimal("40.0") and trip.driver == ride.driver
    year = timezone.localtime(ride.appointment_at).year
    after = rides.yearly_figures(territory, year)
    if year == before["year"]:
        assert after["trips"] == before["trips"] + 1
    page = client.get(reverse("mobility:rides_year", args=[territory.slug, year])).content.decode()
    assert "Chauffeurs bénévoles ayant conduit" in page
    csv = client.get(reverse("mobility:rides_year", args=[territory.slug, year]) + "?format=csv")
    assert "Trajets effectués;" in csv.content.decode("utf-8-sig")


def _confirmed(territory):
    passenger, driver = Passenger.objects.get(last_name="Fourès"), Driver.objects.get(last_name="Pélissié")
    return confirmed_ride(territory, passenger, driver, timezone.now() - datetime.timedelta(days=1))


def confirmed_ride(territory, passenger, driver, when):
    """A ride already confirmed with its driver, from the passenger's commune to Cahors."""
    return RideRequest.objects.create(
        territory=territory,
        passenger=passenger,
        origin=passenger.commune.name,
        origin_latitude=passenger.commune.latitude,
        origin_longitude=passenger.commune.longitude,
        destination="Cahors",
        destination_latitude=44.45,
        destination_longitude=1.44,
        purpose="sante",
        appointment_at=when,
        status=RideStatus.CONFIRMED,
        driver=driver,
    )


def test_the_demo_year_gives_the_social_utility_transport_figures(territory):
    # The demo holds every trip since the first days of last year: last year's figures are complete, whatever today.
    figures = rides.yearly_figures(territory, timezone.localdate().year - 1)
    assert figures["trips"] > 20 and figures["drivers"] >= 4 and figures["beneficiaries"] == 4
    assert figures["participation_per_km"] <= figures["cap_per_km"]
    assert figures["average_km"] > 0


def test_only_members_who_organise_rides_reach_the_desk(client, territory):
    client.force_login(User.objects.get(email="jury@demo.carteblanche.fr"))
    assert client.get(reverse("mobility:rides", args=[territory.slug])).status_code in (403, 404)
    client.logout()
    assert client.get(reverse("mobility:answer", args=["inconnu"])).status_code == 404


def test_the_evening_command_sends_tomorrows_reminders(territory):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("send_ride_reminders", stdout=out)
    assert "rappels envoyés" in out.getvalue() or "rappel envoyé" in out.getvalue()


def test_lists_of_people_are_journaled(client, territory, operator):
    client.force_login(operator)
    germaine = Passenger.objects.get(last_name="Lafon")
    page = client.get(reverse("mobility:passengers", args=[territory.slug]), {"q": "Lafon"}).content.decode()
    assert "Germaine Lafon" in page and "Yvette" not in page
    assert JournalEntry.objects.about(germaine).filter(reason__startswith="Liste des passagers").count() == 1
    client.get(reverse("mobility:drivers", args=[territory.slug]))
    driver = Driver.objects.get(last_name="Delmas")
    assert JournalEntry.objects.about(driver).filter(reason__startswith="Liste des chauffeurs").exists()


def test_reminders_the_day_before_count_days_in_paris_even_near_midnight(territory, sms, clock):
    """Sent at 23:50, the reminders go for the rides of tomorrow in Paris: one at 00:30 (still today in UTC) is
    reminded, one at 00:10 the day after is not."""
    germaine = Passenger.objects.get(last_name="Lafon")
    driver = Driver.objects.get(last_name="Delmas")
    evening = timezone.make_aware(datetime.datetime.combine(clock.today, datetime.time(23, 50)))
    clock.move_to(evening)
    tomorrow = clock.today + datetime.timedelta(days=1)
    just_after_midnight = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(0, 30)))
    the_night_after = timezone.make_aware(
        datetime.datetime.combine(tomorrow + datetime.timedelta(days=1), datetime.time(0, 10))
    )
    soon = confirmed_ride(territory, germaine, driver, just_after_midnight)
    later = confirmed_ride(territory, germaine, driver, the_night_after)
    RideRequest.objects.exclude(pk__in=[soon.pk, later.pk]).update(reminded_at=evening)
    assert rides.send_reminders() == 1
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.reminded_at is not None and later.reminded_at is None


def test_a_ride_to_come_cannot_be_recorded_as_done_and_the_desk_sees_why_each_driver_was_asked(
    client, territory, operator
):
    passenger, driver = Passenger.objects.get(last_name="Fourès"), Driver.objects.get(last_name="Pélissié")
    ride = confirmed_ride(territory, passenger, driver, timezone.now() + datetime.timedelta(days=3))
    client.force_login(operator)
    page = client.get(ride.get_absolute_url()).content.decode()
    assert "pourra être enregistré comme effectué après la prise en charge" in page
    assert "Pourquoi chaque chauffeur a été sollicité ou non" in page
    url = reverse("mobility:ride_trip", args=[territory.slug, ride.pk])
    response = client.post(url, {"km": "20", "participation": "2"})
    assert not Trip.objects.filter(ride=ride).exists()
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("ne peut être enregistré comme effectué qu'une fois la prise en charge passée" in m for m in messages)
    review = {str(row["driver"]): row["why"] for row in rides.driver_review(ride)}
    assert len(review) == Driver.objects.active().filter(territory=territory).count()
    assert all(review.values())


def accepted_ride(client, territory, operator, capture):
    """Germaine's ride, accepted by the first driver asked; returns the ride and that driver's link."""
    client.force_login(operator)
    germaine = Passenger.objects.get(last_name="Lafon")
    with capture(execute=True):
        book(client, territory, germaine)
    ride = RideRequest.objects.get(passenger=germaine, status=RideStatus.PROPOSED)
    first = ride.proposals.order_by("rank").first()
    link = link_of(next(m.body for m in mail.outbox if first.driver.email in m.to))
    client.logout()
    with capture(execute=True):
        client.post(link, {"reponse": "accepter"})
    assert germaine.phone in client.get(link).content.decode()
    ride.refresh_from_db()
    return ride, link


def test_a_drivers_link_stops_showing_the_passenger_once_the_ride_is_cancelled(
    client, territory, operator, django_capture_on_commit_callbacks
):
    ride, link = accepted_ride(client, territory, operator, django_capture_on_commit_callbacks)
    client.force_login(operator)
    client.post(reverse("mobility:ride_cancel", args=[territory.slug, ride.pk]), {"reason": "Rendez-vous reporté"})
    ride.refresh_from_db()
    assert ride.status == RideStatus.CANCELLED
    client.logout()
    response = client.get(link)
    page = response.content.decode()
    assert response.status_code == 404 and "Ce lien n'est plus valable" in page
    assert ride.passenger.phone not in page and ride.passenger.last_name not in page and ride.destination not in page
    assert client.post(link, {"reponse": "accepter"}).status_code == 404


def test_a_drivers_link_expires_when_the_ride_is_over(
    client, territory, operator, django_capture_on_commit_callbacks, clock
):
    ride, link = accepted_ride(client, territory, operator, django_capture_on_commit_callbacks)
    clock.move_to(ride.busy_until - datetime.timedelta(minutes=1))
    assert ride.passenger.phone in client.get(link).content.decode()  # still useful during the ride
    clock.move_to(ride.busy_until + datetime.timedelta(minutes=1))
    page = client.get(link).content.decode()
    assert "Ce lien n'est plus valable" in page and ride.passenger.phone not in page


def test_a_drivers_link_ends_when_the_trip_is_recorded(
    client, territory, operator, django_capture_on_commit_callbacks, clock
):
    ride, link = accepted_ride(client, territory, operator, django_capture_on_commit_callbacks)
    clock.move_to(ride.pickup_at + datetime.timedelta(minutes=5))
    rides.record_trip(ride, km=Decimal("20"), participation=Decimal("0"), user=operator)
    assert "Ce lien n'est plus valable" in client.get(link).content.decode()
