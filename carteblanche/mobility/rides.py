"""Solidarity rides, from the request to the yearly report. The operator only handles exceptions:

requested → matching → proposed (the best drivers get a link) → confirmed (the first who accepts) → done;
a driver who declines lets the next ones be asked; nobody left → « sans solution », on the operator's list.
Every step is written in the ride's log; every message to a person is journaled as a read of their contact details.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core import french, links
from carteblanche.core.messaging import notify

from . import matching
from .enums import ProposalStatus, ReturnKind, RideAction, RideStatus
from .models import Driver, Proposal, RideEvent, RideRequest, RideSettings, Trip

RECENT_DAYS = 30
ANSWER_PURPOSE = "reponse-chauffeur"  # a driver's personal link to a ride offered to her


class RideError(ValueError):
    """A step that cannot be taken now, with the reason in French."""


def settings_for(territory) -> RideSettings:
    found, _ = RideSettings.objects.get_or_create(territory=territory)
    return found


def log(ride, action, *, user=None, label: str = "", note: str = "") -> RideEvent:
    if not label and user is not None and user.is_authenticated:
        label = user.get_full_name() or user.email
    return RideEvent.objects.create(
        ride=ride,
        action=action,
        actor=user if user is not None and user.is_authenticated else None,
        actor_label=label or "Carte blanche (automatique)",
        note=note[:300],
    )


def journal_contact(person, *, reason: str, user=None, fields=("téléphone",)) -> None:
    journal_list([person], user=user, reason=reason, fields=fields)


def journal_list(persons, *, user, reason: str, fields=("nom", "commune")) -> None:
    """A list that shows people's names (or one person's contact): one journal line per person shown."""
    JournalEntry.objects.bulk_create(
        [
            JournalEntry.build(
                action=Action.PERSONAL_DATA_READ,
                actor=user,
                target=person,
                territory=person.territory,
                reason=reason,
                fields=list(fields),
            )
            for person in persons
        ]
    )


@transaction.atomic
def person_save(*, person, consent: bool, identity_checked: bool | None, user, what: str):
    """A passenger's or a driver's file from its form (``form.save(commit=False)``): when she agreed, when her
    identity was checked and by whom, and the write journaled. ``identity_checked`` None: not asked on this form."""
    if not person.pk:
        person.registered_by = user
    if consent and not person.consent_at:
        person.consent_at = timezone.now()
    if identity_checked and not person.identity_checked_at:
        person.identity_checked_at, person.identity_checked_by = timezone.now(), user
    elif identity_checked is False:
        person.identity_checked_at, person.identity_checked_by = None, None
    person.save()
    journal_written(person, user=user, what=what)
    return person


def journal_written(person, *, user, what: str) -> None:
    JournalEntry.log(
        action=Action.PERSONAL_DATA_WRITTEN,
        actor=user,
        target=person,
        territory=person.territory,
        reason=f"Inscription ou mise à jour ({what}), avec l'accord de la personne",
    )


@transaction.atomic
def ride_create(*, territory, data: dict, user, base_url: str | None = None) -> RideRequest:
    """A ride booked by an operator (often by phone), then offered at once to the best drivers."""
    passenger = data["passenger"]
    if data.get("from_home", True) or not data.get("origin_commune"):
        origin_commune = passenger.commune
        origin = ", ".join(part for part in (passenger.address, passenger.commune.name) if part)
    else:
        origin_commune = data["origin_commune"]
        origin = origin_commune.name
    site = data.get("destination_site")
    if site is not None:
        destination = f"{site.name}, {site.commune.name}" if site.commune_id else site.name
        destination_point = (site.latitude, site.longitude)
    else:
        destination = f"{data['destination']}, {data['destination_commune'].name}"
        destination_point = (data["destination_commune"].latitude, data["destination_commune"].longitude)
    ride = RideRequest.objects.create(
        territory=territory,
        passenger=passenger,
        origin=origin[:200],
        origin_latitude=origin_commune.latitude,
        origin_longitude=origin_commune.longitude,
        destination=destination[:200],
        destination_latitude=destination_point[0],
        destination_longitude=destination_point[1],
        purpose=data["purpose"],
        appointment_at=data["appointment_at"],
        margin_minutes=data["margin_minutes"],
        return_kind=data["return_kind"],
        duration_minutes=data["duration_minutes"],
        wheelchair=data["wheelchair"],
        needs_help=data["needs_help"],
        notes=data.get("notes", ""),
        channel=data["channel"],
        created_by=user,
    )
    log(ride, RideAction.CREATED, user=user, note=ride.get_channel_display())
    propose(ride, user=user, base_url=base_url)
    ride.refresh_from_db()
    return ride


def request_info(ride: RideRequest, excluded=frozenset()) -> matching.RequestInfo:
    return matching.RequestInfo(
        id=ride.pk,
        origin=(ride.origin_latitude, ride.origin_longitude),
        destination=(ride.destination_latitude, ride.destination_longitude),
        start=timezone.localtime(ride.pickup_at),
        end=timezone.localtime(ride.busy_until),
        round_trip=ride.return_kind != ReturnKind.ONE_WAY,
        wheelchair=ride.wheelchair,
        preferred=ride.passenger.preferred_driver_id,
        excluded=frozenset(excluded),
    )


def driver_infos(territory, around: datetime.datetime, *, exclude_ride=None) -> list[matching.DriverInfo]:
    """Active, checked drivers with their load of the last 30 days and their rides around that date."""
    since = around - datetime.timedelta(days=RECENT_DAYS)
    drivers = (
        Driver.objects.active()
        .filter(territory=territory, identity_checked_at__isnull=False)
        .select_related("commune")
        .annotate(
            recent=Count(
                "rides",
                filter=Q(rides__appointment_at__gte=since, rides__appointment_at__lte=around)
                & Q(rides__status__in=[RideStatus.CONFIRMED, RideStatus.DONE]),
            )
        )
    )
    busy = {}
    day = datetime.timedelta(days=1)
    for ride in RideRequest.objects.filter(
        territory=territory,
        status=RideStatus.CONFIRMED,
        appointment_at__range=(around - day, around + day),
        driver__isnull=False,
    ).exclude(pk=exclude_ride):
        busy.setdefault(ride.driver_id, []).append(
            (timezone.localtime(ride.pickup_at), timezone.localtime(ride.busy_until))
        )
    return [
        matching.DriverInfo(
            id=d.pk,
            latitude=d.commune.latitude,
            longitude=d.commune.longitude,
            perimeter_km=d.perimeter_km,
            availability=frozenset(d.availability),
            wheelchair=d.wheelchair,
            recent_rides=d.recent,
            busy=busy.get(d.pk, []),
        )
        for d in drivers
    ]


@transaction.atomic
def propose(ride: RideRequest, *, user=None, base_url: str | None = None) -> list[Proposal]:
    """Ask the best drivers not asked yet; none left → « sans solution » for the operator."""
    ride = RideRequest.objects.select_for_update().select_related("passenger", "territory").get(pk=ride.pk)
    if ride.status not in (RideStatus.REQUESTED, RideStatus.MATCHING, RideStatus.PROPOSED, RideStatus.NO_SOLUTION):
        raise RideError("Ce trajet n'attend plus de chauffeur.")
    ride.status = RideStatus.MATCHING
    ride.save(update_fields=["status"])
    asked = set(ride.proposals.values_list("driver_id", flat=True))
    config = settings_for(ride.territory)
    candidates = matching.rank(
        request_info(ride, asked),
        driver_infos(ride.territory, timezone.localtime(ride.appointment_at)),
        limit=config.proposals_at_once,
    )
    if not candidates:
        ride.status = RideStatus.NO_SOLUTION
        ride.save(update_fields=["status"])
        note = "Aucun chauffeur disponible, dans son périmètre et libre à cette heure."
        if asked:
            note = "Les chauffeurs possibles ont tous été sollicités sans accepter."
        log(ride, RideAction.NO_DRIVER, user=user, note=note)
        return []
    drivers = {d.pk: d for d in Driver.objects.filter(pk__in=[c.driver for c in candidates])}
    start_rank = len(asked)
    proposals = []
    for offset, candidate in enumerate(candidates, start=1):
        proposal = Proposal.objects.create(
            ride=ride, driver=drivers[candidate.driver], rank=start_rank + offset, detour_km=candidate.km
        )
        # The driver opens it to read the ride, then answers: not used up by the first look. It shows the
        # passenger's contact once accepted, so it ends with the ride (cancelled, done, or over).
        token = links.issue(
            purpose=ANSWER_PURPOSE, target=proposal, single_use=False, nbytes=24, expires_at=ride.busy_until
        )
        proposals.append(proposal)
        link = (base_url or settings.PLATFORM_URL).rstrip("/") + reverse("mobility:answer", args=[token])
        transaction.on_commit(lambda p=proposal, url=link: _send_proposal(p, url))
    ride.status = RideStatus.PROPOSED
    ride.save(update_fields=["status"])
    names = ", ".join(f"{drivers[c.driver]} ({french.number(c.km, 0)} km)" for c in candidates)
    log(ride, RideAction.MATCHED, user=user, note=f"Proposé à : {names}")
    return proposals


def _when(ride: RideRequest) -> str:
    """« le mardi 15 décembre 2026 à 9 h 30 »."""
    pickup = timezone.localtime(ride.pickup_at)
    return f"{french.on_date(pickup, weekday=True)} à {matching.clock_of(pickup)}"


def _send_proposal(proposal: Proposal, link: str) -> None:
    ride, driver = proposal.ride, proposal.driver
    body = (
        f"Bonjour {driver.first_name},\n\n"
        f"Un trajet solidaire vous est proposé {_when(ride)} : de {ride.origin} à {ride.destination} "
        f"({ride.get_purpose_display().lower()}) : {french.number(passenger_km(ride), 0)} km avec le passager, "
        f"environ {french.number(proposal.detour_km, 0)} km pour vous depuis chez vous et retour.\n\n"
        f"Pour l'accepter ou le refuser : {link}\n\n"
        "Le premier chauffeur qui accepte prend le trajet. Merci !"
    )
    notify(
        key=f"ride-proposal:{proposal.pk}",
        send_before=ride.pickup_at,
        email=driver.email,
        phone=driver.phone,
        subject="Transport solidaire : un trajet vous est proposé",
        body=body,
        sms=f"Transport solidaire : trajet {_when(ride)} vers {ride.destination}. Répondre : {link}",
    )
    journal_contact(driver, reason="Proposition d'un trajet solidaire au chauffeur", fields=["téléphone", "courriel"])


def proposal_for(token: str) -> Proposal | None:
    """The proposal this driver's personal link answers (``core.links``), or None."""
    link = links.find(token, purpose=ANSWER_PURPOSE)
    if link is None:
        return None
    return (
        Proposal.objects.select_related("ride__passenger__commune", "ride__territory", "driver")
        .filter(pk=link.object_id)
        .first()
    )


@transaction.atomic
def accept(proposal: Proposal) -> RideRequest:
    ride = RideRequest.objects.select_for_update().get(pk=proposal.ride_id)
    proposal.refresh_from_db()
    if proposal.status != ProposalStatus.SENT or ride.status != RideStatus.PROPOSED:
        raise RideError("Ce trajet a déjà trouvé son chauffeur, ou il a été annulé. Merci pour votre disponibilité !")
    now = timezone.now()
    proposal.status, proposal.answered_at = ProposalStatus.ACCEPTED, now
    proposal.save(update_fields=["status", "answered_at"])
    ride.proposals.filter(status=ProposalStatus.SENT).update(status=ProposalStatus.WITHDRAWN, answered_at=now)
    ride.driver, ride.status = proposal.driver, RideStatus.CONFIRMED
    ride.save(update_fields=["driver", "status"])
    log(ride, RideAction.ACCEPTED, label=str(proposal.driver), note="Par son lien personnel.")
    transaction.on_commit(lambda: _tell_passenger_confirmed(ride))
    return ride


def _tell_passenger_confirmed(ride: RideRequest) -> None:
    passenger, driver = ride.passenger, ride.driver
    text = (
        f"Votre trajet {_when(ride)} vers {ride.destination} est confirmé : {driver.first_name} viendra vous "
        f"chercher ({driver.vehicle})."
    )
    notify(
        key=f"ride-confirmed:{ride.pk}:{driver.pk}",
        send_before=ride.pickup_at,
        email=passenger.email,
        phone=passenger.phone,
        subject="Transport solidaire : votre trajet est confirmé",
        body=f"Bonjour {passenger.first_name},\n\n{text}\n",
        sms=f"Transport solidaire : {text}",
    )
    journal_contact(passenger, reason="Confirmation d'un trajet solidaire au passager")


@transaction.atomic
def decline(proposal: Proposal, *, base_url: str | None = None) -> None:
    ride = RideRequest.objects.select_for_update().get(pk=proposal.ride_id)
    proposal.refresh_from_db()
    if proposal.status != ProposalStatus.SENT:
        raise RideError("Vous avez déjà répondu à cette proposition.")
    proposal.status, proposal.answered_at = ProposalStatus.DECLINED, timezone.now()
    proposal.save(update_fields=["status", "answered_at"])
    log(ride, RideAction.DECLINED, label=str(proposal.driver))
    if ride.status == RideStatus.PROPOSED and not ride.proposals.filter(status=ProposalStatus.SENT).exists():
        propose(ride, base_url=base_url)


@transaction.atomic
def assign(ride: RideRequest, driver: Driver, *, user) -> None:
    """The operator settles an exception by phone with a volunteer."""
    ride = RideRequest.objects.select_for_update().get(pk=ride.pk)
    if ride.status in (RideStatus.DONE, RideStatus.CANCELLED):
        raise RideError("Ce trajet est clos.")
    ride.proposals.filter(status=ProposalStatus.SENT).update(
        status=ProposalStatus.WITHDRAWN, answered_at=timezone.now()
    )
    ride.driver, ride.status = driver, RideStatus.CONFIRMED
    ride.save(update_fields=["driver", "status"])
    log(ride, RideAction.ASSIGNED, user=user, note=f"Chauffeur : {driver}")
    transaction.on_commit(lambda: _tell_passenger_confirmed(ride))


@transaction.atomic
def cancel(ride: RideRequest, *, user, reason: str) -> None:
    if ride.status in (RideStatus.DONE, RideStatus.CANCELLED):
        raise RideError("Ce trajet est déjà clos.")
    ride.proposals.filter(status=ProposalStatus.SENT).update(
        status=ProposalStatus.WITHDRAWN, answered_at=timezone.now()
    )
    ride.status = RideStatus.CANCELLED
    ride.save(update_fields=["status"])
    end_answer_links(ride)
    log(ride, RideAction.CANCELLED, user=user, note=reason)


def end_answer_links(ride: RideRequest) -> int:
    """The drivers' links to this ride stop working: it is cancelled or done, their purpose is over."""
    return links.revoke_all(purpose=ANSWER_PURPOSE, targets=Proposal.objects.filter(ride=ride))


def shows_passenger(proposal: Proposal) -> bool:
    """The driver's link shows the passenger's contact only to the driver who took the ride, and only until it is
    over."""
    ride = proposal.ride
    return (
        proposal.status == ProposalStatus.ACCEPTED
        and ride.status == RideStatus.CONFIRMED
        and ride.driver_id == proposal.driver_id
        and timezone.now() < ride.busy_until
    )


def _euros(value: Decimal) -> str:
    return f"{value:.2f} €".replace(".", ",")


def driver_review(ride: RideRequest) -> list[dict]:
    """Every active driver of the territory and why she was, or was not, asked for this ride (for the desk)."""
    asked = {p.driver_id: p for p in ride.proposals.all()}
    request = request_info(ride, frozenset())
    infos = {
        d.id: d for d in driver_infos(ride.territory, timezone.localtime(ride.appointment_at), exclude_ride=ride.pk)
    }
    ranked = {c.driver: (i, c) for i, c in enumerate(matching.rank(request, list(infos.values()), limit=1000), 1)}
    rows = []
    for driver in Driver.objects.active().filter(territory=ride.territory).select_related("commune"):
        if driver.pk in asked:
            proposal = asked[driver.pk]
            why = f"Sollicité (rang {proposal.rank}) : {proposal.get_status_display().lower()}."
        elif driver.pk not in infos:
            why = "Identité pas encore vérifiée : il ou elle ne peut pas être sollicité."
        elif driver.pk in ranked:
            place, candidate = ranked[driver.pk]
            why = (
                f"Possible, classé {place}e sur {len(ranked)} ({french.number(candidate.km, 0)} km"
                f"{', choisi par le passager' if candidate.preferred else ''}) : "
                "pas encore sollicité, les mieux placés l'ont été d'abord."
            )
        else:
            why = matching.why_not(request, infos[driver.pk])
        rows.append({"driver": driver, "why": why, "asked": driver.pk in asked})
    rows.sort(key=lambda r: (not r["asked"], r["driver"].pk not in ranked, str(r["driver"])))
    return rows


def passenger_km(ride: RideRequest) -> Decimal:
    """Kilometres driven with the passenger on board (twice the leg for a return trip), by road estimate."""
    leg = matching.road_km(
        (ride.origin_latitude, ride.origin_longitude), (ride.destination_latitude, ride.destination_longitude)
    )
    km = leg * (1 if ride.return_kind == ReturnKind.ONE_WAY else 2)
    return Decimal(str(round(km, 1)))


def participation_cap(ride: RideRequest, km: Decimal) -> Decimal:
    rate = settings_for(ride.territory).participation_per_km
    return (km * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def is_past(ride: RideRequest, now: datetime.datetime | None = None) -> bool:
    """Whether the ride's pick-up time has come: only then can it be recorded as done."""
    return (now or timezone.now()) >= ride.pickup_at


@transaction.atomic
def record_trip(ride: RideRequest, *, km: Decimal, participation: Decimal, user) -> Trip:
    if ride.status != RideStatus.CONFIRMED or ride.driver_id is None:
        raise RideError("Seul un trajet confirmé, avec son chauffeur, peut être enregistré comme effectué.")
    if not is_past(ride):
        raise RideError(
            f"Ce trajet est prévu {_when(ride)} : il ne peut être enregistré comme effectué qu'une fois la prise en "
            "charge passée."
        )
    cap = participation_cap(ride, km)
    if participation > cap:
        raise RideError(
            f"La participation ne peut dépasser {_euros(cap)} pour {str(km).replace('.', ',')} km "
            "(plafond par kilomètre)."
        )
    trip = Trip.objects.create(
        ride=ride,
        driver=ride.driver,
        passenger=ride.passenger,
        date=timezone.localtime(ride.appointment_at).date(),
        km=km,
        participation=participation,
        recorded_by=user,
    )
    ride.status = RideStatus.DONE
    ride.save(update_fields=["status"])
    end_answer_links(ride)
    log(
        ride, RideAction.DONE, user=user, note=f"{str(km).replace('.', ',')} km, participation {_euros(participation)}"
    )
    return trip


def send_reminders(now: datetime.datetime | None = None) -> int:
    """The day before, a reminder to the passenger and the driver of each confirmed ride (once)."""
    now = timezone.localtime(now)
    tomorrow = now.date() + datetime.timedelta(days=1)
    sent = 0
    rides = RideRequest.objects.filter(
        status=RideStatus.CONFIRMED, reminded_at__isnull=True, appointment_at__date=tomorrow
    ).select_related("passenger", "driver", "territory")
    for ride in rides:
        with transaction.atomic():
            claimed = RideRequest.objects.filter(pk=ride.pk, reminded_at__isnull=True).update(reminded_at=now)
            if not claimed:
                continue  # another worker sent it
            passenger, driver = ride.passenger, ride.driver
            notify(
                key=f"ride-reminder:{ride.pk}:passager",
                send_before=ride.pickup_at,
                email=passenger.email,
                phone=passenger.phone,
                subject="Transport solidaire : rappel de votre trajet de demain",
                body=f"Bonjour {passenger.first_name},\n\n{driver.first_name} viendra vous chercher {_when(ride)} "
                f"pour aller à {ride.destination}.\n",
                sms=f"Rappel : {driver.first_name} vient vous chercher {_when(ride)} pour {ride.destination}.",
            )
            notify(
                key=f"ride-reminder:{ride.pk}:chauffeur",
                send_before=ride.pickup_at,
                email=driver.email,
                phone=driver.phone,
                subject="Transport solidaire : rappel de votre trajet de demain",
                body=f"Bonjour {driver.first_name},\n\nDemain, vous conduisez {passenger.first_name} "
                f"{passenger.last_name} ({passenger.phone}) {_when(ride)}, de {ride.origin} à {ride.destination}.\n",
                sms=f"Rappel : demain {_when(ride)}, {passenger.first_name} {passenger.last_name} "
                f"({passenger.phone}), {ride.origin} → {ride.destination}.",
            )
            journal_contact(passenger, reason="Rappel de trajet au passager et au chauffeur")
            journal_contact(driver, reason="Rappel de trajet au chauffeur")
            log(ride, RideAction.REMINDED, note="Au passager et au chauffeur.")
            sent += 1
    return sent


def yearly_figures(territory, year: int) -> dict:
    """What an association reports for « transport d'utilité sociale » for a calendar year."""
    trips = Trip.objects.filter(ride__territory=territory, date__year=year)
    totals = trips.aggregate(
        trips=Count("pk"),
        drivers=Count("driver", distinct=True),
        beneficiaries=Count("passenger", distinct=True),
        total_km=Sum("km"),
        mean_km=Avg("km"),
        total_participation=Sum("participation"),
    )
    km = totals["total_km"] or Decimal(0)
    participation = totals["total_participation"] or Decimal(0)
    by_purpose = list(
        trips.values("ride__purpose").annotate(n=Count("pk")).order_by("-n").values_list("ride__purpose", "n")
    )
    requests = RideRequest.objects.filter(territory=territory, appointment_at__year=year)
    return {
        "year": year,
        "drivers": totals["drivers"],
        "beneficiaries": totals["beneficiaries"],
        "trips": totals["trips"],
        "km": km.quantize(Decimal("0.1")),
        "average_km": round(totals["mean_km"] or 0, 1),
        "participation": participation.quantize(Decimal("0.01")),
        "participation_per_km": (participation / km).quantize(Decimal("0.001")) if km else Decimal(0),
        "cap_per_km": settings_for(territory).participation_per_km,
        "by_purpose": by_purpose,
        "requests": requests.count(),
        "no_solution": requests.filter(status=RideStatus.NO_SOLUTION).count(),
        "cancelled": requests.filter(status=RideStatus.CANCELLED).count(),
    }


def figure_rows(figures: dict) -> list[tuple[str, object]]:
    """The yearly figures as (label, value) lines, for the page and the CSV file."""
    from .enums import RidePurpose

    purposes = dict(RidePurpose.choices)
    rows = [
        ("Année", figures["year"]),
        ("Chauffeurs bénévoles ayant conduit", figures["drivers"]),
        ("Personnes transportées (bénéficiaires)", figures["beneficiaries"]),
        ("Trajets effectués", figures["trips"]),
        ("Kilomètres parcourus avec les passagers", figures["km"]),
        ("Distance moyenne d'un trajet (km)", figures["average_km"]),
        ("Participations aux frais (€)", figures["participation"]),
        ("Participation moyenne par km (€)", figures["participation_per_km"]),
        ("Plafond de participation par km (€)", figures["cap_per_km"]),
        ("Demandes reçues", figures["requests"]),
        ("Demandes restées sans solution", figures["no_solution"]),
        ("Demandes annulées", figures["cancelled"]),
    ]
    rows += [(f"Trajets — {purposes.get(code, code)}", n) for code, n in figures["by_purpose"]]
    return rows
