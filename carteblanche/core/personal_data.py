"""The platform's one personal-data detector, for texts residents write where others will read them.

``find`` lists what a text gives away about a person: an e-mail address, a phone number, a social security number
(NIR, with its key checked), a bank account (IBAN, checked), a card number (Luhn), a postal address, a name
(« je m'appelle… », « mon nom est… ») or a birth date (« né le… »); with ``health=True`` (the vigies' signals), words
about someone's health too. ``message`` says in French what was found, so that a form can refuse to send and the
person can take it out as she types (``validate_no_personal_data``, ``views.personal_data_check``); ``scrub``
replaces it for a page everyone may read.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from . import french

REPLACEMENT = "[…]"


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return LABELS[self.kind]


LABELS = {
    "email": "une adresse électronique",
    "phone": "un numéro de téléphone",
    "nir": "un numéro de sécurité sociale",
    "iban": "un numéro de compte bancaire (IBAN)",
    "card": "un numéro de carte bancaire",
    "address": "une adresse postale",
    "name": "un nom",
    "birth": "une date de naissance",
    "health": "une information de santé",
    "url": "un lien",
}

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
# French numbers: 0X XX XX XX XX, +33 X…, 0033 X…, separated by spaces, dots or dashes (or nothing).
PHONE = re.compile(r"(?<![\d])(?:(?:\+|00)33[\s.-]?(?:\(0\)[\s.-]?)?|0)[1-9](?:[\s.-]?\d{2}){4}(?![\d])")
# NIR: sex, year, month, département (2A/2B for Corsica), commune, order, then an optional two-digit key.
NIR = re.compile(
    r"(?<![\dA-Za-z])([12])[\s.]?(\d{2})[\s.]?(0[1-9]|1[0-2]|[2-9]\d)[\s.]?(\d{2}|2[AB])[\s.]?(\d{3})[\s.]?(\d{3})"
    r"(?:[\s.]?(\d{2}))?(?![\d])",
    re.IGNORECASE,
)
IBAN = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2}\d{2}(?:[\s-]?[A-Z0-9]{4}){2,7}(?:[\s-]?[A-Z0-9]{1,4})?)(?![A-Za-z0-9])")
CARD = re.compile(r"(?<![\d])(\d(?:[\s-]?\d){12,18})(?![\d])")
STREETS = (
    r"rue|avenue|av\.|boulevard|bd|chemin|impasse|all[ée]e|place|route|quai|cours|lotissement|lot\.|"
    r"r[ée]sidence|hameau|lieu[\s-]dit|faubourg|sentier|square|passage|mont[ée]e|esplanade|cit[ée]"
)
ADDRESS = re.compile(
    rf"\b\d{{1,4}}(?:\s?(?:bis|ter|b|t))?,?\s+(?:{STREETS})\s+[\w'’ -]{{2,60}}"
    rf"|\b(?:{STREETS})\s+(?:de\s+la|des|du|de|d['’])\s*[\w'’-]{{2,40}}(?:\s+[\w'’-]{{2,40}})?,?\s+\d{{5}}\b"
    r"|\b\d{5}\s+[A-ZÉÈ][\w'’-]+(?:[\s-][A-ZÉÈ][\w'’-]+)*\b(?=\s*(?:$|[,.;]))"
    r"|\b(?:lieu[\s-]dit|hameau\s+(?:de|du|des))\s+[A-ZÉÈ][\w'’-]+(?:\s+[A-ZÉÈ][\w'’-]+)?",
    re.IGNORECASE,
)
NAME = re.compile(
    r"\b(?:je\s+m['’]\s?appelle|mon\s+nom\s+(?:est|c['’]est)|mon\s+pr[ée]nom\s+(?:est|c['’]est)|"
    r"je\s+suis\s+(?:madame|monsieur|mme|m\.)|signé)\s+[A-ZÉÈÀ][\w'’-]+(?:\s+[A-ZÉÈÀ][\w'’-]+)?",
    re.IGNORECASE,
)
MONTHS = r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre"
BIRTH = re.compile(
    rf"\bn[ée]e?s?\s+le\s+(?:\d{{1,2}}(?:er)?\s+(?:{MONTHS})\s+\d{{4}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}})"
    rf"|\bdate\s+de\s+naissance\s*:?\s*\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}",
    re.IGNORECASE,
)
HEALTH = re.compile(
    r"\b(?:maladies?|malades?|cancers?|chimio(?:th[ée]rapie)?|diab[èé]t(?:e|ique)s?|d[ée]pressi(?:on|ve|f)s?|"
    r"suicid\w*|alzheimer|parkinson|psychiatri\w*|schizophr\w*|bipolaire|sida|vih|s[ée]ropositi\w*|"
    r"hospitalis[ée]\w*|h[ôo]pital|dialyse|handicap\w*|invalidit[ée]|traitements?|m[ée]dicaments?|"
    r"addictions?|alcooli\w*|toxicoman\w*|enceinte|grossesse|fausse\s+couche|avortement|"
    r"[ée]pilep\w*|autis\w*|d[ée]mence|s[ée]nile|grabataire|alit[ée]e?)\b",
    re.IGNORECASE,
)


def _nir_valid(match: re.Match) -> bool:
    sex, year, month, department, commune, order, key = match.groups()
    if key is None:
        return True  # thirteen digits in the NIR's shape are already a number to keep out
    digits = f"{sex}{year}{month}{department.upper()}{commune}{order}"
    digits = digits.replace("2A", "19").replace("2B", "18")  # Corsica, as the key is computed
    return 97 - int(digits) % 97 == int(key)


def _iban_valid(text: str) -> bool:
    compact = re.sub(r"[\s-]", "", text).upper()
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _luhn_valid(text: str) -> bool:
    digits = [int(c) for c in text if c.isdigit()]
    if not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    total = 0
    for i, digit in enumerate(reversed(digits)):
        if i % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def find(text: str, *, health: bool = False, links: bool = False) -> list[Finding]:
    """What the text gives away, in the order it appears; overlapping findings keep the first and longest."""
    if not text:
        return []
    found: list[Finding] = []
    for kind, pattern, valid in (
        ("email", EMAIL, None),
        ("iban", IBAN, lambda m: _iban_valid(m.group(1))),
        ("nir", NIR, _nir_valid),
        ("card", CARD, lambda m: _luhn_valid(m.group(1))),
        ("phone", PHONE, None),
        ("birth", BIRTH, None),
        ("address", ADDRESS, None),
        ("name", NAME, None),
        ("url", URL if links else None, None),
        ("health", HEALTH if health else None, None),
    ):
        if pattern is None:
            continue
        for match in pattern.finditer(text):
            if valid is None or valid(match):
                found.append(Finding(kind, match.start(), match.end()))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for finding in found:
        if kept and finding.start < kept[-1].end:
            continue
        kept.append(finding)
    return kept


def message(findings: list[Finding]) -> str:
    """« Votre texte contient un numéro de téléphone et une adresse postale : retirez-les avant d'envoyer… »."""
    if not findings:
        return ""
    labels = list(dict.fromkeys(f.label for f in findings))
    pronoun = "retirez-la" if labels[0].startswith("une ") else "retirez-le"
    if len(findings) > 1:
        pronoun = "retirez-les"
    return (
        f"Votre texte contient {french.join(labels)} : {pronoun} avant d'envoyer. Décrivez la situation sans "
        "écrire qui est la personne : le service vous recontactera par les coordonnées prévues pour cela."
    )


def scrub(text: str, *, health: bool = False) -> str:
    """The text with what it gives away replaced by « […] » (links included): for pages everyone may read."""
    findings = find(text, health=health, links=True)
    for finding in reversed(findings):
        text = text[: finding.start] + REPLACEMENT + text[finding.end :]
    return text


def validate_no_personal_data(value: str) -> None:
    """A form field's validator: refuses a text that names or reaches someone, with a French message."""
    findings = find(value)
    if findings:
        raise ValidationError(message(findings), code="personal_data")


def validate_no_personal_or_health_data(value: str) -> None:
    """The same, health words included (the vigies' signals: a worry is described, never a diagnosis)."""
    findings = find(value, health=True)
    if findings:
        raise ValidationError(message(findings), code="personal_data")
