"""What a childcare solution costs the family: its monthly cost before aid, and the CMG (« complément de libre choix
du mode de garde ») that OpenFisca-France computes for the family's complete situation, through the rights app's
engine (the situation the parent's consent opens, in the ``manage.py droits`` format; that engine gives OpenFisca's
own answer to the cent on the reference households, CMG cases included).

Which rule was applied is said with the amount (``rule_note``): the OpenFisca-France release, the CMG's scale by
income bracket, and what that release does not model yet — the reform in force since 1 September 2025 (an amount
from the hourly cost and the hours, up to 12 years of age for a single parent) and the supplement for specific
hours (between 22 h and 6 h, Sundays and public holidays: 10 % more for at least 25 such hours a month, CSS
D531-23). The reform is not applied; the supplement is added here, on OpenFisca's amount, and said so.
"""

import copy
import datetime

from carteblanche.rights import engine
from carteblanche.rights.engine import MemberSituation
from carteblanche.rights.enums import Benefit, ChildcareMode, MemberRole
from carteblanche.rights.situation_json import situation_from_json

from .enums import ProviderKind

# How the CMG reads each kind of provider (a crèche under the PSU opens no CMG; nor does after-school care).
CMG_MODES = {
    ProviderKind.CHILDMINDER: ChildcareMode.DIRECT,
    ProviderKind.MAM: ChildcareMode.DIRECT,
    ProviderKind.HOME_CARE: ChildcareMode.HOME,
    ProviderKind.MICRO_CRECHE: ChildcareMode.STRUCTURE,
    ProviderKind.CRECHE: ChildcareMode.NURSERY,
    ProviderKind.AFTER_SCHOOL: ChildcareMode.PARENTS,
}
REFORM_2025 = datetime.date(2025, 9, 1)


def rule_note(month: datetime.date) -> str:
    note = (
        f"CMG calculé par OpenFisca-France {engine.RULES_VERSION} : barème par tranches de revenus (formule "
        "d'avril 2017)."
    )
    if month >= REFORM_2025:
        note += (
            " La réforme en vigueur depuis le 1er septembre 2025 (montant selon le coût horaire et le nombre "
            "d'heures, jusqu'aux 12 ans de l'enfant pour un parent seul) n'y est pas encore : non appliquée."
        )
    return note


def cmg_estimate(situation: dict, *, child_birth: datetime.date, kind: str) -> tuple[float | None, str]:
    """The monthly CMG of the family described by ``situation`` (the ``droits`` JSON format) once the child born
    on ``child_birth`` is kept by a provider of ``kind``; None when a fact it needs is missing. With the rule
    applied."""
    household, month = situation_from_json(copy.deepcopy(situation))
    amounts, missing = cmg_for(household, month, child_birth=child_birth, kinds=[kind])
    unknown = (
        f" La majoration pour horaires spécifiques ({SUPPLEMENT_ARTICLE}) dépend des heures de garde : non comptée."
    )
    return amounts[kind], missing or rule_note(month) + unknown


def cmg_for(
    household, month: datetime.date, *, child_birth: datetime.date, kinds
) -> tuple[dict[str, float | None], str]:
    """For each kind of provider, the monthly CMG of ``household`` (a ``rights.engine.HouseholdSituation``, read
    from the family's file under its consent) once the child born on ``child_birth`` is kept by it: one OpenFisca
    simulation for all the kinds. And, when OpenFisca cannot be asked (the care of another child under six is not
    in the file), what is missing."""
    kinds = list(dict.fromkeys(kinds))
    households = []
    for kind in kinds:
        variant = household.copy()
        children = [m for m in variant.members if m.role == MemberRole.CHILD and m.birth_date == child_birth]
        if not children:
            children = [MemberSituation(role=MemberRole.CHILD, birth_date=child_birth)]
            variant.members.append(children[0])
        for child in children:
            child.childcare = CMG_MODES[kind]
        households.append(variant)
    computed = engine.compute(households, month)
    amounts = {kind: result.amounts[Benefit.CMG] for kind, result in zip(kinds, computed, strict=True)}
    why = next((r.why_not[Benefit.CMG] for r in computed if Benefit.CMG in r.why_not), "")
    return amounts, f"CMG non estimé : il manque au dossier de droits {why}." if why else ""


OPENS_CMG = {kind for kind, mode in CMG_MODES.items() if mode not in (ChildcareMode.NURSERY, ChildcareMode.PARENTS)}


def cmg_kind(parts: list[tuple[str, float]]) -> str:
    """The kind of provider the CMG is asked for, among a solution's ``(kind, weekly hours)``: the one keeping the
    child most hours among those that open it (a family declares one mode of care), else the first."""
    paying = [item for item in parts if item[0] in OPENS_CMG]
    return max(paying or parts, key=lambda item: item[1])[0]


SUPPLEMENT_RATE = 0.10
SUPPLEMENT_HOURS = 25  # a month, between 22 h and 6 h, on Sundays or public holidays
SUPPLEMENT_ARTICLE = "CSS D531-23"


def specific_hours(slots) -> float:
    """Hours a month (a week's × 52 / 12) between 22 h and 6 h or on a Sunday, of a week's (weekday, slot) set."""
    from .law import NIGHT

    count = sum(1 for weekday, slot in slots if weekday == 6 or slot in NIGHT[0] or slot in NIGHT[1])
    return round(count / 2 * 52 / 12, 1)


def supplement(cmg: float | None, hours: float) -> tuple[float, str]:
    """The 10 % supplement of the CMG for a child kept at least 25 hours a month at specific hours (CSS D531-23),
    which OpenFisca-France does not compute: its amount and the sentence that says so ("" when none)."""
    if not cmg:
        return 0.0, ""
    if hours < SUPPLEMENT_HOURS:
        return 0.0, (
            f" Pas de majoration pour horaires spécifiques ({SUPPLEMENT_ARTICLE}) : moins de {SUPPLEMENT_HOURS} "
            "heures par mois entre 22 h et 6 h ou le dimanche."
        )
    amount = round(cmg * SUPPLEMENT_RATE, 2)
    return amount, (
        f" Majoration de 10 % pour horaires spécifiques ({SUPPLEMENT_ARTICLE}) : {hours:.0f} heures par mois entre "
        "22 h et 6 h ou le dimanche (les jours fériés ne sont pas comptés), calculée par Carte blanche sur le "
        "montant d'OpenFisca, qui ne la calcule pas."
    )


def monthly_cost(hourly_cost: float, weekly_hours: float) -> float:
    """Hours a week × the hourly cost × 52 / 12 (the monthly average of a year-round contract)."""
    return round(hourly_cost * weekly_hours * 52 / 12, 2)
