"""One household written as JSON, for people who check rules (``manage.py droits``) and for the reference suite.

The format, documented in the README::

    {"mois": "2026-11", "commune": "46042", "logement": {"statut": "locataire", "loyer": 550},
     "membres": [{"role": "demandeur", "prenom": "Sarah", "naissance": "2001-03-15",
                  "revenus": {"salaire_net": {"2024-01": 1100, "2024-02": 1100}},
                  "chomage_depuis": null, "taux_incapacite": null},
                 {"role": "enfant", "naissance": "2023-05-01"}]}

It becomes the same ``HouseholdSituation`` as the records a consent opens, and goes through the same evaluation as
the agent's console: there is no second engine. Errors name the field, in French.
"""

from __future__ import annotations

import datetime
import re

from .engine import HouseholdSituation, MemberSituation
from .enums import Benefit, ChildcareMode, ContractType, IncomeKind, MemberRole, Schooling, Tenure

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_FLAGS = {
    "etudiant": "student",
    "inapte_travail": "unable_to_work",
    "restriction_substantielle": "employment_restriction",
    "enceinte": "pregnant",
    "garde_alternee": "alternating_custody",
    "soins_ou_etablissement_specialise": "special_care",
}
_MEMBER_KEYS = {
    "role",
    "prenom",
    "naissance",
    "revenus",
    "revenus_annuels",
    "inscrit_france_travail",
    "chomage_depuis",
    "chomage_jusqu_au",
    "taux_incapacite",
    "condition_activite_ass",
    "complement_aeeh",
    "scolarite",
    "mode_de_garde",
    "nouvel_emploi",
    "allocation_journaliere",
    *_FLAGS,
}
_JOB_KEYS = {"debut", "contrat", "duree_mois", "heures_semaine"}
_KEYS = {"mois", "commune", "logement", "membres", "prestations_percues"}


class SituationError(ValueError):
    """A field of the JSON is missing or wrong; the message names it, in French."""


def _month(value, where: str) -> datetime.date:
    match = _MONTH.match(value) if isinstance(value, str) else None
    if not match or not 1 <= int(match[2]) <= 12:
        raise SituationError(f"{where} : mois attendu au format AAAA-MM (par exemple 2026-11), reçu {value!r}.")
    return datetime.date(int(match[1]), int(match[2]), 1)


def _date(value, where: str, *, optional: bool = False) -> datetime.date | None:
    if value is None and optional:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise SituationError(
            f"{where} : date attendue au format AAAA-MM-JJ (par exemple 2001-03-15), reçu {value!r}."
        ) from None


def _amount(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise SituationError(f"{where} : montant en euros attendu (nombre positif ou nul), reçu {value!r}.")
    return float(value)


def _unknown(data: dict, allowed: set, where: str):
    extra = sorted(set(data) - allowed)
    if extra:
        raise SituationError(
            f"{where} : champ inconnu « {extra[0]} » (champs possibles : {', '.join(sorted(allowed))})."
        )


def _object(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise SituationError(f"{where} : objet JSON attendu, reçu {value!r}.")
    return value


def _member(data, where: str) -> MemberSituation:
    data = _object(data, where)
    _unknown(data, _MEMBER_KEYS, where)
    role = data.get("role")
    if role not in MemberRole.values:
        raise SituationError(f"{where}.role : « demandeur », « conjoint » ou « enfant » attendu, reçu {role!r}.")
    member = MemberSituation(
        role=role, birth_date=_date(data.get("naissance"), f"{where}.naissance"), first_name=data.get("prenom") or ""
    )
    for kind, series in _object(data.get("revenus") or {}, f"{where}.revenus").items():
        if kind not in IncomeKind.values:
            raise SituationError(
                f"{where}.revenus : nature de revenu inconnue « {kind} » (possibles : {', '.join(IncomeKind.values)})."
            )
        member.monthly[kind] = {
            _month(m, f"{where}.revenus.{kind}"): _amount(v, f"{where}.revenus.{kind}.{m}")
            for m, v in _object(series, f"{where}.revenus.{kind}").items()
        }
    for kind, years in _object(data.get("revenus_annuels") or {}, f"{where}.revenus_annuels").items():
        if kind not in IncomeKind.values:
            raise SituationError(f"{where}.revenus_annuels : nature de revenu inconnue « {kind} ».")
        yearly = {}
        for year, value in _object(years, f"{where}.revenus_annuels.{kind}").items():
            if not (isinstance(year, str) and year.isdigit() and len(year) == 4):
                raise SituationError(f"{where}.revenus_annuels.{kind} : année attendue (AAAA), reçu {year!r}.")
            yearly[int(year)] = _amount(value, f"{where}.revenus_annuels.{kind}.{year}")
        member.annual[kind] = yearly
    member.unemployment_start = _date(data.get("chomage_depuis"), f"{where}.chomage_depuis", optional=True)
    member.job_seeker_until = _date(data.get("chomage_jusqu_au"), f"{where}.chomage_jusqu_au", optional=True)
    registered = data.get("inscrit_france_travail")
    if registered is not None and not isinstance(registered, bool):
        raise SituationError(f"{where}.inscrit_france_travail : true, false ou null attendu, reçu {registered!r}.")
    member.job_seeker = registered if registered is not None else (True if member.unemployment_start else None)
    rate = data.get("taux_incapacite")
    if rate is not None:
        if isinstance(rate, bool) or not isinstance(rate, int) or not 0 <= rate <= 100:
            raise SituationError(f"{where}.taux_incapacite : pourcentage entier de 0 à 100 attendu, reçu {rate!r}.")
        member.disability_rate = rate
    ass = data.get("condition_activite_ass")
    if ass is not None and not isinstance(ass, bool):
        raise SituationError(f"{where}.condition_activite_ass : true, false ou null attendu, reçu {ass!r}.")
    member.ass_precondition = ass
    complement = data.get("complement_aeeh")
    if complement is not None:
        if isinstance(complement, bool) or not isinstance(complement, int) or not 1 <= complement <= 6:
            raise SituationError(f"{where}.complement_aeeh : catégorie de 1 à 6 attendue, reçu {complement!r}.")
        member.aeeh_complement = complement
    schooling = data.get("scolarite") or ""
    if schooling and schooling not in Schooling.values:
        raise SituationError(f"{where}.scolarite : « college » ou « lycee » attendu, reçu {schooling!r}.")
    member.schooling = schooling
    childcare = data.get("mode_de_garde") or ""
    if childcare and childcare not in ChildcareMode.values:
        raise SituationError(
            f"{where}.mode_de_garde : l'une des valeurs {', '.join(ChildcareMode.values)} attendue, "
            f"reçu {childcare!r}."
        )
    member.childcare = childcare
    if data.get("allocation_journaliere") is not None:
        member.daily_benefit = _amount(data["allocation_journaliere"], f"{where}.allocation_journaliere")
    if data.get("nouvel_emploi") is not None:
        _job(member, _object(data["nouvel_emploi"], f"{where}.nouvel_emploi"), f"{where}.nouvel_emploi")
    for key, attribute in _FLAGS.items():
        value = data.get(key, False)
        if not isinstance(value, bool):
            raise SituationError(f"{where}.{key} : true ou false attendu, reçu {value!r}.")
        setattr(member, attribute, value)
    return member


def _job(member: MemberSituation, job: dict, where: str):
    _unknown(job, _JOB_KEYS, where)
    member.job_start = _date(job.get("debut"), f"{where}.debut")
    contract = job.get("contrat") or ""
    if contract and contract not in ContractType.values:
        raise SituationError(f"{where}.contrat : « cdi », « cdd » ou « ctt » attendu, reçu {contract!r}.")
    member.contract_type = contract
    for key, attribute in (("duree_mois", "contract_months"), ("heures_semaine", "weekly_hours")):
        if job.get(key) is not None:
            setattr(member, attribute, _amount(job[key], f"{where}.{key}"))


def situation_from_json(data) -> tuple[HouseholdSituation, datetime.date]:
    """The household and the month to examine; ``SituationError`` names the first wrong field."""
    data = _object(data, "situation")
    _unknown(data, _KEYS, "situation")
    month = _month(data.get("mois"), "mois")
    commune = data.get("commune") or ""
    if commune and not re.fullmatch(r"\d[\dAB]\d{3}", str(commune)):
        raise SituationError(f"commune : code Insee à 5 caractères attendu (par exemple 46042), reçu {commune!r}.")
    housing = _object(data.get("logement") or {}, "logement")
    _unknown(housing, {"statut", "loyer"}, "logement")
    tenure = housing.get("statut") or ""
    if tenure and tenure not in Tenure.values:
        raise SituationError(
            f"logement.statut : l'une des valeurs {', '.join(Tenure.values)} attendue, reçu {tenure!r}."
        )
    rent = housing.get("loyer")
    members_data = data.get("membres")
    if not isinstance(members_data, list) or not members_data:
        raise SituationError("membres : liste attendue, avec au moins le demandeur ou la demandeuse.")
    members = [_member(m, f"membres[{i}]") for i, m in enumerate(members_data)]
    roles = [m.role for m in members]
    if roles.count(MemberRole.APPLICANT) != 1:
        raise SituationError("membres : un seul membre de rôle « demandeur » attendu.")
    if roles.count(MemberRole.PARTNER) > 1:
        raise SituationError("membres : un seul membre de rôle « conjoint » au plus.")
    received = {}
    for benefit, value in _object(data.get("prestations_percues") or {}, "prestations_percues").items():
        if benefit not in Benefit.values:
            raise SituationError(f"prestations_percues : prestation inconnue « {benefit} ».")
        received[benefit] = _amount(value, f"prestations_percues.{benefit}")
    situation = HouseholdSituation(
        members=members,
        depcom=str(commune),
        tenure=tenure,
        rent=_amount(rent, "logement.loyer") if rent is not None else None,
        received=received,
        benefits_known="prestations_percues" in data,
    )
    return situation, month
