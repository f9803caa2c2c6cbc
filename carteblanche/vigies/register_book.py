"""The commune's register of vulnerable people (CASF L121-6-1, R121-2 to R121-12) kept between alert plans.

Who is in it, and how:
- at her own request, or at a third party's written request with her agreement (a relative, her doctor, a home
  help service): the commune acknowledges the request in writing (``acknowledgement``);
- since the law of 8 April 2024 (« bien vieillir »), on the lists the département (APA, PCH) and the CARSAT send to
  the mayor, unless she objects: each is told in writing (``information``) and is called only once told.

What it holds is what the law allows: identity, address, phone, a contact person, home services. She may ask at any
time to leave it: what points to her is erased at once (``entry_objects``); her name and birth date stay only as a
keyed fingerprint (``models.identity``), so that the next list sent does not register her again.

Every reading of the register and every writing is journaled; only the callers of the alert plans keep it
(``register.may_call``).
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core import dates, french, spreadsheets

from .enums import RegisterCategory, RegisterSource
from .models import RegisterEntry, identity
from .services import VigieError

LISTS = (RegisterSource.DEPARTEMENT, RegisterSource.CARSAT)
REQUESTS = (RegisterSource.SELF, RegisterSource.THIRD_PARTY)
FIELDS = ["nom", "date de naissance", "adresse", "téléphone", "personne à prévenir", "services à domicile"]
IMPORT_MAX_ROWS = 20_000


def listed(entries=None):
    """The people the alert plans call: not objected, and either registered at their request (agreed) or on a list
    and told of it."""
    entries = RegisterEntry.objects.all() if entries is None else entries
    return entries.filter(objected_at__isnull=True).filter(Q(agreed_at__isnull=False) | Q(informed_at__isnull=False))


def _journal(entry: RegisterEntry, *, by, reason: str, action=Action.PERSONAL_DATA_WRITTEN) -> None:
    JournalEntry.log(action=action, actor=by, target=entry, territory=entry.territory, reason=reason, fields=FIELDS)


def journal_read(*, territory, by, count: int, reason: str) -> None:
    JournalEntry.log(
        action=Action.PERSONAL_DATA_READ,
        actor=by,
        target=None,
        territory=territory,
        reason=f"{reason} ({french.plural(count, 'personne')})",
        fields=FIELDS,
    )


def _clean(data: dict, *, territory) -> dict:
    """What the law allows, checked: the commune in the territory, a name, an address, a category."""
    allowed = {
        "commune",
        "first_name",
        "last_name",
        "birth_date",
        "category",
        "address",
        "phone",
        "contact_name",
        "contact_phone",
        "home_services",
        "priority",
    }
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"champs non prévus par la loi : {sorted(unknown)}")
    data = {key: value.strip() if isinstance(value, str) else value for key, value in data.items()}
    errors = []
    commune = data.get("commune")
    if commune is None or not territory.communes.filter(pk=commune.pk).exists():
        errors.append("la commune n'est pas une commune du territoire")
    if not data.get("last_name") or not data.get("first_name"):
        errors.append("le nom et le prénom sont obligatoires")
    if not data.get("address"):
        errors.append("l'adresse est obligatoire : c'est là qu'on lui rend visite")
    if data.get("category") not in RegisterCategory.values:
        errors.append("indiquez sa qualité : 65 ans et plus, plus de 60 ans inapte au travail, ou adulte handicapée")
    if errors:
        raise VigieError("Inscription impossible : " + " ; ".join(errors) + ".")
    return data


@transaction.atomic
def register_person(
    *,
    territory,
    data: dict,
    source: str,
    agreed: bool,
    third_party: str = "",
    requested_on: datetime.date | None = None,
    by,
    now: datetime.datetime | None = None,
) -> RegisterEntry:
    """Register a person at her request, or at a third party's written request with her agreement. A person who once
    left the register and asks again is registered again."""
    now = now or timezone.now()
    if source not in REQUESTS:
        raise VigieError("Une inscription est faite à la demande de la personne ou d'un tiers, par écrit.")
    if not agreed:
        raise VigieError("La personne doit être d'accord pour être inscrite : notez son accord.")
    if source == RegisterSource.THIRD_PARTY and not (third_party.strip() and requested_on):
        raise VigieError("Pour une demande d'un tiers, indiquez qui a écrit et la date de sa demande écrite.")
    if requested_on and requested_on > timezone.localdate(now):
        raise VigieError("La date de la demande écrite ne peut pas être dans le futur.")
    data = _clean(data, territory=territory)
    key = identity(data["first_name"], data["last_name"], data.get("birth_date"))
    same = RegisterEntry.objects.select_for_update().filter(territory=territory, identity=key)
    if same.filter(objected_at__isnull=True).exists():
        raise VigieError("Cette personne est déjà inscrite au registre : modifiez son inscription.")
    entry = same.first() or RegisterEntry(territory=territory)
    for name, value in data.items():
        setattr(entry, name, value)
    entry.source, entry.third_party = source, third_party.strip()
    entry.requested_on = requested_on or timezone.localdate(now)
    entry.agreed_at, entry.registered_at, entry.objected_at = now, now, None
    entry.acknowledged_at = entry.informed_at = None
    entry.save()
    _journal(entry, by=by, reason=f"Inscription au registre ({entry.get_source_display().lower()})")
    return entry


@transaction.atomic
def entry_update(*, entry: RegisterEntry, data: dict, by) -> RegisterEntry:
    entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.objected_at:
        raise VigieError("Cette personne a quitté le registre : ses données sont effacées.")
    data = _clean(data, territory=entry.territory)
    key = identity(data["first_name"], data["last_name"], data.get("birth_date"))
    others = RegisterEntry.objects.filter(territory=entry.territory, identity=key, objected_at__isnull=True)
    if others.exclude(pk=entry.pk).exists():
        raise VigieError("Une autre inscription porte déjà ce nom et cette date de naissance.")
    for name, value in data.items():
        setattr(entry, name, value)
    entry.save()
    _journal(entry, by=by, reason="Inscription au registre modifiée")
    return entry


def acknowledgement(entry: RegisterEntry, *, mayor_of: str) -> str:
    """The letter the commune sends to the person (and to the third party who wrote)."""
    who = f"{entry.first_name} {entry.last_name}"
    asked = (
        "à votre demande"
        if entry.source == RegisterSource.SELF
        else f"à la demande écrite de {entry.third_party} du {french.date(entry.requested_on)}, avec votre accord"
    )
    return (
        f"{who}, votre inscription au registre des personnes vulnérables de {mayor_of}, {asked}, a été enregistrée "
        f"le {french.date(entry.registered_at)}. Ce registre sert uniquement à vous contacter, et à vous rendre "
        "visite si besoin, lorsque le préfet déclenche un plan d'alerte (canicule, grand froid, épidémie). Il "
        "contient votre identité, votre adresse, votre téléphone, la personne à prévenir et vos services à "
        "domicile, et rien d'autre. Vous pouvez le consulter, le faire corriger ou demander à ne plus y figurer "
        "à tout moment, auprès de la mairie : vos données sont alors effacées."
    )


def information(entry: RegisterEntry, *, mayor_of: str) -> str:
    """The letter telling a person of a département's or the CARSAT's list that she will be in the register
    unless she objects."""
    sender = "le Département" if entry.source == RegisterSource.DEPARTEMENT else "la CARSAT"
    return (
        f"{entry.first_name} {entry.last_name}, {sender} a transmis à {mayor_of}, comme la loi le prévoit "
        "(article L121-6-1 du code de l'action sociale et des familles, loi du 8 avril 2024), votre nom, votre "
        "adresse et votre téléphone, pour vous inscrire au registre des personnes vulnérables. Ce registre sert "
        "uniquement à vous contacter, et à vous rendre visite si besoin, lorsque le préfet déclenche un plan "
        "d'alerte (canicule, grand froid, épidémie). Si vous ne souhaitez pas y figurer, dites-le à la mairie, par "
        "téléphone, par courrier ou sur place : vos données seront effacées aussitôt. Vous pouvez aussi nous "
        "indiquer une personne à prévenir et vos services à domicile."
    )


@transaction.atomic
def letter_sent(*, entry: RegisterEntry, by, now: datetime.datetime | None = None) -> RegisterEntry:
    """The acknowledgement (a request) or the information letter (a list) is sent: noted with its day."""
    now = now or timezone.now()
    entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.objected_at:
        raise VigieError("Cette personne a quitté le registre : aucun courrier ne lui est envoyé.")
    if entry.source in LISTS:
        entry.informed_at = now
        entry.save(update_fields=["informed_at"])
        _journal(entry, by=by, reason="Personne informée de son inscription (liste transmise)")
    else:
        entry.acknowledged_at = now
        entry.save(update_fields=["acknowledged_at"])
        _journal(entry, by=by, reason="Accusé de réception de l'inscription envoyé")
    return entry


@transaction.atomic
def entry_objects(*, entry: RegisterEntry, by=None, now: datetime.datetime | None = None) -> RegisterEntry:
    """She leaves the register (she objects, or asks to be removed): everything that points to her is erased now;
    the commune, the category and how she came in stay, and her identity only as a fingerprint. ``by`` is the
    agent who notes it, None when she does it from her own space."""
    now = now or timezone.now()
    entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.objected_at:
        raise VigieError("Cette personne a déjà quitté le registre : ses données sont effacées.")
    entry.first_name = entry.last_name = entry.address = entry.phone = ""
    entry.contact_name = entry.contact_phone = entry.home_services = entry.third_party = ""
    entry.birth_date = None
    entry.objected_at = now
    entry.save()
    entry.calls.update(note="")
    reason = "Sortie du registre demandée" + (" depuis son espace" if by is None else "") + " : données effacées"
    _journal(entry, by=by, reason=reason)
    return entry


@dataclass
class ListImport:
    source: str
    created: list[RegisterEntry] = field(default_factory=list)
    already: int = 0  # already in the register
    objected: int = 0  # left it before: not registered again
    errors: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        parts = [french.plural(len(self.created), "personne inscrite", "personnes inscrites")]
        if self.already:
            parts.append(f"{french.plural(self.already, 'déjà inscrite', 'déjà inscrites')}")
        if self.objected:
            parts.append(
                f"{french.plural(self.objected, 'personne qui s’était opposée', 'personnes qui s’étaient opposées')}"
                " non réinscrite" + ("s" if self.objected > 1 else "")
            )
        return " ; ".join(parts) + "."


class ListRejected(VigieError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(f"{french.plural(len(errors), 'ligne refusée', 'lignes refusées')} : rien n'a été inscrit.")


COLUMNS = {
    "last_name": ("nom", "nom de naissance", "nom d'usage", "last_name"),
    "first_name": ("prénom", "prenom", "prénoms", "first_name"),
    "birth_date": ("date de naissance", "naissance", "date_naissance", "birth_date"),
    "insee": ("code insee", "insee", "code commune", "code_insee"),
    "commune": ("commune", "ville"),
    "address": ("adresse", "address"),
    "phone": ("téléphone", "telephone", "tél", "tel", "phone"),
    "category": ("qualité", "qualite", "catégorie", "categorie", "prestation"),
}
CATEGORY_WORDS = {
    RegisterCategory.DISABLED: ("handicap", "pch", "aah", "adulte handicapé", "adulte handicapée"),
    RegisterCategory.UNFIT: ("inapte", "60 ans inapte"),
    RegisterCategory.ELDERLY: ("65", "65 ans", "apa", "retraite", "âgée", "agee"),
}


def _category(text: str, birth_date: datetime.date | None, today: datetime.date) -> str | None:
    words = text.strip().lower()
    for category, names in CATEGORY_WORDS.items():
        if words and (words in names or any(words.startswith(name) for name in names)):
            return category
    if not words and birth_date and dates.age(birth_date, today) >= 65:
        return RegisterCategory.ELDERLY
    return None


@transaction.atomic
def import_list(
    *, territory, source: str, raw: bytes, by, now: datetime.datetime | None = None, dry_run: bool = False
) -> ListImport:
    """Register the people of a list the département or the CARSAT sent (CSV: nom ; prénom ; date de naissance ;
    code INSEE or commune ; adresse ; téléphone ; qualité). Every line is checked first: one wrong line and nothing
    is written, each error named with its line. A person already in the register, or who objected before, is not
    registered again. Those registered are to be told in writing (``information``) before any call."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if source not in LISTS:
        raise VigieError("Une liste vient du département ou de la CARSAT.")
    try:
        rows = spreadsheets.read_csv(raw)
    except ValueError as exc:
        raise VigieError(str(exc)) from None
    header = set(rows[0][1]) if rows else set()
    columns = {key: next((name for name in names if name in header), None) for key, names in COLUMNS.items()}
    needed = (("last_name", "nom"), ("first_name", "prénom"), ("address", "adresse"))
    missing = [label for key, label in needed if not columns[key]]
    if not columns["insee"] and not columns["commune"]:
        missing.append("code INSEE ou commune")
    if missing:
        raise VigieError(
            "Colonnes manquantes : " + ", ".join(f"« {name} »" for name in missing) + ". Colonnes attendues : nom ; "
            "prénom ; date de naissance ; code INSEE (ou commune) ; adresse ; téléphone ; qualité."
        )
    if len(rows) > IMPORT_MAX_ROWS:
        raise VigieError(f"Le fichier dépasse {french.number(IMPORT_MAX_ROWS)} lignes : découpez-le.")
    communes = list(territory.communes.all())
    by_code = {c.insee_code: c for c in communes}
    by_name = {_fold(c.name): c for c in communes}
    known: dict[str, bool] = {}  # identity → still in the register (else she left it)
    for key, objected_at in RegisterEntry.objects.filter(territory=territory).values_list("identity", "objected_at"):
        known[key] = known.get(key, False) or objected_at is None
    report, seen = ListImport(source=source), set()

    def cell(row, key):
        return row.get(columns[key], "") if columns[key] else ""

    for number, row in rows:
        problems = []
        born = None
        if cell(row, "birth_date"):
            try:
                born = spreadsheets.read_day(cell(row, "birth_date"))
            except ValueError:
                problems.append("date de naissance illisible (attendu JJ/MM/AAAA)")
            else:
                if born >= today:
                    problems.append("date de naissance dans le futur")
        named = cell(row, "commune")  # a name, or a code in a column called « commune »
        commune = by_code.get(cell(row, "insee")) or by_code.get(named) or by_name.get(_fold(named))
        if commune is None:
            where = cell(row, "insee") or cell(row, "commune")
            problems.append(f"commune « {where[:40]} » hors du territoire" if where else "commune manquante")
        for key, label in (("last_name", "nom"), ("first_name", "prénom"), ("address", "adresse")):
            if not cell(row, key):
                problems.append(f"{label} manquant")
        category = _category(cell(row, "category"), born, today)
        if category is None:
            problems.append(
                f"qualité « {cell(row, 'category')[:40]} » inconnue (65 ans, inapte, handicap)"
                if cell(row, "category")
                else "qualité manquante et âge inconnu"
            )
        if problems:
            report.errors.append(f"ligne {number} : " + ", ".join(problems) + ".")
            continue
        key = identity(cell(row, "first_name"), cell(row, "last_name"), born)
        if key in known:
            if known[key]:
                report.already += 1
            else:
                report.objected += 1
            continue
        if key in seen:
            report.already += 1
            continue
        seen.add(key)
        report.created.append(
            RegisterEntry(
                territory=territory,
                commune=commune,
                first_name=cell(row, "first_name")[:100],
                last_name=cell(row, "last_name")[:100],
                birth_date=born,
                category=category,
                address=cell(row, "address")[:200],
                phone=cell(row, "phone")[:30],
                source=source,
                registered_at=now,
                identity=key,
            )
        )
    if report.errors:
        raise ListRejected(report.errors)
    if not dry_run:
        RegisterEntry.objects.bulk_create(report.created, batch_size=500)
        JournalEntry.log(
            action=Action.PERSONAL_DATA_WRITTEN,
            actor=by,
            territory=territory,
            reason=f"Liste {RegisterSource(source).label.lower()} : {report.summary}",
            fields=FIELDS,
        )
    return report


def _fold(name: str) -> str:
    from carteblanche.rights.importers import normalise

    return normalise(name)


def entries(territory, *, commune_id=None, state: str = "", query: str = ""):
    """The register as the commune keeps it: those in it, those to write to, those who left it (no data)."""
    found = RegisterEntry.objects.filter(territory=territory).select_related("commune")
    if commune_id:
        found = found.filter(commune_id=commune_id)
    if state == "a_ecrire":
        found = found.filter(objected_at__isnull=True).filter(
            Q(source__in=LISTS, informed_at__isnull=True) | Q(source__in=REQUESTS, acknowledged_at__isnull=True)
        )
    elif state == "sorties":
        found = found.filter(objected_at__isnull=False)
    else:
        found = found.filter(objected_at__isnull=True)
    for word in query.split()[:4]:
        found = found.filter(Q(last_name__icontains=word) | Q(first_name__icontains=word))
    return found.order_by("commune__name", "last_name", "first_name", "pk")
