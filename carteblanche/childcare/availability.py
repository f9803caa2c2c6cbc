"""Childminders' availability: the twice-yearly reminder to declare it, the declaration from her personal link, and
what the advisers read of it (the list of the territory's providers, the campaign's export).

Childminders declare on monenfant.fr the days, hours and places where they can take a child, at least before 1 June
and 1 December of each year for the six months after (décret n° 2021-1131 du 30 août 2021). Families see it there;
the relais matches them with it here (``Provider.opening``). From 15 May and 15 November, each active childminder
or MAM whose availability was not declared since the campaign opened receives, once, a personal link
(``core.links``) to declare it here; the reminder is the outbox's message of that key (``core.messaging``): what
was sent for which campaign is read back from it, with no field of its own.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from carteblanche.core import french, links
from carteblanche.core.messaging import notify
from carteblanche.core.models import OutgoingMessage

from . import patterns
from .enums import ProviderKind
from .models import Provider
from .services import ChildcareError

logger = logging.getLogger(__name__)

PURPOSE = "garde-disponibilites"  # a childminder's link to declare her availability
KEY_PREFIX = "garde-disponibilites:"  # the reminder's message: « garde-disponibilites:<provider>:<deadline> »
CHILDMINDERS = (ProviderKind.CHILDMINDER, ProviderKind.MAM)
LINK_DAYS_AFTER_DEADLINE = 7  # the link still opens a week after the deadline, for a late declaration

# The reminders' calendar, as (month, day): (reminders sent from, declaration due before), each year. A change is a
# new line with the date it applies from; the latest line not after the day is in force.
CALENDARS = [
    (datetime.date(2021, 9, 1), (((5, 15), (6, 1)), ((11, 15), (12, 1)))),
]


@dataclass(frozen=True, order=True)
class Campaign:
    opens: datetime.date  # the first day reminders are sent
    deadline: datetime.date  # the availability is declared before this day

    @property
    def key(self) -> str:
        return self.deadline.isoformat()

    @property
    def label(self) -> str:
        """« 1er juin 2027 »."""
        return french.date(self.deadline)

    @property
    def link_expires_at(self) -> datetime.datetime:
        day = self.deadline + datetime.timedelta(days=LINK_DAYS_AFTER_DEADLINE)
        return datetime.datetime.combine(day, datetime.time.min, timezone.get_current_timezone())

    def is_open(self, today: datetime.date) -> bool:
        return self.opens <= today < self.deadline


def campaigns(today: datetime.date) -> list[Campaign]:
    """The campaigns of last year, this year and the next, by the calendar in force on ``today``, in order."""
    found = [calendar for since, calendar in CALENDARS if since <= today]
    if not found:
        return []
    calendar = found[-1]
    return sorted(
        Campaign(datetime.date(year, *opens), datetime.date(year, *deadline))
        for year in (today.year - 1, today.year, today.year + 1)
        for opens, deadline in calendar
    )


def current_campaign(today: datetime.date) -> Campaign | None:
    """The campaign whose reminders go out on ``today`` (15 May – 31 May, 15 November – 30 November); None outside."""
    return next((c for c in campaigns(today) if c.is_open(today)), None)


def latest_campaign(today: datetime.date) -> Campaign | None:
    """The campaign under way, or else the last one: what a childminder's declaration is judged by."""
    opened = [c for c in campaigns(today) if c.opens <= today]
    return opened[-1] if opened else None


def is_up_to_date(provider: Provider, *, today: datetime.date) -> bool:
    """Declared since the current or the last campaign opened (always, for a structure: its hours are not asked)."""
    campaign = latest_campaign(today)
    if campaign is None or provider.kind not in CHILDMINDERS:
        return True
    updated = provider.availability_updated_on
    return updated is not None and updated >= campaign.opens


def reminder_key(provider: Provider, campaign: Campaign) -> str:
    return f"{KEY_PREFIX}{provider.pk}:{campaign.key}"


def availability_link(token: str) -> str:
    return settings.PLATFORM_URL.rstrip("/") + reverse("childcare:availability", args=[token])


# ---------------------------------------------------------------------------------------------------------------
# The reminders


def reminders_due(territory=None, *, today: datetime.date):
    """The active childminders and MAM (of ``territory``, or of all) whose availability was not declared since the
    current campaign opened; none outside a campaign."""
    campaign = current_campaign(today)
    if campaign is None:
        return Provider.objects.none()
    found = Provider.objects.filter(is_active=True, kind__in=CHILDMINDERS).filter(
        Q(availability_updated_on__isnull=True) | Q(availability_updated_on__lt=campaign.opens)
    )
    if territory is not None:
        found = found.filter(territory=territory)
    return found.order_by("pk")


def reminders_send(*, today: datetime.date, territory=None) -> int:
    """Send each due provider with an address or a phone her reminder and link, once a campaign (the message's key);
    how many were sent. One transaction per provider: a reminder sent is never undone by another's failure."""
    campaign = current_campaign(today)
    if campaign is None:
        return 0
    due = list(reminders_due(territory, today=today).exclude(email="", phone=""))
    already = set(
        OutgoingMessage.objects.filter(key__in=[reminder_key(p, campaign) for p in due]).values_list("key", flat=True)
    )
    waiting = [provider for provider in due if reminder_key(provider, campaign) not in already]
    return sum(_remind(provider=provider, campaign=campaign) for provider in waiting)


@transaction.atomic
def _remind(*, provider: Provider, campaign: Campaign) -> bool:
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    key = reminder_key(provider, campaign)
    if OutgoingMessage.objects.filter(key=key).exists():  # another run was quicker: its link must keep working
        return False
    token = links.issue(purpose=PURPOSE, target=provider, expires_at=campaign.link_expires_at, single_use=False)
    url = availability_link(token)
    until = french.date(campaign.link_expires_at - datetime.timedelta(days=1))
    channel = notify(
        key=key,
        email=provider.email,
        phone=provider.phone,
        subject=f"Vos disponibilités d'accueil, avant le {campaign.label}",
        body=(
            f"Bonjour,\n\nAvant le {campaign.label}, déclarez vos disponibilités d'accueil pour les six mois "
            "qui suivent : les jours et les heures où vous pouvez accueillir un enfant de plus.\n\n"
            "Les familles les voient sur monenfant.fr : mettez-les à jour sur votre espace monenfant.fr. Le relais "
            "petite enfance s'en sert aussi pour vous proposer des familles dont les horaires vous conviennent : "
            f"indiquez-les-lui par ce lien personnel (valable jusqu'au {until}) :\n{url}\n\n"
            f"Vos disponibilités connues du relais : {patterns.label(patterns.slots_of(provider.opening))}.\n"
        ),
        sms=(
            f"Relais petite enfance : avant le {campaign.label}, mettez à jour vos disponibilités "
            f"(monenfant.fr et ce lien) : {url}"
        ),
        send_before=datetime.datetime.combine(campaign.deadline, datetime.time.min, timezone.get_current_timezone()),
    )
    return channel is not None


def reminders_sent(providers) -> dict[int, tuple[datetime.datetime, datetime.date]]:
    """The last reminder of each provider: ``{pk: (sent at, deadline of its campaign)}``, read from the outbox."""
    wanted = {p.pk for p in providers}
    found = {}
    messages = OutgoingMessage.objects.filter(key__startswith=KEY_PREFIX).order_by("created_at")
    for key, created_at in messages.values_list("key", "created_at"):
        pk, _, deadline = key.removeprefix(KEY_PREFIX).partition(":")
        if pk.isdigit() and int(pk) in wanted:
            try:
                found[int(pk)] = (created_at, datetime.date.fromisoformat(deadline))
            except ValueError:
                continue
    return found


# ---------------------------------------------------------------------------------------------------------------
# The declaration, from her link


def provider_for(token: str) -> Provider | None:
    link = links.find(token, purpose=PURPOSE)
    if link is None:
        return None
    return Provider.objects.select_related("commune").filter(pk=link.object_id, is_active=True).first()


def kept_now(provider: Provider, *, today: datetime.date):
    """The children she keeps on ``today`` or will from a date set (her own aside), first the earliest."""
    return (
        provider.kept.filter(own=False)
        .filter(Q(last_date__isnull=True) | Q(last_date__gte=today))
        .order_by("first_date", "pk")
    )


@transaction.atomic
def availability_update(*, provider: Provider, opening_pattern: dict, kept_ended=(), today: datetime.date) -> Provider:
    """The childminder declares the half-hours where she can take one more child (``opening_pattern``, none when she
    has no place) and, in ``kept_ended``, the children she no longer keeps (kept until yesterday). Her declaration
    is dated ``today``. Nothing personal is journaled: she is a professional; the log keeps ids and counts."""
    try:
        patterns.validate(opening_pattern)
    except ValidationError as exc:
        raise ChildcareError(" ".join(exc.messages)) from None
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    if not provider.is_active:
        raise ChildcareError("Cet accueil n'est plus en activité : le relais petite enfance peut vous renseigner.")
    provider.opening = patterns.pattern_of(patterns.slots_of(opening_pattern))
    provider.availability_updated_on = today
    provider.save(update_fields=["opening", "availability_updated_on"])
    ended = kept_now(provider, today=today).filter(pk__in=[child.pk for child in kept_ended])
    ended_count = ended.update(last_date=today - datetime.timedelta(days=1))
    logger.info(
        "childcare_availability_updated provider=%s half_hours=%s kept_ended=%s",
        provider.pk,
        len(patterns.slots_of(provider.opening)),
        ended_count,
    )
    return provider


# ---------------------------------------------------------------------------------------------------------------
# What the advisers read


@dataclass(frozen=True)
class ProviderRow:
    provider: Provider
    kept: int  # children kept on the day (her own aside)
    own: int  # her own children at home on the day
    up_to_date: bool
    reminded_at: datetime.datetime | None
    reminded_for: datetime.date | None  # the deadline of the campaign of the last reminder

    @property
    def ages(self) -> str:
        return f"de {age(self.provider.min_age_months)} à {age(self.provider.max_age_months)}"


def age(months: int) -> str:
    """« 2 mois », « 3 ans », « 2 ans et 6 mois »: an age limit for a page."""
    if months < 24:
        return french.plural(months, "mois", "mois")
    years, rest = divmod(months, 12)
    return french.plural(years, "an") + (f" et {french.plural(rest, 'mois', 'mois')}" if rest else "")


def provider_rows(territory, *, today: datetime.date, childminders_only: bool = False) -> list[ProviderRow]:
    """The territory's active providers by kind then name, with the children kept on ``today`` and their campaign."""
    current = Q(kept__first_date__lte=today) & (Q(kept__last_date__isnull=True) | Q(kept__last_date__gte=today))
    providers = (
        Provider.objects.filter(territory=territory, is_active=True)
        .select_related("commune")
        .annotate(
            kept_count=Count("kept", filter=current & Q(kept__own=False)),
            own_count=Count("kept", filter=current & Q(kept__own=True)),
        )
        .order_by("kind", "name", "pk")
    )
    if childminders_only:
        providers = providers.filter(kind__in=CHILDMINDERS)
    providers = list(providers)
    order = {kind: rank for rank, kind in enumerate(ProviderKind.values)}
    providers.sort(key=lambda p: (order.get(p.kind, len(order)), p.name, p.pk))
    sent = reminders_sent(providers)
    return [
        ProviderRow(
            provider=p,
            kept=p.kept_count,
            own=p.own_count,
            up_to_date=is_up_to_date(p, today=today),
            reminded_at=sent.get(p.pk, (None, None))[0],
            reminded_for=sent.get(p.pk, (None, None))[1],
        )
        for p in providers
    ]


CSV_COLUMNS = [
    "accueillant",
    "nature",
    "commune",
    "adresse e-mail",
    "téléphone",
    "disponibilités mises à jour le",
    "relancée le",
    "pour l'échéance du",
    "à jour",
]


def campaign_csv_rows(territory, *, today: datetime.date) -> list[list]:
    """The reminder campaign's export: each active childminder and MAM, whether she can be reached (never her
    address or number), when she declared, when she was last reminded and for which deadline, up to date or not."""
    rows = [CSV_COLUMNS]
    for row in provider_rows(territory, today=today, childminders_only=True):
        p = row.provider
        rows.append(
            [
                p.name,
                p.get_kind_display(),
                p.commune.name,
                "oui" if p.email else "non",
                "oui" if p.phone else "non",
                p.availability_updated_on.isoformat() if p.availability_updated_on else "",
                timezone.localdate(row.reminded_at).isoformat() if row.reminded_at else "",
                row.reminded_for.isoformat() if row.reminded_for else "",
                "oui" if row.up_to_date else "non",
            ]
        )
    return rows
