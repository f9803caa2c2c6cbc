"""The agent's console and the person's space, through HTTP."""

import datetime
import json
import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.rights.access import Reader
from carteblanche.rights.models import Consent, DataImport, Person, RightsAssessment
from carteblanche.territories.models import Organisation


def test_an_agent_opens_a_file_with_consent_at_the_counter(client, agent, territory, caf):
    client.force_login(agent)
    url = reverse("rights:register", args=[territory.slug])
    response = client.post(
        url,
        {
            "first_name": "Sarah",
            "last_name": "Martin",
            "birth_date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
            "categories": ["identite"],
            "organisations": [caf.pk],
            "purposes": ["accompagnement"],
            "days": 365,
        },
    )
    assert response.status_code == 200
    assert "ne peut pas être dans le futur" in response.content.decode()
    assert not Person.objects.filter(territory=territory).exists()
    response = client.post(
        url,
        {
            "first_name": "Sarah",
            "last_name": "Martin",
            "birth_date": "1997-04-12",
            "email": "sarah@exemple.fr",
            "categories": ["identite", "foyer", "logement", "revenus", "prestations"],
            "organisations": [caf.pk],
            "purposes": ["accompagnement", "anticipation"],
            "days": 365,
            "confirmed": "on",
        },
    )
    person = Person.objects.get(territory=territory)
    assert response.url == reverse("rights:person", args=[territory.slug, person.public_id])
    consent = Consent.objects.get(person=person)
    assert consent.agent == agent and consent.channel == "guichet"


def test_the_person_page_shows_probable_rights_and_journals_the_read(client, agent, territory, sarah, consent):
    client.force_login(agent)
    response = client.get(reverse("rights:person", args=[territory.slug, sarah.public_id]))
    page = response.content.decode()
    assert "Prime d&#x27;activité" in page or "Prime d'activité" in page
    assert "Droit probable" in page
    assert RightsAssessment.objects.filter(person=sarah).count() == 1
    assert JournalEntry.objects.about(sarah).filter(action=Action.PERSONAL_DATA_READ).exists()
    # Second visit: nothing changed, the stored assessment is shown
    client.get(reverse("rights:person", args=[territory.slug, sarah.public_id]))
    assert RightsAssessment.objects.filter(person=sarah).count() == 1


def test_without_consent_the_console_refuses_and_journals(client, other_agent, territory, sarah, consent):
    client.force_login(other_agent)
    response = client.get(reverse("rights:person", args=[territory.slug, sarah.public_id]))
    assert response.status_code == 403
    assert JournalEntry.objects.about(sarah).filter(action=Action.PERSONAL_DATA_REFUSED).exists()
    search = client.get(reverse("rights:console", args=[territory.slug]), {"q": "Sarah"})
    assert "Aucun dossier accessible" in search.content.decode()


def test_simulating_a_job_loss(client, agent, territory, sarah, consent, django_capture_on_commit_callbacks):
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("rights:simulate", args=[territory.slug, sarah.public_id]),
            {"kind": "perte_emploi", "start": "2026-12"},
        )
    response = client.get(response["Location"])
    page = response.content.decode()
    assert "Perte d&#x27;emploi" in page or "Perte d'emploi" in page
    assert "Allocation chômage estimée à 70 %" in page


def test_the_person_logs_in_with_a_one_time_link_downloads_and_revokes(client, sarah, consent, agent, territory):
    response = client.post(reverse("rights:space_login"), {"email": "sarah@exemple.fr"})
    assert "un lien de connexion vient d" in response.content.decode()
    link = re.search(r"https?://\S+/mon-espace/lien/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert "Accéder à mon espace" in client.get("/" + path).content.decode()  # a GET uses nothing up
    response = client.post("/" + path)
    assert response.url == reverse("rights:space")
    assert client.post("/" + path).url == reverse("rights:space_login")  # one time only
    assert client.session.get_expiry_age() == 1800
    page = client.get(reverse("rights:space")).content.decode()
    assert "Retirer ce consentement" in page and "Journal des accès" in page
    data = json.loads(client.get(reverse("rights:space_export", args=["json"])).content)
    assert len(data["revenus_mensuels"]) == 24 and data["consentements"][0]["organisations"] == ["CAF du Lot"]
    pdf = client.get(reverse("rights:space_export", args=["pdf"]))
    assert pdf.content.startswith(b"%PDF")
    client.post(reverse("rights:space_revoke", args=[consent.pk]))
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    client.force_login(agent)
    assert client.get(reverse("rights:person", args=[territory.slug, sarah.public_id])).status_code == 403


def test_unknown_address_gets_the_same_answer_and_no_mail(client, sarah):
    response = client.post(reverse("rights:space_login"), {"email": "inconnue@exemple.fr"})
    assert "un lien de connexion vient d" in response.content.decode()
    assert not mail.outbox


def test_the_person_gives_a_consent_online_herself(client, sarah, caf):
    session = client.session
    session["rights_person_id"] = sarah.pk
    session.save()
    response = client.post(
        reverse("rights:space_consent"),
        {"categories": ["foyer"], "organisations": [caf.pk], "purposes": ["accompagnement"], "days": 30},
    )
    assert "L&#x27;identité est nécessaire" in response.content.decode()
    client.post(
        reverse("rights:space_consent"),
        {"categories": ["identite", "revenus"], "organisations": [caf.pk], "purposes": ["accompagnement"], "days": 30},
    )
    consent = sarah.consents.get()
    assert consent.channel == "en_ligne" and consent.agent is None
    assert consent.categories == ["identite", "revenus"]


def test_what_changed_since_last_time(client, agent, territory, sarah, consent, clock):
    from django.utils import timezone

    from carteblanche.rights.engine import month_add
    from carteblanche.rights.models import MonthlyIncome
    from carteblanche.rights.services import current_month

    client.force_login(agent)
    url = reverse("rights:person", args=[territory.slug, sarah.public_id])
    client.get(url)
    clock.shift(datetime.timedelta(minutes=10))  # the payroll import arrives later that day
    MonthlyIncome.objects.filter(member__person=sarah, month__gte=month_add(current_month(), -3)).update(
        amount=400, recorded_at=timezone.now()
    )
    page = client.get(url).content.decode()
    assert "Ce qui a changé depuis le dernier examen" in page
    assert "Prime d&#x27;activité" in page


def test_an_import_runs_as_a_job_and_reexamines_the_persons_it_updated(
    client, agent, territory, sarah, consent, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(agent)
    rows = "nom;prenom;date_naissance;siret;mois;salaire_brut;salaire_net;salaire_imposable\n"
    rows += "Martin;Sarah;12/04/1997;;2026-10;1500,00;1170,00;1205,10\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("rights:imports", args=[territory.slug]),
            {"kind": "paie", "file": SimpleUploadedFile("paie.csv", rows.encode(), content_type="text/csv")},
        )
    job_page = client.get(response.url).content.decode()
    assert "1\u00a0dossier mis à jour" in job_page
    data_import = DataImport.objects.get(territory=territory)
    assert data_import.status == "termine" and data_import.content is None
    assert RightsAssessment.objects.filter(person=sarah, trigger="import").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        bad = client.post(
            reverse("rights:imports", args=[territory.slug]),
            {
                "kind": "paie",
                "file": SimpleUploadedFile("paie.csv", b"nom;prenom\nMartin;Sarah\n", content_type="text/csv"),
            },
        )
    bad_page = client.get(bad.url).content.decode()
    assert "rien n&#x27;a été importé" in bad_page


def test_link_requests_are_throttled(client, sarah):
    for _ in range(5):
        client.post(reverse("rights:space_login"), {"email": "sarah@exemple.fr"})
    assert len(mail.outbox) == 5
    response = client.post(reverse("rights:space_login"), {"email": "sarah@exemple.fr"})
    assert "Trop de demandes de lien" in response.content.decode()
    assert len(mail.outbox) == 5


def test_residents_sharing_a_counters_address_wait_seconds_not_a_quarter_of_an_hour(client, clock):
    for n in range(20):  # twenty residents at the France services counter, one shared address
        client.post(reverse("rights:space_login"), {"email": f"habitant{n}@exemple.fr"})
    assert len(mail.outbox) == 0  # unknown addresses get no mail but count all the same
    response = client.post(reverse("rights:space_login"), {"email": "sarah@exemple.fr"})
    assert "Trop de demandes de lien : réessayez dans 1\u00a0seconde" in response.content.decode()
    clock.shift(datetime.timedelta(seconds=2))
    response = client.post(reverse("rights:space_login"), {"email": "sarah@exemple.fr"})
    assert "Trop de demandes" not in response.content.decode()
    # Their requests are not the staff's: an agent at the same address signs in.
    login = client.post(
        reverse("accounts:login"), {"username": "agent.caf@demo.carteblanche.fr", "password": "demo-carteblanche-2018"}
    )
    assert login.status_code == 302


def test_the_console_lists_unclaimed_rights_biggest_first(client):
    from carteblanche.accounts.models import User

    client.force_login(User.objects.get(email="agent.caf@demo.carteblanche.fr"))
    page = client.get(reverse("rights:console", args=["bassin-de-vie-de-cahors"])).content.decode()
    # Paul, 68, with a 900 € pension: the minimum vieillesse (ASPA) he does not claim puts him before Sarah.
    assert page.index("Aïcha Mercadier") < page.index("Paul Delpech") < page.index("Sarah Martin")
    assert page.index("Sarah Martin") < page.index("Monique Rouquié")
    latest = {}  # each person's latest assessment, the one the console lists
    for a in RightsAssessment.objects.filter(unclaimed_count__gt=0).select_related("person").order_by("computed_at"):
        latest[f"{a.person.first_name} {a.person.last_name}"] = a.unclaimed_total
    ranked = [name for name, _ in sorted(latest.items(), key=lambda t: -t[1]) if name in page]
    assert sorted(ranked, key=page.index) == ranked
    search = client.get(reverse("rights:console", args=["bassin-de-vie-de-cahors"]), {"q": "martin sarah"})
    assert "naissance le 12/04/1997" in search.content.decode()


def test_an_identity_only_consent_shows_no_figure_computed_from_income(client, agent, territory, sarah, caf):
    from carteblanche.rights import services as rights_services
    from carteblanche.rights.enums import ConsentChannel

    other = Organisation.objects.create(territory=territory, name="CPAM du Lot", kind="operateur")
    rights_services.give_consent(sarah, organisations=[other], channel=ConsentChannel.ONLINE)
    rights_services.give_consent(
        sarah, organisations=[caf], categories=["identite"], purposes=["accompagnement"], channel=ConsentChannel.ONLINE
    )
    # A screening for the other organisation stores an assessment computed from her income...
    rights_services.assess(Reader.screening(territory), sarah, trigger="examen", reason="test")
    client.force_login(agent)
    page = client.get(reverse("rights:person", args=[territory.slug, sarah.public_id])).content.decode()
    # ...that the CAF agent, who may read her identity only, never sees.
    assert "Ressources mensuelles retenues" not in page
    assert "aucun droit n&#x27;est évalué" in page
    assert "Droit probable" not in page


def test_follow_ups_stay_within_the_organisation(client, agent, other_agent, territory, sarah, consent):
    from carteblanche.rights.enums import ConsentChannel

    client.force_login(agent)
    client.post(reverse("rights:follow_up", args=[territory.slug, sarah.public_id]), {"note": "Dossier CSS déposé"})
    other_org = other_agent.memberships.get().organisation
    consent.organisations.add(other_org)
    client.force_login(other_agent)
    page = client.get(reverse("rights:person", args=[territory.slug, sarah.public_id])).content.decode()
    assert "Dossier CSS déposé" not in page
    assert ConsentChannel.COUNTER == "guichet"


def test_a_second_partner_is_refused_with_a_message(client, agent, territory, sarah, consent):
    client.force_login(agent)
    url = reverse("rights:add_member", args=[territory.slug, sarah.public_id])
    client.post(url, {"role": "conjoint", "first_name": "Marc", "birth_date": "1995-01-01"})
    response = client.post(url, {"role": "conjoint", "first_name": "Luc", "birth_date": "1994-01-01"}, follow=True)
    assert "déjà un conjoint ou une conjointe" in response.content.decode()
    assert sarah.members.filter(role="conjoint").count() == 1


def test_the_agent_withdraws_a_consent_at_the_persons_request(client, agent, territory, sarah, consent):
    client.force_login(agent)
    response = client.post(reverse("rights:revoke", args=[territory.slug, sarah.public_id, consent.pk]))
    assert response.url == reverse("rights:console", args=[territory.slug])
    consent.refresh_from_db()
    assert consent.revoked_at and "à la demande de la personne" in consent.revoked_by_label
    entry = JournalEntry.objects.about(sarah).filter(action=Action.CONSENT_REVOKED).get()
    assert entry.actor == agent


def test_registering_an_existing_person_attaches_the_consent_to_her_file(client, agent, territory, caf, sarah):
    client.force_login(agent)
    response = client.post(
        reverse("rights:register", args=[territory.slug]),
        {
            "first_name": "sarah",
            "last_name": "MARTIN",
            "birth_date": "1997-04-12",
            "categories": ["identite", "revenus"],
            "organisations": [caf.pk],
            "purposes": ["accompagnement"],
            "days": 365,
            "confirmed": "on",
        },
        follow=True,
    )
    assert "avait déjà un dossier" in response.content.decode()
    assert Person.objects.filter(territory=territory).count() == 1
    assert sarah.consents.get().agent == agent
    assert sarah.provenance["rent"]["source"] == "Déclaré par la personne"


def test_a_person_without_e_mail_logs_in_with_a_code_by_sms(client, settings, sarah, consent):
    from carteblanche.core import links
    from carteblanche.core.messaging import LocmemSmsBackend
    from carteblanche.rights import space

    settings.SMS_BACKEND = "carteblanche.core.messaging.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    sarah.email, sarah.phone = "", "06 12 34 56 78"
    sarah.save()
    login = reverse("rights:space_login")
    page = client.get(login).content.decode()
    assert "Sans adresse électronique : un code par SMS" in page
    response = client.post(reverse("rights:space_sms"), {"phone": "01 23 45 67 89"})
    assert response.status_code == 400 and "ne peut être reçu que sur un portable" in response.content.decode()
    response = client.post(reverse("rights:space_sms"), {"phone": "+33 6 12 34 56 78"})
    assert response.url == reverse("rights:space_code")
    ((phone, text),) = LocmemSmsBackend.outbox
    assert phone == "06 12 34 56 78"
    code = re.search(r"\b(\d{6})\b", text).group(1)
    page = client.get(reverse("rights:space_code")).content.decode()
    assert "06 ** ** ** 78" in page
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(reverse("rights:space_code"), {"code": wrong})
    assert response.status_code == 400 and "Ce code n&#x27;est pas valable" in response.content.decode()
    assert client.post(reverse("rights:space_code"), {"code": "12a"}).status_code == 400
    response = client.post(reverse("rights:space_code"), {"code": code})
    assert response.url == reverse("rights:space")
    assert "Journal des accès" in client.get(reverse("rights:space")).content.decode()
    assert not links.usable_for(sarah, space.CODE_PURPOSE).exists()  # one time only
    assert JournalEntry.objects.about(sarah).filter(reason="Envoi d'un code de connexion par SMS").exists()


def test_sms_codes_are_void_after_five_wrong_tries_and_requests_are_throttled(client, settings, sarah, consent):
    from carteblanche.core.messaging import LocmemSmsBackend
    from carteblanche.rights import space

    settings.SMS_BACKEND = "carteblanche.core.messaging.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    sarah.phone = "0712345678"
    sarah.save()
    client.post(reverse("rights:space_sms"), {"phone": "07 12 34 56 78"})
    code = re.search(r"\b(\d{6})\b", LocmemSmsBackend.outbox[-1][1]).group(1)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(space.CODE_ATTEMPTS):
        client.post(reverse("rights:space_code"), {"code": wrong})
    response = client.post(reverse("rights:space_code"), {"code": code})
    assert response.status_code == 400, "the right code no longer works once the code is void"
    # An unknown number gets the same answer, and no SMS; too many requests are refused.
    LocmemSmsBackend.outbox.clear()
    response = client.post(reverse("rights:space_sms"), {"phone": "06 99 99 99 99"})
    assert response.url == reverse("rights:space_code") and not LocmemSmsBackend.outbox
    for _ in range(5):
        client.post(reverse("rights:space_sms"), {"phone": "07 12 34 56 78"})
    response = client.post(reverse("rights:space_sms"), {"phone": "07 12 34 56 78"})
    assert response.status_code == 429 and "Trop de demandes de code" in response.content.decode()


def test_the_persons_journal_and_her_pdf_name_organisations_and_read_in_french(
    client, agent, territory, sarah, consent
):
    from django.template.loader import render_to_string

    from carteblanche.rights import exports

    client.force_login(agent)
    client.get(reverse("rights:person", args=[territory.slug, sarah.public_id]))
    client.logout()
    session = client.session
    session["rights_person_id"] = sarah.pk
    session.save()
    page = client.get(reverse("rights:space")).content.decode()
    journal = page[page.index("Journal des accès") :]
    assert "CAF du Lot" in journal and agent.email not in journal
    sections = exports.readable(exports.export_data(sarah))
    html = render_to_string("rights/export_pdf.html", {"sections": sections, "person": sarah, "now": timezone.now()})
    identity = dict(sections[0]["rows"])
    assert identity["Date de naissance"] == "12 avril 1997" and "Prénom" in identity
    for key in ("date_naissance", "prenom", "revenus_mensuels", "actor_label"):
        assert key not in html
    iso = re.search(r"\d{4}-\d{2}-\d{2}", html)
    assert not iso, f"a date left in ISO form: {html[iso.start() - 200 : iso.end() + 50]}"
    assert "CAF du Lot" in html and agent.email not in html
    assert re.search(r"\d+,\d{2}\u00a0€", html), "amounts in euros, French style"
