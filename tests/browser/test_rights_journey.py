import json
import re

import pytest
from django.core import mail

from carteblanche.rights.engine import month_add
from carteblanche.rights.services import current_month

from .conftest import assert_accessible
from .test_journeys import login

pytestmark = pytest.mark.browser


def payroll_file() -> bytes:
    month = current_month()
    lines = ["nom;prenom;date_naissance;siret;mois;salaire_brut;salaire_net;salaire_imposable"]
    for i in range(1, 25):
        lines.append(f"Dupuy;Sarah;12/04/1997;12345678900012;{month_add(month, -i):%Y-%m};1218,00;950,00;978,50")
    return "\n".join(lines).encode()


def caf_file() -> bytes:
    month = current_month()
    return json.dumps(
        {
            "allocataires": [
                {
                    "numero_allocataire": "7654321",
                    "nom": "Dupuy",
                    "prenom": "Sarah",
                    "date_naissance": "1997-04-12",
                    "commune_insee": "46042",
                    "logement": {"statut": "locataire", "loyer": 520},
                    "membres": [
                        {"role": "enfant", "prenom": "Léa", "date_naissance": "2023-02-01"},
                        {"role": "enfant", "prenom": "Tom", "date_naissance": "2020-06-01"},
                    ],
                    "prestations": [{"code": "af", "mois": f"{month_add(month, -1):%Y-%m}", "montant": 153.01}],
                }
            ]
        }
    ).encode()


def test_consent_at_the_counter_import_rights_what_if_and_revocation(page, demo_password):
    # The CAF agent opens Sarah's file at the counter, with her consent.
    login(page, "agent.caf@demo.carteblanche.fr", demo_password)
    page.get_by_role("link", name="Droits des usagers").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name="Ouvrir un dossier avec consentement").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.locator("#id_first_name").fill("Sarah")
    page.locator("#id_last_name").fill("Dupuy")
    page.locator("#id_birth_date").fill("1997-04-12")
    page.locator("#id_email").fill("sarah.dupuy@exemple.fr")
    page.locator("#id_caf_number").fill("7654321")
    page.locator("#id_confirmed").check(force=True)
    page.get_by_role("button", name="Enregistrer le dossier et le consentement").click()
    page.get_by_text("son consentement est enregistré").wait_for()
    person_url = page.url

    # Her data arrives from the CAF and from her employer's payroll.
    imports_url = person_url.split("/usagers/")[0] + "/imports/"
    for kind, name, content in (("caf", "caf.json", caf_file()), ("paie", "paie.csv", payroll_file())):
        page.goto(imports_url)
        page.wait_for_load_state()
        page.locator("#id_kind").select_option(kind)
        page.set_input_files("#id_file", files=[{"name": name, "mimeType": "text/plain", "buffer": content}])
        page.get_by_role("button", name="Importer").click()
        page.get_by_role("link", name="Voir le détail de l'import").wait_for()
        assert "1\u00a0dossier mis à jour" in page.locator("#job-progress").inner_text()
        assert_accessible(page)
    page.get_by_role("link", name="Voir le détail de l'import").click()
    page.get_by_text("Import terminé").wait_for()
    assert_accessible(page)

    # Her probable rights, with the months each rule reads and what to do.
    page.goto(person_url)
    page.wait_for_load_state()
    table = page.get_by_role("table", name="Droits examinés pour le mois en cours")
    assert re.search(r"Prime d.activité\s*non perçu", table.inner_text(), re.IGNORECASE)
    assert "Allocation de soutien familial" in table.inner_text()
    assert page.get_by_text("Déclaré par la personne").count() >= 1 or page.get_by_text("Import").count() >= 1
    assert_accessible(page)

    # What if she lost her job next month?
    page.get_by_role("link", name="Simuler un changement de situation").click()
    page.wait_for_load_state()
    page.locator("label", has_text="Perte d'emploi").click()
    page.get_by_role("button", name="Simuler").click()
    page.get_by_role("heading", name=re.compile("Perte d'emploi : droits en")).wait_for()
    comparison = page.get_by_role("table", name="Droits sans et avec le changement").inner_text()
    assert "Prime d'activité" in comparison
    assert page.get_by_text(re.compile("Allocation chômage estimée à 70 %")).count() == 1
    assert_accessible(page)

    # Sarah, in her own space, sees who read her file and revokes her consent.
    person = page.context.browser.new_context(locale="fr-FR").new_page()
    person.goto(page.base_url + "/mon-espace/")
    person.wait_for_load_state()
    assert_accessible(person)
    person.get_by_label("Votre adresse électronique").fill("sarah.dupuy@exemple.fr")
    person.get_by_role("button", name="Recevoir mon lien de connexion").click()
    person.get_by_text("un lien de connexion vient d'y être envoyé").wait_for()
    link = re.search(r"https?://\S+/mon-espace/lien/\S+/", mail.outbox[-1].body).group(0)
    person.goto(page.base_url + "/mon-espace/lien/" + link.rsplit("/lien/", 1)[1])
    person.get_by_role("button", name="Accéder à mon espace").click()
    person.get_by_role("heading", name="Bonjour Sarah").wait_for()
    journal = person.get_by_role("table", name="Journal des accès à vos données").inner_text()
    assert "Consultation du dossier au guichet" in journal and "CAF du Lot" in journal
    assert_accessible(person)
    person.get_by_role("button", name="Retirer ce consentement").click()
    person.get_by_text("Votre consentement est retiré").wait_for()
    assert person.get_by_role("heading", name=re.compile("— Retiré")).count() == 1
    assert_accessible(person)
    person.context.close()

    # From that moment, the agent cannot open her file any more.
    response = page.goto(person_url)
    assert response.status == 403
