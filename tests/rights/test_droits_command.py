"""``manage.py droits SITUATION.json``: one household in, its rights out, through the console's own evaluation."""

import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from carteblanche.rights import services
from carteblanche.rights.situation_json import SituationError, situation_from_json

# The README's example, read from the README itself, so that the documentation cannot drift from the command.
README_EXAMPLE = json.loads(
    re.search(r"Le format \(`sarah.json`\) :\n```json\n(.*?)```", (settings.BASE_DIR / "README.md").read_text(), re.S)[
        1
    ]
)


def run(data, *args, tmp_path):
    path = tmp_path / "situation.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = io.StringIO()
    call_command("droits", str(path), *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_readme_example_prints_every_right_keyed_by_our_codes(tmp_path):
    rights = run(README_EXAMPLE, tmp_path=tmp_path)
    assert list(rights) == [
        "rsa",
        "ppa",
        "aide_logement",
        "af",
        "asf",
        "cf",
        "paje",
        "css",
        "css_participation",
        "ars",
        "cheque_energie",
        "aah",
        "aspa",
        "ass",
        "aeeh",
        "bourse_college",
        "bourse_lycee",
        "agepi",
        "paje_cmg",
    ]
    assert rights["css"] is False and rights["aah"] is None  # no disability rate known: not evaluable
    assert rights["ppa"] > 0 and rights["asf"] > 0
    # The same answer as the agent's console gives for the same household.
    situation, month = situation_from_json(README_EXAMPLE)
    console = {r["benefit"]: r["amount"] for r in services.evaluate(situation, month)["results"]}
    assert rights["ppa"] == console["ppa"] and rights["aide_logement"] == console["aide_logement"]


def test_details_say_what_was_assumed(tmp_path):
    result = run(README_EXAMPLE, "--details", tmp_path=tmp_path)
    assert set(result) == {"droits", "hypotheses", "manquant"}
    assert any("supposée inchangée" in line for line in result["hypotheses"])


def test_the_day_sarah_loses_her_job_her_css_becomes_free(tmp_path):
    # The reference household (OpenFisca's own answer stored beside it): the command gives that answer.
    case = json.loads((Path(__file__).parent / "reference" / "sarah_chomage.json").read_text(encoding="utf-8"))
    rights = run(case["droits"], tmp_path=tmp_path)
    # Disability rates and the little one's childcare are not known: the AAH, the AEEH and the CMG are not
    # evaluated (OpenFisca finds none either).
    assert rights["css"] is True and rights == {**case["attendu"], "aah": None, "aeeh": None, "paje_cmg": None}


def test_a_job_starting_opens_the_agepi_and_a_childminder_the_cmg(tmp_path):
    case = json.loads(
        (Path(__file__).parent / "reference" / "sarah_reprise_emploi_agepi.json").read_text(encoding="utf-8")
    )
    rights = run(case["droits"], tmp_path=tmp_path)
    assert rights["agepi"] == case["attendu"]["agepi"] > 0
    assert rights["paje_cmg"] == case["attendu"]["paje_cmg"] > 0
    # Without the weekly hours, the AGEPI is not evaluated, and the details say what to ask.
    del case["droits"]["membres"][0]["nouvel_emploi"]["heures_semaine"]
    details = run(case["droits"], "--details", tmp_path=tmp_path)
    assert details["droits"]["agepi"] is None
    assert any("les heures par semaine" in line for line in details["manquant"])


def test_a_new_job_in_wrong_shape_is_named_in_french(tmp_path):
    data = json.loads(json.dumps(README_EXAMPLE))
    data["membres"][0]["nouvel_emploi"] = {"debut": "2026-11-16", "contrat": "stage"}
    with pytest.raises(CommandError, match=r"membres\[0\]\.nouvel_emploi\.contrat : « cdi », « cdd » ou « ctt »"):
        run(data, tmp_path=tmp_path)
    working = json.loads((Path(__file__).parent / "reference" / "sarah_salariee.json").read_text(encoding="utf-8"))
    assert run(working["droits"], tmp_path=tmp_path)["css"] is False


@pytest.mark.parametrize(
    "change, message",
    [
        ({"mois": "novembre"}, "mois : mois attendu au format AAAA-MM"),
        ({"commune": "Cahors"}, "commune : code Insee"),
        ({"logement": {"statut": "cabane"}}, "logement.statut : l'une des valeurs"),
        ({"membres": []}, "membres : liste attendue"),
        ({"membres": [{"role": "enfant", "naissance": "2020-01-01"}]}, "un seul membre de rôle « demandeur »"),
        ({"membres": [{"role": "demandeur", "naissance": "15/03/2001"}]}, "membres[0].naissance : date attendue"),
        (
            {"membres": [{"role": "demandeur", "naissance": "2001-03-15", "revenus": {"loto": {"2026-01": 5}}}]},
            "membres[0].revenus : nature de revenu inconnue « loto »",
        ),
        (
            {
                "membres": [
                    {"role": "demandeur", "naissance": "2001-03-15", "revenus": {"salaire_net": {"2026-01": -3}}}
                ]
            },
            "membres[0].revenus.salaire_net.2026-01 : montant en euros attendu",
        ),
        (
            {"membres": [{"role": "demandeur", "naissance": "2001-03-15", "taux_incapacite": 120}]},
            "membres[0].taux_incapacite : pourcentage entier",
        ),
        ({"membres": [{"role": "demandeur", "naissance": "2001-03-15", "etudiant": "oui"}]}, "membres[0].etudiant"),
        ({"foyer": 1}, "champ inconnu « foyer »"),
    ],
)
def test_a_wrong_field_is_named_in_french(change, message, tmp_path):
    data = {**README_EXAMPLE, **change}
    with pytest.raises(SituationError, match=message.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")):
        situation_from_json(data)
    with pytest.raises(CommandError):
        run(data, tmp_path=tmp_path)


def test_an_unreadable_file_or_bad_json_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Fichier illisible"):
        call_command("droits", str(tmp_path / "absent.json"))
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="JSON invalide, ligne 1"):
        call_command("droits", str(bad))
