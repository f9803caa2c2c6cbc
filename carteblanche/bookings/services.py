"""Every write of the bookings app: book (online, at the counter, by phone, from the waiting list), move, cancel,
mark seen or « lapin », absences and the people they concern, the waiting list, reminders.

A booking holds its time in ``SlotHold`` rows whose uniqueness the database enforces: when two people take the last
slot at the same instant, one insert fails and that person is told, in French, to choose another slot. Messages go
through ``core.messaging`` (one key each: never sent twice; ``send_before``: never after the appointment); personal
links through ``core.links`` (the appointment's link stops showing anything a day after it).
"""

import datetime
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from carteblanche.accounts.enums import Role
from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core import french, links, permissions
from carteblanche.core.enums import MessageChannel
from carteblanche.core.errors import ServiceError
from carteblanche.core.messaging import is_mobile, send

from . import slots, webhooks
from .enums import Audience, BookedVia, OfferStatus, Status, WaitStatus, WebhookEvent
from .models import Absence, Appointment, Motif, Resource, SlotHold, SlotOffer, WaitlistEntry

MANAGE_PURPOSE = "rdv"  # the person's link to her appointment: see it, move it, cancel it, add it to a calendar
OFFER_PURPOSE = "rdv-offre"  # a freed slot offered to someone of the waiting list
FEED_PURPOSE = "agenda-ics"  # an agent's or a resource's agenda, subscribed to in a calendar application
FEED_LIFETIME = datetime.timedelta(days=365)
MAX_OFFERS = 3  # a freed slot is offered to three people of the waiting list at most; the first to accept wins
EARLY_REMINDER = datetime.timedelta(days=2)
LATE_REMINDER = datetime.timedelta(hours=2)
TAKEN = "Ce créneau vient d'être pris par une autre personne : choisissez-en un autre."
CONTACT_FIELDS = ("first_name", "last_name", "phone", "email")
NEED_FIELDS = ("equipment_help", "language", "accessibility", "commune", "ride_wanted")


class BookingError(ServiceError):
    pass


# ---------------------------------------------------------------------------------------------------------------
# Who may book what


def organisations_of(user, territory) -> set[int]:
    """The organisations whose motifs an agent books and follows (her agent memberships)."""
    return permissions.organisations_of(user, territory, Role.AGENT)


def may_book(user, motif: Motif) -> bool:
    """An agent of the motif's organisation; an agent of the territory when partners may book it; the team and the
    prefecture; anyone (online, without an account) when residents may."""
    if motif.audience == Audience.RESIDENTS:
        return True
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.has_role(motif.territory, Role.PROJECT_TEAM, Role.PREFECTURE):
        return True
    mine = organisations_of(user, motif.territory)
    return motif.organisation_id in mine or (motif.audience == Audience.PARTNERS and bool(mine))


def may_follow(user, appointment: Appointment) -> bool:
    """Who sees an appointment's person and marks it: the organisation of its motif, the agent who holds it, the
    agent who booked it, the team and the prefecture."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.has_role(appointment.territory, Role.PROJECT_TEAM, Role.PREFECTURE):
        return True
    return appointment.motif.organisation_id in organisations_of(user, appointment.territory) or user.pk in (
        appointment.agent_id,
        appointment.booked_by_id,
    )


# ---------------------------------------------------------------------------------------------------------------
# Booking


def _journal(appointment: Appointment, *, actor, action=Action.PERSONAL_DATA_WRITTEN, reason: str) -> None:
    JournalEntry.log(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        target=appointment,
        territory=appointment.territory,
        reason=reason,
        fields=["nom", "téléphone", "courriel"],
    )


def journal_list(appointments, *, user, reason: str) -> None:
    """A day's list or an appointment's page shows names: one journal line per appointment shown."""
    JournalEntry.objects.bulk_create(
        [
            JournalEntry.build(
                action=Action.PERSONAL_DATA_READ,
                actor=user,
                target=appointment,
                territory=appointment.territory,
                reason=reason,
                fields=["nom", "téléphone"],
            )
            for appointment in appointments
        ]
    )


def _candidates(motif, *, start, site_id, bus_stop_id, calendar, now, respect_notice) -> list[slots.Slot]:
    day = timezone.localtime(start).date()
    found = slots.free_slots(motif, first=day, last=day, now=now, calendar=calendar, respect_notice=respect_notice)
    return [
        s
        for s in found
        if s.starts_at == start
        and (site_id is None or s.site_id == site_id)
        and (bus_stop_id is None or s.bus_stop_id == bus_stop_id)
    ]


def _hold(appointment: Appointment, slot: slots.Slot, motif: Motif) -> bool:
    """Insert the appointment's holds in a savepoint: False when the database says the time is taken."""
    if motif.is_collective:
        taken = set(SlotHold.objects.filter(calendar=slot.calendar, at=slot.starts_at).values_list("seat", flat=True))
        seats = [seat for seat in range(motif.capacity) if seat not in taken]
        for seat in seats:
            try:
                with transaction.atomic():
                    SlotHold.objects.create(
                        appointment=appointment, calendar=slot.calendar, at=slot.starts_at, seat=seat
                    )
                return True
            except IntegrityError:
                continue
        return False
    until = slot.starts_at + datetime.timedelta(minutes=motif.held_minutes)
    try:
        with transaction.atomic():
            SlotHold.objects.bulk_create(
                [
                    SlotHold(appointment=appointment, calendar=slot.calendar, at=at)
                    for at in slots.blocks(slot.starts_at, until)
                ]
            )
        return True
    except IntegrityError:
        return False


def _place(appointment: Appointment, slot: slots.Slot) -> None:
    appointment.agent_id, appointment.resource_id = slot.agent_id, slot.resource_id
    appointment.site_id, appointment.bus_stop_id = slot.site_id, slot.bus_stop_id
    appointment.starts_at, appointment.ends_at = slot.starts_at, slot.ends_at


def _take(appointment: Appointment, candidates: list[slots.Slot], motif: Motif) -> bool:
    """Save the appointment on the first candidate whose time the database lets it hold."""
    for slot in candidates:
        try:
            with transaction.atomic():
                _place(appointment, slot)
                appointment.save()
                if _hold(appointment, slot, motif):
                    return True
                raise IntegrityError("pris")
        except IntegrityError:
            appointment.pk = None
            continue
    return False


@transaction.atomic
def appointment_book(
    *,
    motif: Motif,
    start: datetime.datetime,
    who: dict,
    via: str,
    by=None,
    site_id: int | None = None,
    bus_stop_id: int | None = None,
    calendar: str = "",
    person=None,
    now: datetime.datetime | None = None,
    confirm: bool = True,
) -> Appointment:
    """Book ``motif`` at ``start`` (and its next sessions for a series) for the person described by ``who``
    (first and last name, phone or e-mail, practical needs). Online, the notice of the motif applies; an agent
    may book later than residents, never in the past. All sessions or none."""
    now = now or timezone.now()
    if not motif.is_active:
        raise BookingError("Ce motif n'est plus proposé.")
    online = via in (BookedVia.ONLINE, BookedVia.WAITLIST)
    first_free = slots.first_free(motif, now=now) if online else None
    series = uuid.uuid4() if motif.sessions > 1 else None
    booked = []
    for index in range(motif.sessions):
        moment = start + datetime.timedelta(days=index * motif.session_interval_days)
        if index:
            moment = _same_wall_time(start, index * motif.session_interval_days)
        candidates = _candidates(
            motif,
            start=moment,
            site_id=site_id,
            bus_stop_id=bus_stop_id,
            calendar=calendar or (booked[0].calendar if booked else ""),
            now=now,
            respect_notice=online and not index,
        )
        appointment = Appointment(
            territory=motif.territory,
            motif=motif,
            booked_via=via,
            booked_by=by if by is not None and by.is_authenticated else None,
            created_at=now,
            person=person,
            series=series,
            series_index=index + 1,
            **{f: who.get(f) or _blank(f) for f in CONTACT_FIELDS + NEED_FIELDS},
        )
        if first_free is not None:
            appointment.first_free_days = max(
                0, (timezone.localdate(first_free.starts_at) - timezone.localdate(now)).days
            )
        if not _take(appointment, candidates, motif):
            if index:
                raise BookingError(
                    f"La séance {index + 1} ({french.datetime_(moment)}) n'est pas libre : choisissez un autre "
                    "premier créneau, ou réservez les séances une à une."
                )
            raise BookingError(TAKEN)
        booked.append(appointment)
    first = booked[0]
    _journal(first, actor=by, reason=f"Rendez-vous pris ({first.get_booked_via_display().lower()})")
    webhooks.announce(booked, WebhookEvent.CREATED, now=now)
    if confirm:
        confirmation_send(appointment=first, sessions=booked)
    return first


def _blank(field: str):
    return None if field == "commune" else (False if field in ("equipment_help", "ride_wanted") else "")


def _same_wall_time(start: datetime.datetime, days: int) -> datetime.datetime:
    """The same Paris wall-clock time ``days`` later (a series at 9 h stays at 9 h across a change of time)."""
    local = timezone.localtime(start)
    day = local.date() + datetime.timedelta(days=days)
    moment = slots.wall(day, local.time())
    return (moment or datetime.datetime.combine(day, local.time(), tzinfo=slots.PARIS)).astimezone(datetime.UTC)


def manage_link(appointment: Appointment) -> str:
    """A new personal link to the appointment (earlier ones stop working), usable until the day after it."""
    token = links.issue(
        purpose=MANAGE_PURPOSE,
        target=appointment,
        expires_at=appointment.ends_at + datetime.timedelta(days=1),
        single_use=False,
    )
    return settings.PLATFORM_URL.rstrip("/") + reverse("bookings:manage", args=[token])


def appointment_for(token: str) -> Appointment | None:
    link = links.find(token, purpose=MANAGE_PURPOSE)
    if link is None:
        return None
    return (
        Appointment.objects.select_related("motif__organisation", "site__commune", "bus_stop__commune", "territory")
        .filter(pk=link.object_id)
        .first()
    )


def _tell(to, *, key: str, subject: str, body: str, sms: str, send_before=None) -> list[str]:
    """By SMS to ``to``'s mobile number and by e-mail to its address (an appointment, a waiting-list entry), each
    once (``key``), never after ``send_before``."""
    sent = []
    if to.phone and is_mobile(to.phone):
        send(key=f"{key}:sms", channel=MessageChannel.SMS, to=to.phone, text=sms, send_before=send_before)
        sent.append("sms")
    if to.email:
        send(
            key=f"{key}:email",
            channel=MessageChannel.EMAIL,
            to=to.email,
            subject=subject,
            text=body,
            send_before=send_before,
        )
        sent.append("email")
    return sent


def _where(appointment: Appointment) -> str:
    return appointment.place_label


def confirmation_send(*, appointment: Appointment, sessions=None) -> list[str]:
    """The confirmation, by SMS and e-mail, with the appointment's link (also kept on ``appointment.manage_url``
    for the page that follows the booking)."""
    link = manage_link(appointment)
    appointment.manage_url = link
    sessions = sessions or [appointment]
    when = appointment.when_label
    others = ""
    if len(sessions) > 1:
        others = "\nLes séances suivantes : " + ", ".join(s.when_label for s in sessions[1:]) + ".\n"
    note = "\nLe motif médical ne vous est jamais demandé.\n" if appointment.motif.no_health_data else ""
    return _tell(
        appointment,
        key=f"rdv-confirmation:{appointment.pk}",
        subject=f"Rendez-vous confirmé : {appointment.motif.name}",
        body=(
            f"Bonjour {appointment.first_name},\n\nVotre rendez-vous « {appointment.motif.name} » est confirmé "
            f"{when}.\nAdresse : {_where(appointment)}.\n{others}{note}\nPour l'ajouter à votre agenda, le déplacer "
            f"ou l'annuler :\n{link}\n\nSi vous ne pouvez pas venir, annulez-le : le créneau servira à quelqu'un "
            "d'autre.\n"
        ),
        sms=f"RDV {appointment.motif.name} {when}, {_where(appointment)}. Déplacer ou annuler : {link}",
        send_before=appointment.starts_at,
    )


# ---------------------------------------------------------------------------------------------------------------
# Changes


def _release(appointment: Appointment) -> None:
    appointment.holds.all().delete()


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, by=None, reason: str = "", now=None) -> Appointment:
    """Cancelled by the person (her link) or an agent: the time is freed and offered to the waiting list."""
    now = now or timezone.now()
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status != Status.BOOKED:
        raise BookingError("Ce rendez-vous n'est plus à venir : il ne peut plus être annulé.")
    if appointment.starts_at <= now:
        raise BookingError("Ce rendez-vous a déjà commencé : il ne peut plus être annulé.")
    appointment.status, appointment.status_changed_at = Status.CANCELLED, now
    appointment.cancel_reason = reason[:200]
    appointment.save(update_fields=["status", "status_changed_at", "cancel_reason"])
    _release(appointment)
    _journal(appointment, actor=by, reason=f"Rendez-vous annulé{f' ({reason})' if reason else ''}")
    webhooks.announce([appointment], WebhookEvent.CANCELLED, now=now)
    offer_freed(freed=appointment, now=now)
    return appointment


@transaction.atomic
def appointment_move(
    *, appointment: Appointment, start: datetime.datetime, site_id=None, bus_stop_id=None, by=None, now=None
):
    """The same person, another slot: the new one is held before the old one is freed (all or nothing)."""
    now = now or timezone.now()
    old = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if old.status != Status.BOOKED or old.starts_at <= now:
        raise BookingError("Ce rendez-vous n'est plus à venir : prenez-en un nouveau.")
    who = {f: getattr(old, f) for f in CONTACT_FIELDS + NEED_FIELDS}
    new = appointment_book(
        motif=old.motif,
        start=start,
        who=who,
        via=old.booked_via,
        by=by,
        site_id=site_id,
        bus_stop_id=bus_stop_id,
        person=old.person,
        now=now,
        confirm=False,
    )
    appointment_cancel(appointment=old, by=by, reason="déplacé par la personne", now=now)
    links.revoke(purpose=MANAGE_PURPOSE, target=old)
    confirmation_send(appointment=new)
    return new


@transaction.atomic
def appointment_rebook(
    *, appointment: Appointment, start: datetime.datetime, site_id=None, bus_stop_id=None, now=None
):
    """A new slot for an appointment an absence cancelled, from the person's link (which then stops working)."""
    if appointment.status != Status.CANCELLED or not appointment.cancel_reason.startswith("absence"):
        raise BookingError("Ce rendez-vous n'a pas été annulé par le service : déplacez-le plutôt.")
    who = {f: getattr(appointment, f) for f in CONTACT_FIELDS + NEED_FIELDS}
    new = appointment_book(
        motif=appointment.motif,
        start=start,
        who=who,
        via=appointment.booked_via,
        site_id=site_id,
        bus_stop_id=bus_stop_id,
        person=appointment.person,
        now=now,
    )
    links.revoke(purpose=MANAGE_PURPOSE, target=appointment)
    return new


@transaction.atomic
def appointment_mark(*, appointment: Appointment, status: str, by, now=None) -> Appointment:
    """Seen, « lapin » (no-show) or excused, in one click. Seen and no-show from the appointment's day on; an
    excused absence before it frees the time."""
    now = now or timezone.now()
    appointment = Appointment.objects.select_for_update().select_related("motif").get(pk=appointment.pk)
    if status not in (Status.SEEN, Status.NO_SHOW, Status.EXCUSED):
        raise BookingError("Choisissez : honoré, excusé ou non venu.")
    if appointment.status == Status.CANCELLED:
        raise BookingError("Ce rendez-vous a été annulé.")
    if status != Status.EXCUSED and timezone.localdate(appointment.starts_at) > timezone.localdate(now):
        raise BookingError("Un rendez-vous se marque honoré ou non venu le jour venu.")
    was = appointment.status
    appointment.status, appointment.status_changed_at = status, now
    appointment.save(update_fields=["status", "status_changed_at"])
    if was != status:
        webhooks.announce([appointment], webhooks.STATUS_EVENTS[status], now=now)
    if status == Status.EXCUSED and appointment.starts_at > now:
        _release(appointment)
        offer_freed(freed=appointment, now=now)
    if status == Status.SEEN and was != Status.SEEN:
        transaction.on_commit(lambda: _invite(appointment.pk))
    return appointment


def _invite(appointment_pk: int) -> None:
    """A seen appointment: the person gets the link to say how it went (quality's survey, anonymous)."""
    from carteblanche.quality.services import survey_invite

    appointment = Appointment.objects.select_related("motif__structure").filter(pk=appointment_pk).first()
    if appointment is None or appointment.motif.structure_id is None:
        return
    phone = appointment.phone if is_mobile(appointment.phone) else ""
    survey_invite(target=appointment, email=appointment.email, phone=phone)


@transaction.atomic
def ride_attach(*, appointment: Appointment, ride, by) -> Appointment:
    """The solidarity ride booked for the appointment: the agent sees it on the appointment, the desk no longer
    lists it as to do. Called by the rides desk once the ride is recorded."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    appointment.ride = ride
    appointment.save(update_fields=["ride"])
    _journal(appointment, actor=by, reason="Transport solidaire réservé pour le rendez-vous")
    return appointment


# ---------------------------------------------------------------------------------------------------------------
# Agenda subscriptions (ICS)


def feed_owner(calendar: str):
    """The agent (a user) or the resource whose agenda ``calendar`` names."""
    from django.contrib.auth import get_user_model

    kind, pk = calendar.split(":")
    model = Resource if kind == "ressource" else get_user_model()
    return model.objects.get(pk=pk)


def may_subscribe(user, territory, calendar: str) -> bool:
    """Her own agenda, or a resource of her organisation (the team and the prefecture: any resource)."""
    kind, pk = calendar.split(":")
    if kind == "agent":
        return str(user.pk) == pk
    resource = Resource.objects.filter(pk=pk, territory=territory).first()
    if resource is None:
        return False
    managing = user.is_superuser or user.has_role(territory, Role.PROJECT_TEAM, Role.PREFECTURE)
    return managing or resource.organisation_id in organisations_of(user, territory)


@transaction.atomic
def feed_issue(*, calendar: str) -> str:
    """A new subscription address for the agenda (the former one stops), valid a year. Only its hash is kept: the
    address is shown once. The feed names no one (``calendars.feed_ics``)."""
    token = links.issue(purpose=FEED_PURPOSE, target=feed_owner(calendar), lifetime=FEED_LIFETIME, single_use=False)
    return settings.PLATFORM_URL.rstrip("/") + reverse("bookings:feed", args=[token])


@transaction.atomic
def feed_revoke(*, calendar: str) -> int:
    return links.revoke(purpose=FEED_PURPOSE, target=feed_owner(calendar))


# ---------------------------------------------------------------------------------------------------------------
# Absences


def covered_by(*, calendar: str, starts_at, ends_at):
    """The appointments still to come that an absence of ``calendar`` over [starts_at, ends_at) would cover."""
    kind, pk = calendar.split(":")
    found = Appointment.objects.filter(status=Status.BOOKED, starts_at__lt=ends_at, ends_at__gt=starts_at)
    found = found.filter(resource_id=pk) if kind == "ressource" else found.filter(agent_id=pk, resource__isnull=True)
    return found.select_related("motif")


@transaction.atomic
def absence_add(*, absence: Absence, by, now=None) -> tuple[Absence, list[Appointment]]:
    """Record the absence; each appointment it covers is cancelled and its person offered a new slot (her link
    opens the slots of the same motif)."""
    now = now or timezone.now()
    absence.created_by = by
    absence.save()
    concerned = list(covered_by(calendar=absence.calendar, starts_at=absence.starts_at, ends_at=absence.ends_at))
    for appointment in concerned:
        appointment.status, appointment.status_changed_at = Status.CANCELLED, now
        appointment.cancel_reason = f"absence : {absence.reason}"[:200]
        appointment.save(update_fields=["status", "status_changed_at", "cancel_reason"])
        _release(appointment)
        link = manage_link(appointment)
        _tell(
            appointment,
            key=f"rdv-absence:{appointment.pk}",
            subject=f"Votre rendez-vous du {french.date(appointment.starts_at)} est à déplacer",
            body=(
                f"Bonjour {appointment.first_name},\n\nNous devons annuler votre rendez-vous "
                f"« {appointment.motif.name} » {appointment.when_label} : la personne ou le matériel ne sera pas "
                "disponible. Toutes nos excuses.\n\n"
                f"Choisissez un nouveau créneau ici :\n{link}\n"
            ),
            sms=f"Votre RDV {appointment.motif.name} {appointment.when_label} est annulé (indisponibilité). "
            f"Choisissez un autre créneau : {link}",
        )
        _journal(appointment, actor=by, reason="Rendez-vous annulé par une absence ; nouveau créneau proposé")
    return absence, concerned


# ---------------------------------------------------------------------------------------------------------------
# The waiting list


@transaction.atomic
def waitlist_join(*, motif: Motif, who: dict, site=None, until=None, now=None) -> WaitlistEntry:
    if not (who.get("phone") or who.get("email")):
        raise BookingError("Indiquez un téléphone portable ou une adresse e-mail pour être prévenue.")
    return WaitlistEntry.objects.create(
        territory=motif.territory,
        motif=motif,
        site=site,
        until=until,
        created_at=now or timezone.now(),
        **{f: who.get(f, "") for f in CONTACT_FIELDS},
    )


def offer_freed(*, freed: Appointment, now) -> list[SlotOffer]:
    """A freed slot goes to the first three people waiting for that motif (and place, and date): each gets a link;
    the first to accept takes it."""
    motif = freed.motif
    if freed.starts_at - datetime.timedelta(hours=motif.min_notice_hours) <= now:
        return []
    day = timezone.localdate(freed.starts_at)
    waiting = (
        WaitlistEntry.objects.filter(motif=motif, status=WaitStatus.WAITING)
        .exclude(offers__freed=freed)
        .filter(Q(site__isnull=True) | Q(site_id=freed.site_id) if freed.site_id else Q())
        .exclude(until__lt=day)
        .order_by("created_at", "pk")[:MAX_OFFERS]
    )
    offers = []
    for entry in waiting:
        offer = SlotOffer.objects.create(entry=entry, freed=freed, sent_at=now)
        token = links.issue(
            purpose=OFFER_PURPOSE,
            target=offer,
            expires_at=freed.starts_at - datetime.timedelta(hours=motif.min_notice_hours),
        )
        link = settings.PLATFORM_URL.rstrip("/") + reverse("bookings:offer", args=[token])
        _tell(
            entry,
            key=f"rdv-offre:{offer.pk}",
            subject=f"Un créneau s'est libéré : {motif.name}",
            body=(
                f"Bonjour {entry.first_name},\n\nUn créneau « {motif.name} » s'est libéré {freed.when_label} "
                f"({freed.place_label}). Il est proposé à {french.plural(MAX_OFFERS, 'personne')} de la liste "
                f"d'attente : la première qui l'accepte l'obtient.\n\nPour le prendre :\n{link}\n"
            ),
            sms=f"Un créneau {motif.name} s'est libéré {freed.when_label}. Le premier qui accepte l'obtient : {link}",
            send_before=freed.starts_at,
        )
        offers.append(offer)
    return offers


def offer_for(token: str) -> SlotOffer | None:
    link = links.find(token, purpose=OFFER_PURPOSE)
    if link is None:
        return None
    return (
        SlotOffer.objects.select_related("entry", "freed__motif", "freed__site__commune", "freed__territory")
        .filter(pk=link.object_id, status=OfferStatus.SENT)
        .first()
    )


@transaction.atomic
def offer_accept(*, offer: SlotOffer, now=None) -> Appointment:
    """The first to accept gets the slot (the database decides between two at the same instant); the others'
    links stop working and they stay on the waiting list."""
    now = now or timezone.now()
    freed, entry = offer.freed, offer.entry
    try:
        appointment = appointment_book(
            motif=freed.motif,
            start=freed.starts_at,
            who={f: getattr(entry, f) for f in CONTACT_FIELDS},
            via=BookedVia.WAITLIST,
            site_id=freed.site_id,
            bus_stop_id=freed.bus_stop_id,
            calendar=freed.calendar,
            now=now,
        )
    except BookingError:
        _close_offers(freed, accepted=None)
        raise BookingError(
            "Une autre personne de la liste d'attente a accepté ce créneau avant vous. Vous restez sur la liste : "
            "nous vous proposerons le prochain."
        ) from None
    entry.status, entry.appointment = WaitStatus.BOOKED, appointment
    entry.save(update_fields=["status", "appointment"])
    _close_offers(freed, accepted=offer)
    return appointment


def _close_offers(freed: Appointment, *, accepted: SlotOffer | None) -> None:
    for other in SlotOffer.objects.filter(freed=freed, status=OfferStatus.SENT):
        other.status = OfferStatus.ACCEPTED if accepted and other.pk == accepted.pk else OfferStatus.TAKEN
        other.save(update_fields=["status"])
        links.revoke(purpose=OFFER_PURPOSE, target=other)


# ---------------------------------------------------------------------------------------------------------------
# Reminders


def send_reminders(*, now=None) -> int:
    """Two days before and two hours before, once each, never after the appointment starts; not when it was booked
    within that delay (the confirmation was the reminder). Run every ten minutes."""
    now = now or timezone.now()
    sent = 0
    for field, delay, label in (
        ("reminded_early_at", EARLY_REMINDER, "dans deux jours"),
        ("reminded_late_at", LATE_REMINDER, "dans deux heures"),
    ):
        due = Appointment.objects.filter(
            status=Status.BOOKED,
            starts_at__gt=now,
            starts_at__lte=now + delay,
            created_at__lte=F("starts_at") - delay,
            **{f"{field}__isnull": True},
        ).select_related("motif", "site__commune", "bus_stop__commune")
        for appointment in due:
            with transaction.atomic():
                claimed = Appointment.objects.filter(pk=appointment.pk, **{f"{field}__isnull": True}).update(
                    **{field: now}
                )
                if claimed:  # otherwise another worker sent it
                    _remind(appointment, key=f"rdv-rappel:{appointment.pk}:{field}", label=label)
                    sent += claimed
    return sent


def _remind(appointment: Appointment, *, key: str, label: str) -> None:
    link = manage_link(appointment)
    what = f"« {appointment.motif.name} » {appointment.when_label}, {appointment.place_label}"
    _tell(
        appointment,
        key=key,
        subject=f"Rappel : rendez-vous {label}",
        body=f"Bonjour {appointment.first_name},\n\nRappel de votre rendez-vous {what}.\n\n"
        f"Empêchée ? Déplacez-le ou annulez-le : {link}\n",
        sms=f"Rappel : RDV {appointment.motif.name} {appointment.when_label}, {appointment.place_label}. "
        f"Empêchée ? {link}",
        send_before=appointment.starts_at,
    )
