"""Files that organisations send about the persons they follow: CAF, France Travail and payroll exports.

One entry point, ``run_import``. The file is read and checked in full first; one bad row and nothing is
written except the ``DataImport`` row, REJECTED, with an error per line (``{"ligne": n, "message": "..."}``,
in French). In a CSV file ``ligne`` is the line of the file, the header being line 1 (missing columns are
reported there); in the CAF JSON it is the allocataire's position in the list, from 1, and the message names the
field; ``ligne`` 0 is the file as a whole (not UTF-8, empty, unreadable). A valid file is written in one
transaction.

Who is updated
    A row is matched to a person of the import's territory only (never another territory): by the
    organisation's identifier (CAF number, France Travail id), else by last name, first name and birth date,
    compared without case or accents (then the identifier is stored). A person whose stored identifier differs
    from the file's, or two persons with the same name and birth date, is not matched. Unmatched rows are
    counted in ``unknown_persons``. A matched person is updated only if her ACTIVE consents give the importing
    organisation all the categories the format requires (``REQUIRED_CATEGORIES``); otherwise she is counted in
    ``skipped_no_consent`` and left untouched. Neither is an error. Two values are written only when a consent
    covers their category too: the stored identifier (identity) and France Travail's registration (household).

What is written, and how it is traced
    Values are upserted on the models' unique constraints, so re-importing a file changes nothing. A value
    is written only when it changes, or, for a value with its own provenance (a Person field, an income, a
    benefit payment), when it did not come from an import of this organisation yet. Every value written
    carries its provenance: ``source_organisation``, ``source_import``, ``recorded_by``, ``source_label``
    and ``recorded_at`` on rows, and ``person.provenance[field]`` for the Person's own fields. Household
    members are added, never deleted nor replaced (a household has one partner at most: a different partner
    in the file is not added). Each person actually updated gets one journal line naming the categories
    written; ``run_import`` returns her id, so that her rights can be examined again.

Formats (UTF-8, a BOM is accepted; amounts in euros, never negative, with a decimal point or comma and two
decimals at most; dates ``AAAA-MM-JJ`` or ``JJ/MM/AAAA``; months ``AAAA-MM``)

CAF (``ImportKind.CAF``), JSON, one object per allocataire::

    {"allocataires": [{
        "numero_allocataire": "1234567",           # 7 to 12 digits, required
        "nom": "Martin", "prenom": "Sarah", "date_naissance": "1997-04-12",
        "commune_insee": "46042",                  # a commune of the territory; optional
        "logement": {"statut": "locataire", "loyer": 520.0},   # statut: a Tenure value; both optional
        "membres": [{"role": "conjoint" | "enfant", "prenom": "Léa", "date_naissance": "2023-02-01"}],
        "prestations": [{"code": "af", "mois": "2026-10", "montant": 153.01}]   # code: a Benefit value
    }]}

    Requires consent to household, housing and benefits. Writes the commune, tenure and rent (housing), adds
    the partner and children not yet in the household, matched on first name and birth date (household), and
    upserts BenefitPayment per (code, mois) (benefits).

France Travail (``ImportKind.FRANCE_TRAVAIL``), CSV separated by ``;``, one row per person and month::

    identifiant;nom;prenom;date_naissance;inscrit;date_debut_indemnisation;mois;are_nette;are_imposable
    A1234567;Martin;Sarah;12/04/1997;oui;01/09/2026;2026-10;812,40;830,10

    ``inscrit``: oui/non (empty: unknown, not written); ``date_debut_indemnisation`` may be empty; ``mois`` is
    required when an amount is given. Requires consent to income: upserts MonthlyIncome ``chomage_net`` and
    ``chomage_imposable`` of the applicant. If a consent also covers the household, writes the applicant's
    ``job_seeker`` and ``unemployment_start`` from the person's row with the latest month (the applicant's
    provenance fields then name this import).

Payroll (``ImportKind.PAYROLL``), CSV separated by ``;``, one row per employee, employer and month::

    nom;prenom;date_naissance;siret;mois;salaire_brut;salaire_net;salaire_imposable
    Martin;Sarah;1997-04-12;12345678900012;2026-10;1210,00;950,00;990,50

    At least one amount per row. ``siret`` (14 digits) may be empty. The row is matched to the applicant by
    name and birth date, else to a partner by first name and birth date, her last name being the person's.
    Requires consent to income (for a partner's row, the partner's OWN consent, ``Consent.given_by``: her pay
    is her record, not the file holder's): upserts MonthlyIncome ``salaire_brut``, ``salaire_net`` and
    ``salaire_imposable`` per employer (``siret`` is part of the key): files of several employers for the same
    month add up, and an employer's new file replaces only its own amounts.
"""

import csv
import datetime
import functools
import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from carteblanche.core import jsondata
from carteblanche.core.french import plural

from .access import Reader, record_write
from .enums import Benefit, DataCategory, ImportKind, ImportStatus, IncomeKind, MemberRole, Purpose, Tenure
from .models import CATEGORY_FIELDS, BenefitPayment, Consent, DataImport, HouseholdMember, MonthlyIncome, Person

SOURCE_LABELS = {
    ImportKind.CAF: "Import CAF",
    ImportKind.FRANCE_TRAVAIL: "Import France Travail",
    ImportKind.PAYROLL: "Import paie",
}
REQUIRED_CATEGORIES = {
    ImportKind.CAF: {DataCategory.HOUSEHOLD, DataCategory.HOUSING, DataCategory.BENEFITS},
    ImportKind.FRANCE_TRAVAIL: {DataCategory.INCOME},
    ImportKind.PAYROLL: {DataCategory.INCOME},
}
FRANCE_TRAVAIL_COLUMNS = (
    "identifiant",
    "nom",
    "prenom",
    "date_naissance",
    "inscrit",
    "date_debut_indemnisation",
    "mois",
    "are_nette",
    "are_imposable",
)
FRANCE_TRAVAIL_AMOUNTS = {"are_nette": IncomeKind.UNEMPLOYMENT_NET, "are_imposable": IncomeKind.UNEMPLOYMENT_TAXABLE}
PAYROLL_COLUMNS = (
    "nom",
    "prenom",
    "date_naissance",
    "siret",
    "mois",
    "salaire_brut",
    "salaire_net",
    "salaire_imposable",
)
PAYROLL_AMOUNTS = {
    "salaire_brut": IncomeKind.SALARY_GROSS,
    "salaire_net": IncomeKind.SALARY_NET,
    "salaire_imposable": IncomeKind.SALARY_TAXABLE,
}
CAF_ROLES = {MemberRole.PARTNER.value, MemberRole.CHILD.value}
SOURCED_FIELDS = ["source_organisation", "source_import", "recorded_by", "source_label", "recorded_at"]

CAF_NUMBER_RE = re.compile(r"^\d{7,12}$")
FRANCE_TRAVAIL_ID_RE = re.compile(r"^[0-9A-Za-z]{7,12}$")
SIRET_RE = re.compile(r"^\d{14}$")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
YES = {"oui", "o", "1", "vrai", "true", "x"}
NO = {"non", "n", "0", "faux", "false"}
MAX_AMOUNT = Decimal("99999999.99")  # MonthlyIncome and BenefitPayment: 10 digits, 2 decimals
MAX_RENT = Decimal("999999.99")  # Person.rent: 8 digits, 2 decimals
MAX_ROWS = 200_000
MAX_ERRORS = 1_000
BATCH = 1_000
CHUNK = 500  # ids per IN (...) query


class Rejected(Exception):
    """The whole file is refused: not UTF-8, empty, not the expected JSON, missing columns, too many rows."""

    def __init__(self, line: int, message: str):
        self.error = {"ligne": line, "message": message}
        super().__init__(message)


# Reading values --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=65_536)
def normalise(text: str) -> str:
    """« Léa-Marie  d'Aubigné » and « LEA MARIE D AUBIGNE » compare equal."""
    text = text.casefold().replace("œ", "oe").replace("æ", "ae")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[-'’.]", " ", text).split())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | dict | list):
        raise ValueError
    return str(value).strip()


@functools.lru_cache(maxsize=65_536)  # one birth date per person, repeated on each of her months
def _read_date(value: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _date(value: str, label: str, problems: list[str], *, past: bool = False) -> datetime.date | None:
    day = _read_date(value)
    if day is None:
        problems.append(f"{label} : date « {value} » invalide (AAAA-MM-JJ ou JJ/MM/AAAA attendu)")
    elif day.year < 1900 or (past and day > timezone.localdate()):
        problems.append(f"{label} : « {value} » invalide (date passée attendue)")
        day = None
    return day


def _month(value: str, label: str, problems: list[str]) -> datetime.date | None:
    match = MONTH_RE.match(value)
    if match and 1900 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
        return datetime.date(int(match[1]), int(match[2]), 1)
    problems.append(f"{label} : mois « {value} » invalide (AAAA-MM attendu, par exemple 2026-10)")
    return None


def _amount(value, label: str, problems: list[str], *, maximum: Decimal = MAX_AMOUNT) -> Decimal | None:
    """A decimal point or comma, spaces as thousands separators; never negative, two decimals at most."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        problems.append(f"{label} : un montant est attendu")
        return None
    raw = str(value).strip()
    try:
        amount = Decimal(re.sub(r"[\s\u00a0\u202f]", "", raw).replace(",", "."))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        problems.append(f"{label} : « {raw} » n'est pas un montant (par exemple 1234,56)")
    elif amount < 0:
        problems.append(f"{label} : montant négatif ({raw})")
    elif amount > maximum:
        problems.append(f"{label} : montant « {raw} » trop élevé")
    elif amount != amount.quantize(Decimal("0.01")):
        problems.append(f"{label} : « {raw} » a plus de deux décimales")
    else:
        return amount.quantize(Decimal("0.01"))
    return None


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Rejected(0, "Le fichier n'est pas encodé en UTF-8 (enregistrez-le en « CSV UTF-8 »).") from exc
    if not text.strip():
        raise Rejected(0, "Le fichier est vide.")
    return text


# Parsed rows -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    last_name: str
    first_name: str
    birth_date: datetime.date
    number: str = ""  # the organisation's identifier: CAF number, France Travail id

    @property
    def name_key(self) -> tuple:
        return (normalise(self.last_name), normalise(self.first_name), self.birth_date)

    @property
    def key(self) -> tuple:
        return ("n", self.number.upper()) if self.number else self.name_key


@dataclass
class CafRecord:
    line: int
    identity: Identity
    commune_id: int | None = None
    tenure: str = ""
    rent: Decimal | None = None
    members: list[tuple[str, str, datetime.date]] = field(default_factory=list)  # role, first name, birth date
    payments: dict[tuple[str, datetime.date], Decimal] = field(default_factory=dict)  # (benefit, month): amount


@dataclass
class FranceTravailRow:
    line: int
    identity: Identity
    job_seeker: bool | None
    unemployment_start: datetime.date | None
    month: datetime.date | None
    amounts: dict[str, Decimal]


@dataclass
class PayrollRow:
    line: int
    identity: Identity
    siret: str
    month: datetime.date
    amounts: dict[str, Decimal]


@dataclass
class Parsed:
    records: list = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    rows: int = 0

    def refuse(self, line: int, problems: list[str]):
        self.errors.append({"ligne": line, "message": " ; ".join(problems) + "."})


def _identity(values: dict, problems: list[str], label, *, number: str = "") -> Identity | None:
    """``label(key)`` names a field in messages: « champ « nom » » in JSON, « colonne « nom » » in CSV."""
    for key in ("nom", "prenom", "date_naissance"):
        if not values.get(key):
            problems.append(f"{label(key)} : valeur manquante")
        elif len(values[key]) > 100:
            problems.append(f"{label(key)} : trop long (100 caractères au plus)")
    if any(not values.get(key) or len(values[key]) > 100 for key in ("nom", "prenom", "date_naissance")):
        return None
    born = _date(values["date_naissance"], label("date_naissance"), problems, past=True)
    if born is None:
        return None
    return Identity(last_name=values["nom"], first_name=values["prenom"], birth_date=born, number=number)


def _json_field(key: str) -> str:
    return f"champ « {key} »"


def _column(key: str) -> str:
    return f"colonne « {key} »"


# CAF (JSON) ------------------------------------------------------------------------------------------------


def _field(item: dict, key: str, path: str, problems: list[str]) -> str:
    try:
        return _text(item.get(key))
    except ValueError:
        problems.append(f"champ « {path} » : texte attendu")
        return ""


def parse_caf(data: bytes, communes: dict[str, int]) -> Parsed:
    """``communes``: INSEE code → id of the territory's communes."""
    parsed = Parsed()
    text = _decode(data)
    try:
        document = jsondata.load(text, parse_float=Decimal)
    except jsondata.UnreadableJson as exc:
        raise Rejected(0, f"Le fichier n'est pas un JSON lisible : {exc.reason}.") from exc
    allocataires = document.get("allocataires") if isinstance(document, dict) else None
    if not isinstance(allocataires, list):
        raise Rejected(0, "Le fichier doit contenir un objet JSON avec une liste « allocataires ».")
    if not allocataires:
        raise Rejected(0, "La liste « allocataires » est vide : aucune donnée à importer.")
    if len(allocataires) > MAX_ROWS:
        raise Rejected(0, f"Le fichier compte plus de {MAX_ROWS} allocataires : découpez-le.")
    parsed.rows = len(allocataires)
    seen: dict[str, int] = {}
    for line, item in enumerate(allocataires, start=1):
        if not isinstance(item, dict):
            parsed.refuse(line, ["un objet JSON est attendu pour chaque allocataire"])
            continue
        problems: list[str] = []
        values = {k: _field(item, k, k, problems) for k in ("nom", "prenom", "date_naissance")}
        number = _field(item, "numero_allocataire", "numero_allocataire", problems)
        if not number:
            problems.append("champ « numero_allocataire » : valeur manquante")
        elif not CAF_NUMBER_RE.match(number):
            problems.append(f"champ « numero_allocataire » : « {number} » invalide (7 à 12 chiffres)")
        elif number in seen:
            problems.append(f"numéro d'allocataire {number} déjà présent (allocataire n° {seen[number]})")
        else:
            seen[number] = line
        identity = _identity(values, problems, _json_field, number=number)
        record = CafRecord(line=line, identity=identity)
        code = _field(item, "commune_insee", "commune_insee", problems)
        if code:
            record.commune_id = communes.get(code)
            if record.commune_id is None:
                problems.append(f"champ « commune_insee » : commune {code} inconnue sur ce territoire")
        _caf_housing(item.get("logement"), record, problems)
        _caf_members(item.get("membres"), record, problems)
        _caf_payments(item.get("prestations"), record, problems)
        if problems:
            parsed.refuse(line, problems)
        else:
            parsed.records.append(record)
    return parsed


def _caf_housing(housing, record: CafRecord, problems: list[str]):
    if housing is None:
        return
    if not isinstance(housing, dict):
        problems.append("champ « logement » : objet attendu")
        return
    tenure = _field(housing, "statut", "logement.statut", problems)
    if tenure and tenure not in Tenure.values:
        problems.append(f"champ « logement.statut » : « {tenure} » inconnu (valeurs : {', '.join(Tenure.values)})")
    else:
        record.tenure = tenure
    if housing.get("loyer") not in (None, ""):
        record.rent = _amount(housing["loyer"], "champ « logement.loyer »", problems, maximum=MAX_RENT)


def _caf_members(members, record: CafRecord, problems: list[str]):
    if members is None:
        return
    if not isinstance(members, list):
        problems.append("champ « membres » : liste attendue")
        return
    partners = 0
    for index, member in enumerate(members, start=1):
        path = f"membres[{index}]"
        if not isinstance(member, dict):
            problems.append(f"champ « {path} » : objet attendu")
            continue
        role = _field(member, "role", f"{path}.role", problems)
        first_name = _field(member, "prenom", f"{path}.prenom", problems)
        born_text = _field(member, "date_naissance", f"{path}.date_naissance", problems)
        if role not in CAF_ROLES:
            problems.append(f"champ « {path}.role » : « {role} » inconnu (conjoint ou enfant)")
        partners += role == MemberRole.PARTNER
        if not first_name:
            problems.append(f"champ « {path}.prenom » : valeur manquante")
        elif len(first_name) > 100:
            problems.append(f"champ « {path}.prenom » : trop long (100 caractères au plus)")
        born = None
        if not born_text:
            problems.append(f"champ « {path}.date_naissance » : valeur manquante")
        else:
            born = _date(born_text, f"champ « {path}.date_naissance »", problems, past=True)
        if role in CAF_ROLES and first_name and born:
            record.members.append((role, first_name, born))
    if partners > 1:
        problems.append("champ « membres » : un seul conjoint possible")


def _caf_payments(payments, record: CafRecord, problems: list[str]):
    if payments is None:
        return
    if not isinstance(payments, list):
        problems.append("champ « prestations » : liste attendue")
        return
    for index, payment in enumerate(payments, start=1):
        path = f"prestations[{index}]"
        if not isinstance(payment, dict):
            problems.append(f"champ « {path} » : objet attendu")
            continue
        code = _field(payment, "code", f"{path}.code", problems)
        if code not in Benefit.values:
            problems.append(
                f"champ « {path}.code » : prestation « {code} » inconnue (codes : {', '.join(Benefit.values)})"
            )
        month_text = _field(payment, "mois", f"{path}.mois", problems)
        month = _month(month_text, f"champ « {path}.mois »", problems) if month_text else None
        if not month_text:
            problems.append(f"champ « {path}.mois » : valeur manquante")
        amount = None
        if payment.get("montant") in (None, ""):
            problems.append(f"champ « {path}.montant » : valeur manquante")
        else:
            amount = _amount(payment["montant"], f"champ « {path}.montant »", problems)
        if code in Benefit.values and month and amount is not None:
            if (code, month) in record.payments:
                problems.append(f"champ « {path} » : prestation {code} du mois {month_text} en double")
            record.payments[(code, month)] = amount


# CSV (France Travail, payroll) -----------------------------------------------------------------------------


def _read_csv(data: bytes, columns: tuple[str, ...], parsed: Parsed):
    """(line, values) for each row, values stripped; lines count from the header, line 1."""
    reader = csv.DictReader(io.StringIO(_decode(data)), delimiter=";")
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [c for c in columns if c not in header]
    if missing:
        names = plural(len(missing), "colonne manquante", show_count=False)
        raise Rejected(
            1,
            f"{names} : {', '.join(missing)} (en-tête attendu, séparé par des points-virgules : {';'.join(columns)}).",
        )
    reader.fieldnames = header
    for row in reader:
        parsed.rows += 1
        if parsed.rows > MAX_ROWS:
            raise Rejected(0, f"Le fichier compte plus de {MAX_ROWS} lignes : découpez-le.")
        if None in row:
            parsed.refuse(reader.line_num, ["trop de valeurs sur la ligne (séparateur « ; » ou guillemets ?)"])
            continue
        if any(row[c] is None for c in columns):
            parsed.refuse(reader.line_num, [f"valeurs manquantes ({len(header)} attendues, séparées par « ; »)"])
            continue
        yield reader.line_num, {k: (v or "").strip() for k, v in row.items()}
    if parsed.rows == 0:
        raise Rejected(0, "Le fichier ne contient que l'en-tête : aucune ligne à importer.")


def _amounts(values: dict, columns: dict[str, str], problems: list[str]) -> dict[str, Decimal]:
    amounts = {}
    for column, kind in columns.items():
        if values[column]:
            amount = _amount(values[column], _column(column), problems)
            if amount is not None:
                amounts[kind] = amount
    return amounts


def parse_france_travail(data: bytes, communes=None) -> Parsed:
    parsed = Parsed()
    seen: dict[tuple, int] = {}
    for line, values in _read_csv(data, FRANCE_TRAVAIL_COLUMNS, parsed):
        problems: list[str] = []
        number = values["identifiant"]
        if not number:
            problems.append("colonne « identifiant » : valeur manquante")
        elif not FRANCE_TRAVAIL_ID_RE.match(number):
            problems.append(f"colonne « identifiant » : « {number} » invalide (7 à 12 lettres ou chiffres)")
        identity = _identity(values, problems, _column, number=number)
        registered = values["inscrit"].lower()
        job_seeker = None
        if registered in YES:
            job_seeker = True
        elif registered in NO:
            job_seeker = False
        elif registered:
            problems.append(f"colonne « inscrit » : « {values['inscrit']} » invalide (oui ou non)")
        start = None
        if values["date_debut_indemnisation"]:
            start = _date(values["date_debut_indemnisation"], _column("date_debut_indemnisation"), problems)
        amounts = _amounts(values, FRANCE_TRAVAIL_AMOUNTS, problems)
        month = _month(values["mois"], _column("mois"), problems) if values["mois"] else None
        if not values["mois"] and (values["are_nette"] or values["are_imposable"]):
            problems.append("colonne « mois » : valeur manquante (un montant d'allocation est donné)")
        if not problems and month:
            key = (number.upper(), month)
            if key in seen:
                problems.append(f"identifiant {number} et mois {values['mois']} déjà présents ligne {seen[key]}")
            seen[key] = line
        if problems:
            parsed.refuse(line, problems)
        else:
            parsed.records.append(FranceTravailRow(line, identity, job_seeker, start, month, amounts))
    return parsed


def parse_payroll(data: bytes, communes=None) -> Parsed:
    parsed = Parsed()
    seen: dict[tuple, int] = {}
    for line, values in _read_csv(data, PAYROLL_COLUMNS, parsed):
        problems: list[str] = []
        identity = _identity(values, problems, _column)
        siret = values["siret"].replace(" ", "")
        if siret and not SIRET_RE.match(siret):
            problems.append(f"colonne « siret » : « {values['siret']} » invalide (14 chiffres)")
        month = _month(values["mois"], _column("mois"), problems) if values["mois"] else None
        if not values["mois"]:
            problems.append("colonne « mois » : valeur manquante")
        if not any(values[c] for c in PAYROLL_AMOUNTS):
            problems.append("aucun montant : salaire_brut, salaire_net ou salaire_imposable attendu")
        amounts = _amounts(values, PAYROLL_AMOUNTS, problems)
        if not problems:
            key = (identity.name_key, siret, month)
            if key in seen:
                problems.append(f"même salarié, employeur et mois que la ligne {seen[key]}")
            seen[key] = line
        if problems:
            parsed.refuse(line, problems)
        else:
            parsed.records.append(PayrollRow(line, identity, siret, month, amounts))
    return parsed


PARSERS = {
    ImportKind.CAF: parse_caf,
    ImportKind.FRANCE_TRAVAIL: parse_france_travail,
    ImportKind.PAYROLL: parse_payroll,
}


def parse(kind: str, data: bytes, communes: dict[str, int] | None = None) -> Parsed:
    """Every row checked; ``errors`` lists each bad one. Nothing touches the database but ``communes``."""
    try:
        parsed = PARSERS[ImportKind(kind)](data, communes or {})
    except Rejected as exc:
        parsed = Parsed(errors=[exc.error])
    if len(parsed.errors) > MAX_ERRORS:
        more = len(parsed.errors) - MAX_ERRORS
        parsed.errors = parsed.errors[:MAX_ERRORS] + [
            {"ligne": 0, "message": f"… et {plural(more, 'autre ligne')} en erreur : corrigez d'abord les premières."}
        ]
    return parsed


# Matching --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    person_id: int
    by_name: bool = False  # not by the organisation's identifier: store it
    member_id: int | None = None  # payroll: the partner; None for the applicant


class PersonIndex:
    """The territory's persons, loaded once, by identifier and by normalised name and birth date."""

    def __init__(self, territory, number_field: str | None = None):
        self.by_number: dict[str, int | None] = {}
        self.by_name: dict[tuple, list[tuple[int, str]]] = defaultdict(list)
        self.partners: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
        self.born: dict[int, object] = {}
        fields = ["pk", "last_name", "first_name", "birth_date", *([number_field] if number_field else [])]
        rows = Person.objects.filter(territory=territory).values_list(*fields).order_by()
        for pk, last_name, first_name, born, *number in rows.iterator(chunk_size=5000):
            number = number[0].upper() if number and number[0] else ""
            self.born[pk] = born
            if number:
                self.by_number[number] = None if number in self.by_number else pk  # None: ambiguous
            self.by_name[(normalise(last_name), normalise(first_name), born)].append((pk, number))

    def load_partners(self, territory):
        partners = HouseholdMember.objects.filter(person__territory=territory, role=MemberRole.PARTNER).values_list(
            "pk", "person_id", "person__last_name", "first_name", "birth_date"
        )
        for pk, person_id, last_name, first_name, born in partners.order_by().iterator(chunk_size=5000):
            self.partners[(normalise(last_name), normalise(first_name), born)].append((person_id, pk))

    def find(self, identity: Identity) -> Match | None:
        number = identity.number.upper()
        if number and self.by_number.get(number):
            # The number alone is not enough: a number mistyped at the counter would bring another household's
            # data into this file. The birth date must agree too.
            pk = self.by_number[number]
            return Match(pk) if self.born[pk] == identity.name_key[2] else None
        candidates = [pk for pk, known in self.by_name.get(identity.name_key, ()) if not known or known == number]
        if len(candidates) == 1:
            return Match(candidates[0], by_name=bool(number))
        if not candidates and not number:
            partners = self.partners.get(identity.name_key, ())
            if len(partners) == 1:
                return Match(partners[0][0], member_id=partners[0][1])
        return None


# Writing ---------------------------------------------------------------------------------------------------


def _chunks(ids, size: int = CHUNK):
    ids = sorted(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


@dataclass
class Outcome:
    updated: list[int] = field(default_factory=list)
    skipped_no_consent: int = 0
    unknown_persons: int = 0


class Writer:
    """Writes the parsed records of one import, for the persons whose consent allows it."""

    def __init__(self, *, territory, organisation, kind, user, data_import: DataImport):
        self.territory = territory
        self.organisation = organisation
        self.kind = ImportKind(kind)
        self.user = user
        self.data_import = data_import
        self.label = SOURCE_LABELS[self.kind]
        self.now = timezone.now()
        self.outcome = Outcome()
        self.opened: dict[int, set[str]] = defaultdict(set)
        self.persons: dict[int, Person] = {}
        self.members: dict[int, list[HouseholdMember]] = defaultdict(list)
        self.written: dict[int, set[str]] = defaultdict(set)  # person id → categories written
        self.person_fields: set[str] = set()
        self.changed_persons: set[int] = set()
        self.known_incomes: dict[tuple, MonthlyIncome] = {}
        self.new_members: list[HouseholdMember] = []
        self.statuses: dict[tuple, list[int]] = defaultdict(list)  # (job_seeker, unemployment_start): member ids
        self.incomes: dict[tuple, MonthlyIncome] = {}
        self.superseded_incomes: list[int] = []  # totals without an employer that per-employer amounts replace
        self.benefits: dict[tuple, BenefitPayment] = {}

    # Who may be written -----------------------------------------------------------------------------------

    def sort_out(self, records, index: PersonIndex) -> list[tuple[object, Match]]:
        """The records of persons whose consent allows this import; the others counted."""
        unknown, found, kept = set(), set(), []
        for record in records:
            match = index.find(record.identity)
            if match is None:
                unknown.add(record.identity.key)
            else:
                found.add(match.person_id)
                kept.append((record, match))
        consents = (
            Consent.objects.active(self.now)
            .filter(person__territory=self.territory, organisations=self.organisation, given_by__isnull=True)
            .values_list("person_id", *CATEGORY_FIELDS.values())
            .order_by()
        )
        for person_id, *covers in consents.iterator(chunk_size=5000):
            self.opened[person_id].update(c for c, yes in zip(CATEGORY_FIELDS, covers, strict=True) if yes)
        required = REQUIRED_CATEGORIES[self.kind]
        # A partner's own records (matched on her identity) enter the file under her own consent only.
        asked = {m.member_id for _, m in kept if m.member_id}
        partners = self.partners_consenting(asked, required)
        kept = [
            (record, match)
            for record, match in kept
            if (match.member_id in partners if match.member_id else required <= self.opened[match.person_id])
        ]
        allowed = {match.person_id for _, match in kept}
        self.outcome.unknown_persons = len(unknown)
        # Persons left out, and partners whose own records were left out though their household was written.
        self.outcome.skipped_no_consent = len(found - allowed) + len(asked - partners)
        self.load(allowed)
        return kept

    def partners_consenting(self, member_ids, required) -> set[int]:
        if not member_ids:
            return set()
        rows = (
            Consent.objects.active(self.now)
            .filter(given_by_id__in=member_ids, organisations=self.organisation)
            .values_list("given_by_id", *CATEGORY_FIELDS.values())
            .order_by()
        )
        return {
            member_id
            for member_id, *covers in rows
            if required <= {c for c, yes in zip(CATEGORY_FIELDS, covers, strict=True) if yes}
        }

    def load(self, person_ids):
        """The persons to write, locked until the end of the import, and their household."""
        for chunk in _chunks(person_ids):
            for person in Person.objects.select_for_update().filter(pk__in=chunk).order_by("pk"):
                self.persons[person.pk] = person
            for member in HouseholdMember.objects.filter(person_id__in=chunk).order_by("pk"):
                self.members[member.person_id].append(member)

    def covers(self, person: Person, category: str) -> bool:
        return category in self.opened[person.pk]

    # Recording changes ------------------------------------------------------------------------------------

    def sourced(self) -> dict:
        return {
            "source_organisation": self.organisation,
            "source_import": self.data_import,
            "recorded_by": self.user,
            "source_label": self.label,
            "recorded_at": self.now,
        }

    def from_this_organisation(self, row) -> bool:
        return row.source_organisation_id == self.organisation.pk and row.source_import_id is not None

    def set_person(self, person: Person, name: str, value, category: str):
        attname = Person._meta.get_field(name).attname
        origin = person.provenance.get(name) or {}
        if (
            getattr(person, attname) == value
            and origin.get("organisation") == self.organisation.pk
            and origin.get("import")
        ):
            return
        setattr(person, attname, value)
        person.provenance = {
            **person.provenance,
            name: {
                "source": self.label,
                "organisation": self.organisation.pk,
                "import": self.data_import.pk,
                "by": self.user.pk if self.user else None,
                "at": self.now.isoformat(),
            },
        }
        self.person_fields.add(name)
        self.changed_persons.add(person.pk)
        self.written[person.pk].add(category)

    def applicant(self, person: Person) -> HouseholdMember:
        member = next((m for m in self.members[person.pk] if m.role == MemberRole.APPLICANT), None)
        if member is None:  # every file has one (services.register_person); repair one that lost it
            member = HouseholdMember.objects.create(
                person=person,
                role=MemberRole.APPLICANT,
                first_name=person.first_name,
                birth_date=person.birth_date,
                **self.sourced(),
            )
            self.members[person.pk].append(member)
            self.written[person.pk].add(DataCategory.HOUSEHOLD)
        return member

    def load_incomes(self, member_ids, kinds):
        for chunk in _chunks(member_ids):
            for income in MonthlyIncome.objects.filter(member_id__in=chunk, kind__in=kinds).order_by():
                self.known_incomes[(income.member_id, income.month, income.kind, income.employer_siret)] = income

    def set_income(self, person_id: int, member_id: int, month, kind: str, amount: Decimal, siret: str = ""):
        key = (member_id, month, kind, siret)
        known = self.known_incomes.get(key)
        if known is not None and known.amount == amount and self.from_this_organisation(known):
            return
        self.incomes[key] = MonthlyIncome(
            member_id=member_id, month=month, kind=kind, amount=amount, employer_siret=siret, **self.sourced()
        )
        self.written[person_id].add(DataCategory.INCOME)

    # Formats ----------------------------------------------------------------------------------------------

    def write_caf(self, records):
        index = PersonIndex(self.territory, "caf_number")
        kept = self.sort_out(records, index)
        known = {}
        for chunk in _chunks(self.persons):
            for payment in BenefitPayment.objects.filter(person_id__in=chunk).order_by():
                known[(payment.person_id, payment.benefit, payment.month)] = payment
        for record, match in kept:
            person = self.persons[match.person_id]
            if match.by_name and self.covers(person, DataCategory.IDENTITY):
                self.set_person(person, "caf_number", record.identity.number, DataCategory.IDENTITY)
            if record.commune_id is not None:
                self.set_person(person, "commune", record.commune_id, DataCategory.HOUSING)
            if record.tenure:
                self.set_person(person, "tenure", record.tenure, DataCategory.HOUSING)
            if record.rent is not None:
                self.set_person(person, "rent", record.rent, DataCategory.HOUSING)
            self.add_members(person, record.members)
            for (benefit, month), amount in record.payments.items():
                key = (person.pk, benefit, month)
                payment = known.get(key)
                if payment is not None and payment.amount == amount and self.from_this_organisation(payment):
                    continue
                self.benefits[key] = BenefitPayment(
                    person=person, benefit=benefit, month=month, amount=amount, **self.sourced()
                )
                self.written[person.pk].add(DataCategory.BENEFITS)

    def add_members(self, person: Person, members):
        """Partner and children not yet in the household, matched on first name and birth date."""
        household = self.members[person.pk]
        present = {(normalise(m.first_name), m.birth_date) for m in household if m.role != MemberRole.APPLICANT}
        for role, first_name, born in members:
            if (normalise(first_name), born) in present:
                continue
            if role == MemberRole.PARTNER and any(m.role == MemberRole.PARTNER for m in household):
                continue  # one partner per household: a different one is left for an agent to check
            member = HouseholdMember(
                person=person, role=role, first_name=first_name, birth_date=born, **self.sourced()
            )
            household.append(member)
            present.add((normalise(first_name), born))
            self.new_members.append(member)
            self.written[person.pk].add(DataCategory.HOUSEHOLD)

    def write_france_travail(self, records):
        index = PersonIndex(self.territory, "france_travail_id")
        kept = self.sort_out(records, index)
        applicants = {pk: self.applicant(person) for pk, person in self.persons.items()}
        self.load_incomes([m.pk for m in applicants.values()], list(FRANCE_TRAVAIL_AMOUNTS.values()))
        latest: dict[int, FranceTravailRow] = {}
        for record, match in kept:
            person = self.persons[match.person_id]
            if match.by_name and self.covers(person, DataCategory.IDENTITY):
                self.set_person(person, "france_travail_id", record.identity.number, DataCategory.IDENTITY)
            for kind, amount in record.amounts.items():
                self.set_income(person.pk, applicants[person.pk].pk, record.month, kind, amount)
            previous = latest.get(person.pk)
            if previous is None or (record.month or datetime.date.min) >= (previous.month or datetime.date.min):
                latest[person.pk] = record
        for person_id, record in latest.items():
            person = self.persons[person_id]
            if record.job_seeker is None or not self.covers(person, DataCategory.HOUSEHOLD):
                continue
            member = applicants[person_id]
            status = (record.job_seeker, record.unemployment_start)
            if (member.job_seeker, member.unemployment_start) != status:
                self.statuses[status].append(member.pk)
                self.written[person_id].add(DataCategory.HOUSEHOLD)

    def write_payroll(self, records):
        index = PersonIndex(self.territory)
        index.load_partners(self.territory)
        kept = self.sort_out(records, index)
        totals: dict[tuple, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for record, match in kept:
            member_id = match.member_id or self.applicant(self.persons[match.person_id]).pk
            for kind, amount in record.amounts.items():
                totals[(match.person_id, member_id, record.month, record.siret)][kind] += amount
        self.load_incomes({member_id for _, member_id, _, _ in totals}, list(PAYROLL_AMOUNTS.values()))
        for (person_id, member_id, month, siret), amounts in totals.items():
            for kind, amount in amounts.items():
                self.set_income(person_id, member_id, month, kind, amount, siret)
                # A month's total known without its employer (declared, or an older file) would count twice.
                undivided = self.known_incomes.get((member_id, month, kind, ""))
                if siret and undivided is not None:
                    self.superseded_incomes.append(undivided.pk)
                    self.written[person_id].add(DataCategory.INCOME)

    # Saving -----------------------------------------------------------------------------------------------

    def save(self):
        if self.changed_persons:
            persons = [self.persons[pk] for pk in sorted(self.changed_persons)]
            Person.objects.bulk_update(persons, sorted(self.person_fields | {"provenance"}), batch_size=BATCH)
        HouseholdMember.objects.bulk_create(self.new_members, batch_size=BATCH)
        for (job_seeker, start), member_ids in self.statuses.items():  # few distinct values: one UPDATE each
            for chunk in _chunks(member_ids):
                HouseholdMember.objects.filter(pk__in=chunk).update(
                    job_seeker=job_seeker, unemployment_start=start, **self.sourced()
                )
        for chunk in _chunks(sorted(set(self.superseded_incomes))):
            MonthlyIncome.objects.filter(pk__in=chunk).delete()
        MonthlyIncome.objects.bulk_create(
            list(self.incomes.values()),
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["member", "month", "kind", "employer_siret"],
            update_fields=["amount", *SOURCED_FIELDS],
        )
        BenefitPayment.objects.bulk_create(
            list(self.benefits.values()),
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["person", "benefit", "month"],
            update_fields=["amount", *SOURCED_FIELDS],
        )
        reader = Reader(
            territory=self.territory, purpose=Purpose.COUNTER, user=self.user, organisations=(self.organisation,)
        )
        reason = f"Import n° {self.data_import.pk} : {self.kind.label}"
        for pk in sorted(self.written):
            categories = self.written[pk]
            record_write(
                reader,
                self.persons[pk],
                fields=[DataCategory(c).label for c in DataCategory if c in categories],
                reason=reason,
                details={"import": self.data_import.pk},
            )
        self.outcome.updated = sorted(self.written)

    def run(self, records) -> Outcome:
        {
            ImportKind.CAF: self.write_caf,
            ImportKind.FRANCE_TRAVAIL: self.write_france_travail,
            ImportKind.PAYROLL: self.write_payroll,
        }[self.kind](records)
        self.save()
        return self.outcome


def run_import(*, territory, organisation, kind: ImportKind, file_name: str, data: bytes, user, pending=None):
    """Check the whole file, then write it for the persons whose consent allows it, in one transaction.

    Returns the ``DataImport`` row (DONE, or REJECTED with its errors and nothing else written) and the ids of
    the persons whose data changed. ``pending`` is the row of a file waiting for a worker: it is completed (and
    its stored content dropped) instead of a new row being created.
    """
    kind = ImportKind(kind)
    user = user if user is not None and user.is_authenticated else None
    communes = dict(territory.communes.values_list("insee_code", "pk")) if kind == ImportKind.CAF else {}
    parsed = parse(kind, data, communes)
    with transaction.atomic():
        data_import = pending or DataImport(territory=territory, organisation=organisation, kind=kind)
        data_import.file_name = file_name[:255]
        data_import.status = ImportStatus.REJECTED if parsed.errors else ImportStatus.DONE
        data_import.rows = parsed.rows
        data_import.errors = parsed.errors
        data_import.created_by = data_import.created_by or user
        data_import.content = None
        data_import.save()
        if parsed.errors:
            return data_import, []
        writer = Writer(territory=territory, organisation=organisation, kind=kind, user=user, data_import=data_import)
        try:
            with transaction.atomic():
                outcome = writer.run(parsed.records)
        except IntegrityError:
            data_import.status = ImportStatus.REJECTED
            data_import.errors = [
                {
                    "ligne": 0,
                    "message": "Un autre enregistrement a modifié les mêmes dossiers pendant l'import : rien n'a "
                    "été enregistré, relancez l'import.",
                }
            ]
            data_import.save(update_fields=["status", "errors"])
            return data_import, []
        data_import.updated_persons = len(outcome.updated)
        data_import.skipped_no_consent = outcome.skipped_no_consent
        data_import.unknown_persons = outcome.unknown_persons
        data_import.save(update_fields=["updated_persons", "skipped_no_consent", "unknown_persons"])
    return data_import, outcome.updated
