"""What a childcare solution costs the family: its monthly cost before aid, and the CMG (« complément de libre choix
du mode de garde ») that OpenFisca-France computes for the family's complete situation, through the rights app's
engine (the situation the parent's consent opens, in the ``manage.py droits`` format; that engine gives OpenFisca's
own answer to the cent on the reference households, CMG cases included).

Which rule was applied is said with the amount (``rule_note``): the OpenFisca-France release, the CMG's scale by
income bracket, and what that release does not model yet — the reform in force since 1 September 2025 (an amount
from the hourly cost and the hours, up to 12 years of age for a single parent) and the supplement for specific
hours (between 22 h and 6 h, Sundays and public holidays). Neither is applied; the page says so.
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
    return note + " La majoration pour horaires spécifiques (22 h – 6 h, dimanche, jour férié) non plus."


def cmg_estimate(situation: dict, *, child_birth: datetime.date, kind: str) -> tuple[float | None, str]:
    """The monthly CMG of the family described by ``situation`` (the ``droits`` JSON format) once the child born
    on ``child_birth`` is kept by a provider of ``kind``; None when a fact it needs is missing. With the rule
    applied."""
    household, month = situation_from_json(copy.deepcopy(situation))
    amounts, missing = cmg_for(household, month, child_birth=child_birth, kinds=[kind])
    return amounts[kind], missing or rule_note(month)


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


def monthly_cost(hourly_cost: float, weekly_hours: float) -> float:
    """Hours a week × the hourly cost × 52 / 12 (the monthly average of a year-round contract)."""
    return round(hourly_cost * weekly_hours * 52 / 12, 2)
