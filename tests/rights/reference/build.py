"""Writes the reference households: one JSON file each, with OpenFisca-France's own answer.

    .venv/bin/python tests/rights/reference/build.py

Each case is written twice, by hand, independently: as our records (the format of ``manage.py droits``) and as a
complete OpenFisca situation (its dict API: every fact a rule reads, every month written out, statuses such as
« chômeur » or « étudiant » included). Nothing here imports our engine: the OpenFisca side is what a person who
knows OpenFisca would write for that household. The script asks OpenFisca for each right we show and stores the
answer under ``attendu``; ``tests/rights/test_reference.py`` checks that OpenFisca still gives it and that our
engine, from the records, gives the same to the cent.

A case is a dict: ``description``, ``mois`` (YYYY-MM), ``commune``, ``logement`` (statut, loyer), and ``membres``,
each with ``role``, ``naissance``, optional ``prenom``, and facts by month range:
``revenus: {kind: [(first, last, amount), ...]}`` (months YYYY-MM, inclusive), ``activite: [(first, last,
status)]``, ``chomage_depuis``, ``chomage_jusqu_au``, ``taux_incapacite``, and the statuses ``etudiant``,
``inapte_travail``, ``restriction_substantielle``, ``enceinte``, ``garde_alternee``. A job starting is
``nouvel_emploi`` (debut, contrat, duree_mois, heures_semaine) with, on the OpenFisca side,
``categorie_france_travail``, ``lieu_emploi`` and ``demande_agepi``; a child's ``mode_de_garde`` and the case's
``parent_inactif`` feed the CMG.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# A member's facts that only the OpenFisca side reads: our records derive them (the status of each month) or do not
# hold them (what France Travail knows of a job search). Every other fact is copied to the records as written.
OPENFISCA_ONLY = {"activite", "categorie_france_travail", "lieu_emploi", "demande_agepi", "handicap"}

# Our income kinds → OpenFisca's variables (the records hold amounts as organisations send them).
INCOME_VARIABLES = {
    "salaire_net": "salaire_net",
    "salaire_imposable": "salaire_imposable",
    "chomage_net": "chomage_net",
    "chomage_imposable": "chomage_imposable",
    "retraite_nette": "retraite_nette",
    "retraite_imposable": "retraite_imposable",
    "pension_alimentaire": "pensions_alimentaires_percues",
    "pension_alimentaire_versee": "pensions_alimentaires_versees_individu",
}
TENURES = {
    "locataire": "locataire_vide",
    "locataire_meuble": "locataire_meuble",
    "locataire_hlm": "locataire_hlm",
    "proprietaire": "proprietaire",
    "primo_accedant": "primo_accedant",
    "loge_gratuitement": "loge_gratuitement",
    "sans_domicile": "sans_domicile",
}
# What we show → how OpenFisca names it, and over which period it is asked.
RIGHTS = {
    "rsa": ("rsa", "month"),
    "ppa": ("ppa", "month"),
    "aide_logement": ("aide_logement", "month"),
    "af": ("af", "month"),
    "asf": ("asf", "month"),
    "cf": ("cf", "month"),
    "paje": ("paje_base", "month"),
    "css": ("cmu_c", "month"),
    "css_participation": ("css_participation_forfaitaire", "month"),
    "ars": ("ars", "rentree"),
    "cheque_energie": ("cheque_energie", "year"),
    "aah": ("aah", "month"),
    "aspa": ("aspa", "month"),
    "ass": ("ass", "month"),
    "aeeh": ("aeeh", "month"),
    "bourse_college": ("bourse_college", "month"),
    "bourse_lycee": ("bourse_lycee", "month"),
    "agepi": ("agepi", "month"),
    "paje_cmg": ("paje_cmg", "month"),
}


def month_list(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    end = tuple(map(int, last.split("-")))
    out = []
    while (year, month) <= end:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def span(case) -> list[str]:
    """Every month a rule may read: January of year N-2 to the month examined."""
    year = int(case["mois"][:4])
    return month_list(f"{year - 2}-01", case["mois"])


def records(case) -> dict:
    """The household as our records hold it: the ``manage.py droits`` format."""
    members = []
    for member in case["membres"]:
        out = {"role": member["role"], "naissance": member["naissance"]}
        if member.get("prenom"):
            out["prenom"] = member["prenom"]
        revenus = {}
        for kind, ranges in member.get("revenus", {}).items():
            revenus[kind] = {m: amount for first, last, amount in ranges for m in month_list(first, last)}
        if revenus:
            out["revenus"] = revenus
        for key, value in member.items():
            if key not in {"role", "naissance", "prenom", "revenus", *OPENFISCA_ONLY} and value is not None:
                out[key] = value
        members.append(out)
    return {
        "mois": case["mois"],
        "commune": case["commune"],
        "logement": case["logement"],
        "membres": members,
    }


def openfisca_situation(case) -> dict:
    """The same household as a complete OpenFisca situation, every fact and every month written out."""
    months = span(case)
    year = int(case["mois"][:4])
    individus, parents, enfants = {}, [], []
    for index, member in enumerate(case["membres"]):
        key = f"{member['role']}_{index}"
        person = {"date_naissance": {"ETERNITY": member["naissance"]}}
        for kind, ranges in member.get("revenus", {}).items():
            variable = INCOME_VARIABLES[kind]
            sign = -1 if variable == "pensions_alimentaires_versees_individu" else 1
            values = dict.fromkeys(months, 0.0)
            for first, last, amount in ranges:
                for m in month_list(first, last):
                    if m in values:
                        values[m] = sign * float(amount)
            person[variable] = values
        if member.get("activite"):
            status = dict.fromkeys(months, "inactif")
            for first, last, value in member["activite"]:
                for m in month_list(first, last):
                    if m in status:
                        status[m] = value
            person["activite"] = status
        if member.get("chomage_depuis"):
            person["date_debut_chomage"] = {"ETERNITY": member["chomage_depuis"]}
        if member.get("taux_incapacite") is not None:
            person["taux_incapacite"] = dict.fromkeys(months, member["taux_incapacite"] / 100)
        for fact, variable in (
            ("inapte_travail", "inapte_travail"),
            ("restriction_substantielle", "aah_restriction_substantielle_durable_acces_emploi"),
            ("garde_alternee", "garde_alternee"),
        ):
            if member.get(fact):
                person[variable] = dict.fromkeys(months, True)
        # What the MDPH decided for a child (« handicap » is what opens the AEEH), the ASS's work condition, and
        # where a child goes to school: facts OpenFisca reads as such.
        if member.get("handicap"):
            person["handicap"] = dict.fromkeys(months, True)
        if member.get("complement_aeeh"):
            person["aeeh_niveau_handicap"] = dict.fromkeys(months, member["complement_aeeh"])
        if member.get("condition_activite_ass"):
            person["ass_precondition_remplie"] = dict.fromkeys(months, True)
        if member.get("scolarite"):
            person["scolarite"] = dict.fromkeys(months, member["scolarite"])
        if member.get("enceinte"):
            person["enceinte"] = {case["mois"]: True}
        # A job starting (AGEPI): France Travail's category when asking, where the job is, the contract, and the
        # date of the request, all in the month examined.
        job = member.get("nouvel_emploi")
        if job:
            when = case["mois"]
            person["contrat_de_travail_debut"] = {when: job["debut"]}
            person["contrat_de_travail_type"] = {when: job["contrat"]}
            person["contrat_de_travail_duree"] = {when: float(job.get("duree_mois") or 0)}
            person["type_intensite_activite"] = {when: "hebdomadaire"}
            person["agepi_temps_travail_en_heure"] = {when: float(job["heures_semaine"])}
            person["lieu_emploi_ou_formation"] = {when: member["lieu_emploi"]}
            person["agepi_date_demande"] = {when: member["demande_agepi"]}
        if member.get("categorie_france_travail"):
            person["pole_emploi_categorie_demandeur_emploi"] = {case["mois"]: member["categorie_france_travail"]}
        if member.get("allocation_journaliere") is not None:
            person["allocation_retour_emploi_journaliere"] = {case["mois"]: float(member["allocation_journaliere"])}
        individus[key] = person
        (enfants if member["role"] == "enfant" else parents).append(key)
    housing = case["logement"]
    menage = {
        "personne_de_reference": parents[:1],
        "enfants": enfants,
        "depcom": dict.fromkeys(months, case["commune"]),
        "loyer": dict.fromkeys(months, float(housing.get("loyer") or 0)),
        "statut_occupation_logement": dict.fromkeys(months, TENURES[housing["statut"]]),
        "cheque_energie_eligibilite_logement": {
            str(y): housing["statut"] != "sans_domicile" for y in (year, year + 1)
        },
    }
    if len(parents) > 1:
        menage["conjoint"] = parents[1:]
    famille = {"parents": parents, "enfants": enfants}
    # The childcare the family pays for (CMG), and a parent without activity, as the case says.
    modes = {m.get("mode_de_garde") for m in case["membres"]}
    for mode, flag in (("emploi_direct", "empl_dir"), ("structure", "ass_mat"), ("garde_domicile", "gar_dom")):
        if mode in modes:
            famille[flag] = {case["mois"]: True}
    if case.get("parent_inactif"):
        famille["inactif"] = {case["mois"]: True}
    return {
        "individus": individus,
        "familles": {"famille": famille},
        "foyers_fiscaux": {"foyer_fiscal": {"declarants": parents, "personnes_a_charge": enfants}},
        "menages": {"menage": menage},
    }


def period_of(case, kind: str) -> str:
    year, month = map(int, case["mois"].split("-"))
    if kind == "month":
        return case["mois"]
    if kind == "year":
        return str(year)
    return str(year if month <= 8 else year + 1)  # the school year a back-to-school allowance is for


def answers(cases: dict[str, dict], tbs=None) -> dict[str, dict]:
    """What OpenFisca-France gives each case for each right we show (the household's total; the free CSS as a yes
    or no). ``cases``: name → {"mois": ..., "openfisca": situation}. The cases of one month go into one situation
    (OpenFisca computes them side by side, each entity on its own); ``tbs``: a loaded ``FranceTaxBenefitSystem``."""
    from openfisca_core.simulation_builder import SimulationBuilder
    from openfisca_france import FranceTaxBenefitSystem

    global _TBS
    if tbs is None:
        _TBS = tbs = _TBS or FranceTaxBenefitSystem()
    by_month: dict[str, list[str]] = {}
    for name, case in cases.items():
        by_month.setdefault(case["mois"], []).append(name)
    out = {}
    for month, names in by_month.items():
        merged = {"individus": {}, "familles": {}, "foyers_fiscaux": {}, "menages": {}}
        owner = {plural: [] for plural in merged}  # the case each entity, in order, belongs to
        for name in names:
            situation = json.loads(json.dumps(cases[name]["openfisca"]))
            for plural, entities in situation.items():
                for key, entity in entities.items():
                    if plural != "individus":
                        entity = {
                            field: [f"{name}/{p}" for p in value] if isinstance(value, list) else value
                            for field, value in entity.items()
                        }
                    merged[plural][f"{name}/{key}"] = entity
                    owner[plural].append(name)
        simulation = SimulationBuilder().build_from_entities(tbs, merged)
        results = {name: {} for name in names}
        for code, (variable, kind) in RIGHTS.items():
            values = simulation.calculate(variable, period_of({"mois": month}, kind))
            plural = tbs.variables[variable].entity.plural
            totals = dict.fromkeys(names, 0.0)
            for name, value in zip(owner[plural], values, strict=True):
                totals[name] += float(value)
            for name, total in totals.items():
                results[name][code] = bool(total) if code == "css" else round(total, 2)
        out.update(results)
    return out


_TBS = None


def main(argv):
    from cases import CASES  # the cases, written by hand beside this script

    wanted = {name: case for name, case in CASES.items() if not argv[1:] or name in argv[1:]}
    situations = {name: openfisca_situation(case) for name, case in wanted.items()}
    found = answers({name: {"mois": case["mois"], "openfisca": situations[name]} for name, case in wanted.items()})
    for name, case in wanted.items():
        data = {
            "description": case["description"],
            "droits": records(case),
            "openfisca": situations[name],
            "attendu": found[name],
        }
        path = HERE / f"{name}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{path.name}: {data['attendu']}")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main(sys.argv)
