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
from carteblanche.rights.enums import Benefit, ChildcareMode
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
    data = copy.deepcopy(situation)
    mode = CMG_MODES[kind]
    found = False
    for member in data.get("membres", []):
        if member.get("role") == "enfant" and member.get("naissance") == child_birth.isoformat():
            member["mode_de_garde"] = mode
            found = True
    if not found:
        data.setdefault("membres", []).append(
            {"role": "enfant", "naissance": child_birth.isoformat(), "mode_de_garde": mode}
        )
    household, month = situation_from_json(data)
    amount = engine.compute([household], month)[0].amounts[Benefit.CMG]
    return amount, rule_note(month)


def monthly_cost(hourly_cost: float, weekly_hours: float) -> float:
    """Hours a week × the hourly cost × 52 / 12 (the monthly average of a year-round contract)."""
    return round(hourly_cost * weekly_hours * 52 / 12, 2)
