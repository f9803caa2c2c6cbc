"""Every write of the quality app: answers (no account, one per token), the counter's visit log, phone calls,
residents' experiences and their public replies.

Ballot stuffing without accounts: an answer sent from a link is tied to a single-use token of a visit, a booking or
a ride (``core.links``; the answer keeps no trace of which); the poster's QR link is limited per browser (the
caller's throttle) and each answer keeps a keyed hash of its network address *and hour*, never the address: a burst
from one source within an hour is flagged for the team, never refused, since everyone at a France services counter
shares one address.
"""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from carteblanche.core import french, links, personal_data, spreadsheets
from carteblanche.core.errors import ServiceError
from carteblanche.core.messaging import notify

from .enums import LINK_CHANNELS, AnswerChannel, CallSource, ExperienceStatus, HelpTried, StructureKind, VisitOutcome
from .models import Answer, CallTally, Experience, Recontact, Structure, Visit

SURVEY_PURPOSE = "avis"  # a person's link to answer once, after a visit, a booking or a ride
KIOSK_PURPOSE = "borne"  # the tablet of a counter: many answers, one structure
SURVEY_LIFETIME = datetime.timedelta(days=14)
KIOSK_LIFETIME = datetime.timedelta(days=366)


def burst_limit() -> int:
    """Answers from one source (address and hour, or one tablet) within an hour past which they are flagged."""
    return int(getattr(settings, "QUALITY_BURST_PER_HOUR", 12))


def source_hash(address: str, moment: datetime.datetime) -> str:
    """A keyed hash of the address and the hour: equal for the same source within the hour, unlinkable across
    hours, and the address cannot be read back (the key is the secret key, the hour is in it)."""
    hour = timezone.localtime(moment).strftime("%Y-%m-%dT%H")
    return hmac.new(settings.SECRET_KEY.encode(), f"avis:{hour}:{address}".encode(), hashlib.sha256).hexdigest()


# ---------------------------------------------------------------------------------------------------------------
# Answers


def structure_for(target) -> Structure | None:
    """The structure a visit, a ride or a booking is measured in (a ride: its territory's solidarity rides)."""
    structure = getattr(target, "structure", None)
    if isinstance(structure, Structure):
        return structure
    territory = getattr(target, "territory", None)
    if territory is not None and target._meta.label == "mobility.RideRequest":
        return Structure.objects.filter(territory=territory, kind=StructureKind.RIDES).first()
    return None


def survey_link(token: str) -> str:
    return settings.PLATFORM_URL.rstrip("/") + reverse("quality:answer_link", args=[token])


@transaction.atomic
def survey_invite(*, target, email: str = "", phone: str = "", send_before=None) -> str | None:
    """Send the person a single-use link to answer about ``target`` (a visit, a ride, a booking): e-mail if given,
    else SMS. The address or number is used to send only (the outbox erases it once sent). The channel, or None."""
    structure = structure_for(target)
    if structure is None or not (email or phone):
        return None
    expires = timezone.now() + SURVEY_LIFETIME
    token = links.issue(purpose=SURVEY_PURPOSE, target=target, expires_at=expires)
    link = survey_link(token)
    label = f"{target._meta.label_lower}:{target.pk}"
    return notify(
        key=f"avis:{label}",
        send_before=send_before or expires,
        email=email,
        phone=phone,
        subject=f"Votre avis sur {structure.name}",
        body=(
            f"Bonjour,\n\nVous êtes venu {french.of(structure.name)} ou avez utilisé son service. Comment cela "
            f"s'est-il passé ? Quatre questions, une minute, sans compte :\n\n{link}\n\nCe lien sert une seule "
            f"fois et jusqu'au {french.date(expires)}. Votre réponse est anonyme : elle ne dit pas qui l'a donnée.\n"
        ),
        sms=f"{structure.name} : votre avis en 1 minute, anonyme : {link}",
    )


def _link_structure(link) -> Structure | None:
    """The structure of a survey link's visit, ride or booking; None if that was deleted since."""
    if link is None:
        return None
    try:
        return structure_for(link.target)
    except ObjectDoesNotExist:
        return None


def invitation_for(token: str):
    """The structure a survey link opens to, without using it (None once used, expired, unknown or orphaned)."""
    return _link_structure(links.find(token, purpose=SURVEY_PURPOSE))


def kiosk_open(*, structure: Structure) -> str:
    """A new tablet link for the counter (the earlier one stops working)."""
    return links.issue(
        purpose=KIOSK_PURPOSE, target=structure, lifetime=KIOSK_LIFETIME, single_use=False, alphabet="", nbytes=24
    )


def kiosk_structure(token: str) -> Structure | None:
    link = links.find(token, purpose=KIOSK_PURPOSE)
    return link.target if link is not None else None


def kiosk_close(*, structure: Structure) -> int:
    return links.revoke(purpose=KIOSK_PURPOSE, target=structure)


@transaction.atomic
def answer_record(
    *,
    structure: Structure,
    channel: str,
    satisfaction: str,
    comprehension: int | None = None,
    help_tried=(),
    help_reached: bool | None = None,
    help_quality: int | None = None,
    comment: str = "",
    recontact_email: str = "",
    token: str = "",
    source: str = "",
    entered_by=None,
    at: datetime.datetime | None = None,
) -> Answer:
    """Record one answer. From a link, its token is used up in the same transaction: one token counts once, even
    when two answers are posted at the same instant (the second gets a ``ServiceError``)."""
    at = at or timezone.now()
    if channel == AnswerChannel.LINK:
        link = links.use(token, purpose=SURVEY_PURPOSE)
        if link is None or _link_structure(link) != structure:
            raise ServiceError("Ce lien a déjà servi ou n'est plus valable : une seule réponse par passage.")
        channel = LINK_CHANNELS.get(link.target._meta.label_lower, channel)
    findings = personal_data.find(comment)
    if findings:
        raise ServiceError(personal_data.message(findings))
    tried = [code for code in help_tried if code in HelpTried.values and code != HelpTried.NONE]
    if not tried:
        help_reached = help_quality = None  # nobody to reach: the follow-up questions do not apply
    answer = Answer(
        structure=structure,
        channel=channel,
        answered_at=at,
        satisfaction=satisfaction,
        comprehension=comprehension,
        help_tried=list(dict.fromkeys(help_tried)),
        help_reached=help_reached,
        help_quality=help_quality if help_reached is not False else None,
        comment=comment.strip(),
        entered_by=entered_by,
        source_hash=source_hash(source, at) if source else "",
    )
    if answer.source_hash and channel in (AnswerChannel.POSTER, AnswerChannel.KIOSK):
        recent = Answer.objects.filter(
            structure=structure, source_hash=answer.source_hash, answered_at__gt=at - datetime.timedelta(hours=1)
        ).count()
        if recent + 1 > burst_limit():
            answer.flagged = True
            answer.flag_reason = (
                f"{french.plural(recent + 1, 'réponse')} de la même source en moins d'une heure "
                f"(au-delà de {burst_limit()}) : à vérifier avant de la compter."
            )
    answer.save()
    if recontact_email:
        Recontact.objects.create(answer=answer, email=recontact_email.strip(), consented_at=at)
    return answer


@transaction.atomic
def answer_review(*, answer: Answer, keep: bool, actor) -> Answer:
    """The team decides on a flagged answer: counted, or set aside from the results (never deleted)."""
    answer.flagged = False
    answer.excluded = not keep
    answer.reviewed_by = actor
    answer.save(update_fields=["flagged", "excluded", "reviewed_by"])
    return answer


def recontacts_read(*, structure: Structure, actor) -> list[Recontact]:
    """The addresses left to be recontacted about the structure's answers, each reading journaled."""
    from carteblanche.audit.enums import Action
    from carteblanche.audit.models import JournalEntry

    found = list(
        Recontact.objects.filter(answer__structure=structure).select_related("answer").order_by("consented_at")
    )
    JournalEntry.objects.bulk_create(
        [
            JournalEntry.build(
                action=Action.PERSONAL_DATA_READ,
                actor=actor,
                target=recontact,
                territory=structure.territory,
                reason="Demande de recontact laissée avec un avis",
                fields=["courriel"],
            )
            for recontact in found
        ]
    )
    return found


@transaction.atomic
def recontact_done(*, recontact: Recontact) -> None:
    """The person was recontacted: her address has served its purpose and is erased (the answer stays)."""
    recontact.delete()


# ---------------------------------------------------------------------------------------------------------------
# The counter's visit log


@transaction.atomic
def visit_arrive(*, structure: Structure, subject: str, actor, at: datetime.datetime | None = None) -> Visit:
    visit = Visit(structure=structure, subject=subject, arrived_at=at or timezone.now(), recorded_by=actor)
    visit.save()
    return visit


@transaction.atomic
def visit_seen(*, visit: Visit, at: datetime.datetime | None = None) -> Visit:
    if visit.seen_at is not None:
        raise ServiceError("Cette personne est déjà prise en charge.")
    if visit.outcome:
        raise ServiceError("Ce passage est déjà terminé.")
    visit.seen_at = max(at or timezone.now(), visit.arrived_at)
    visit.save()
    return visit


@transaction.atomic
def visit_done(
    *,
    visit: Visit,
    outcome: str,
    referred_to=None,
    referred_label: str = "",
    promised_days: int | None = None,
    at: datetime.datetime | None = None,
) -> Visit:
    """Close a visit: solved on site, referred (to whom, with the delay announced to the person), to follow, or
    left without being seen."""
    if visit.outcome:
        raise ServiceError("Ce passage est déjà terminé.")
    at = at or timezone.now()
    if outcome == VisitOutcome.LEFT:
        if visit.seen_at is not None:
            raise ServiceError("Cette personne a été reçue : choisissez comment sa demande s'est terminée.")
    elif visit.seen_at is None:
        visit.seen_at = at  # seen and done in one step, at the counter
    if outcome == VisitOutcome.REFERRED:
        if referred_to is None and not referred_label.strip():
            raise ServiceError("Indiquez vers quel service la personne est orientée.")
        days = promised_days or visit.structure.promised_days
        visit.referred_to, visit.referred_label = referred_to, referred_label.strip()
        visit.answer_due_on = timezone.localdate(at) + datetime.timedelta(days=days)
    visit.outcome = outcome
    visit.done_at = at
    visit.save()
    return visit


@transaction.atomic
def referral_answered(*, visit: Visit, on: datetime.date) -> Visit:
    if visit.outcome != VisitOutcome.REFERRED:
        raise ServiceError("Ce passage n'a pas donné lieu à une orientation.")
    if on < timezone.localdate(visit.arrived_at):
        raise ServiceError("La réponse ne peut précéder le passage.")
    visit.answered_on = on
    visit.save()
    return visit


# ---------------------------------------------------------------------------------------------------------------
# Phone calls


@transaction.atomic
def calls_record(
    *, structure: Structure, date: datetime.date, received: int, answered: int, actor, source=CallSource.MANUAL
):
    if answered > received:
        raise ServiceError("Il ne peut y avoir plus d'appels décrochés que d'appels reçus.")
    tally, _ = CallTally.objects.update_or_create(
        structure=structure,
        date=date,
        defaults={"received": received, "answered": answered, "source": source, "recorded_by": actor},
    )
    return tally


CALL_COLUMNS = {
    "date": ("date", "jour"),
    "received": ("recus", "reçus", "appels reçus", "appels_recus", "entrants", "received"),
    "answered": ("repondus", "répondus", "decroches", "décrochés", "appels décrochés", "appels_decroches", "answered"),
    "status": ("statut", "etat", "état", "status", "resultat", "résultat"),
}
ANSWERED_WORDS = ("repondu", "répondu", "decroche", "décroché", "answered", "abouti")
MISSED_WORDS = ("manque", "manqué", "perdu", "non repondu", "non répondu", "abandonne", "abandonné", "missed")


class ImportRowError(ServiceError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(f"{french.plural(len(errors), 'ligne refusée', 'lignes refusées')} : rien n'a été importé.")


@transaction.atomic
def calls_import(*, structure: Structure, content: bytes, actor, today: datetime.date) -> int:
    """Import a CSV of the telephony: either one line per day (date; reçus; répondus) or one line per call (date or
    date-time; statut « répondu » / « manqué »). Every line is checked first; one wrong line and nothing is written
    (``ImportRowError`` lists each, with its number). Days already recorded are replaced. The days imported."""
    try:
        rows = spreadsheets.read_csv(content)
    except ValueError as exc:
        raise ServiceError(str(exc)) from None
    header = list(rows[0][1]) if rows else []
    columns = {}
    for key, names in CALL_COLUMNS.items():
        for name in header:
            if name in names:
                columns[key] = name
                break
    if "date" not in columns or not ({"received", "answered"} <= set(columns) or "status" in columns):
        raise ServiceError(
            "Colonnes attendues : « date ; reçus ; répondus » (une ligne par jour) ou « date ; statut » (une ligne "
            "par appel, statut « répondu » ou « manqué »)."
        )
    per_call = "status" in columns and not {"received", "answered"} <= set(columns)
    days: dict[datetime.date, list[int]] = {}
    errors = []
    for number, row in rows:
        try:
            day = spreadsheets.read_day(row[columns["date"]])
        except ValueError:
            errors.append(f"ligne {number} : date illisible (attendu JJ/MM/AAAA).")
            continue
        if day > today:
            errors.append(f"ligne {number} : le {french.date(day)} est dans le futur.")
            continue
        totals = days.setdefault(day, [0, 0])
        if per_call:
            status = row[columns["status"]].lower()
            if status.startswith(MISSED_WORDS):
                totals[0] += 1
            elif status.startswith(ANSWERED_WORDS):
                totals[0] += 1
                totals[1] += 1
            else:
                errors.append(f"ligne {number} : statut « {status[:30]} » inconnu (répondu ou manqué).")
            continue
        try:
            received, answered = int(row[columns["received"]]), int(row[columns["answered"]])
        except ValueError:
            errors.append(f"ligne {number} : nombres d'appels illisibles.")
            continue
        if received < 0 or answered < 0 or answered > received:
            errors.append(f"ligne {number} : {answered} appels décrochés pour {received} reçus.")
            continue
        totals[0] += received
        totals[1] += answered
    if errors:
        raise ImportRowError(errors)
    for day, (received, answered) in days.items():
        calls_record(
            structure=structure, date=day, received=received, answered=answered, actor=actor, source=CallSource.IMPORT
        )
    return len(days)


# ---------------------------------------------------------------------------------------------------------------
# Experiences (Services Publics +)


@transaction.atomic
def experience_tell(
    *, structure: Structure, feeling: str, description: str, email: str = "", at: datetime.datetime | None = None
) -> Experience:
    findings = personal_data.find(description)
    if findings:
        raise ServiceError(personal_data.message(findings))
    return Experience.objects.create(
        structure=structure,
        feeling=feeling,
        description=description.strip(),
        told_at=at or timezone.now(),
        contact_email=email.strip(),
    )


@transaction.atomic
def experience_moderate(
    *, experience: Experience, publish: bool, text: str = "", reason: str = "", actor
) -> Experience:
    """Publish (the text as moderated: no personal data left, the charter respected) or keep unpublished."""
    if publish:
        text = (text or experience.description).strip()
        findings = personal_data.find(text, links=True)
        if findings:
            raise ServiceError(
                f"Le texte contient encore {french.join(list(dict.fromkeys(f.label for f in findings)))} : "
                "retirez-le avant de publier."
            )
        experience.published_text = text
        experience.status = ExperienceStatus.PUBLISHED
        experience.rejection_reason = ""
    else:
        if not reason.strip():
            raise ServiceError("Indiquez pourquoi ce récit n'est pas publié (charte, hors sujet, doublon…).")
        experience.status = ExperienceStatus.REJECTED
        experience.rejection_reason = reason.strip()
    experience.moderated_at = timezone.now()
    experience.moderated_by = actor
    experience.save()
    return experience


@transaction.atomic
def experience_reply(*, experience: Experience, reply: str, actor) -> Experience:
    """The structure's public reply; the person who left an e-mail is told it is online."""
    reply = reply.strip()
    if not reply:
        raise ServiceError("La réponse est vide.")
    findings = personal_data.find(reply, links=False)
    if findings:
        raise ServiceError(personal_data.message(findings))
    first_reply = experience.replied_at is None
    experience.reply = reply
    experience.replied_at = experience.replied_at or timezone.now()
    experience.replied_by = actor
    experience.save()
    if first_reply and experience.contact_email and experience.status == ExperienceStatus.PUBLISHED:
        url = settings.PLATFORM_URL.rstrip("/") + experience.structure.get_public_url()
        notify(
            key=f"experience-reponse:{experience.pk}",
            email=experience.contact_email,
            phone="",
            subject=f"{experience.structure.name} a répondu à votre expérience",
            body=f"Bonjour,\n\n{experience.structure.name} a répondu publiquement à votre récit :\n\n{url}\n",
            sms="",
        )
        experience.contact_email = ""  # its purpose is over
        experience.save(update_fields=["contact_email"])
    return experience


@transaction.atomic
def experience_to_irritant(*, experience: Experience, operation, actor):
    """Turn an experience into an irritant of an operation of the same territory, the text kept as evidence."""
    from carteblanche.exploration.enums import EvidenceKind, IrritantSource
    from carteblanche.exploration.services import irritant_create

    if experience.irritant_id:
        raise ServiceError("Cette expérience a déjà donné un irritant.")
    if operation.territory_id != experience.structure.territory_id:
        raise ServiceError("Cette opération n'est pas celle du territoire de la structure.")
    text = experience.published_text or personal_data.scrub(experience.description)
    first_line = text.split("\n", 1)[0]
    irritant = irritant_create(
        operation=operation,
        actor=actor,
        source=IrritantSource.RESIDENT,
        title=(first_line[:120] + "…") if len(first_line) > 120 else first_line,
        description=text,
        organisations=[experience.structure.organisation] if experience.structure.organisation_id else (),
        evidence=[
            {
                "kind": EvidenceKind.RESIDENT_MESSAGE,
                "text": text,
                "source_label": (
                    f"Expérience n° {experience.pk} ({experience.structure.name}, "
                    f"{french.date(experience.told_at)}, ressenti {experience.get_feeling_display().lower()})"
                ),
            }
        ],
    )
    experience.irritant = irritant
    experience.save(update_fields=["irritant"])
    return irritant
