"""The register between plans: a person registered at her request or at a third party's written request with her
agreement, the acknowledgement; a list of the département or the CARSAT imported whole or not at all, its people
called only once told; leaving the register erases her data, and a list sent again does not register her anew."""

import datetime
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from carteblanche.audit.models import JournalEntry
from carteblanche.territories.models import Commune
from carteblanche.vigies import register, register_book
from carteblanche.vigies.enums import PlanKind, RegisterCategory, RegisterSource
from carteblanche.vigies.models import RegisterEntry
from carteblanche.vigies.services import VigieError
from tests.demo import demo_territory, demo_user


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def person(**extra):
    today = timezone.localdate()
    return {
        "commune": Commune.objects.get(insee_code="46007"),
        "first_name": "Léa-Marie",
        "last_name": "D'Aubigné",
        "birth_date": today.replace(year=today.year - 82, day=1),
        "category": RegisterCategory.ELDERLY,
        "address": "4 rue des Tilleuls",
        "phone": "05 65 11 22 33",
        "contact_name": "Claire, sa fille",
        "contact_phone": "06 11 22 33 44",
        "home_services": "Portage de repas",
        "priority": 1,
    } | extra


def test_a_person_registered_at_her_request_is_acknowledged_and_called_in_a_plan():
    territory, agent = demo_territory(), demo_user("agent.franceservices")
    with pytest.raises(VigieError, match="accord"):
        register_book.register_person(
            territory=territory, data=person(), source=RegisterSource.SELF, agreed=False, by=agent
        )
    entry = register_book.register_person(
        territory=territory, data=person(), source=RegisterSource.SELF, agreed=True, by=agent
    )
    assert entry.agreed_at and not entry.acknowledged_at and register_book.listed().filter(pk=entry.pk).exists()
    letter = register_book.acknowledgement(entry, mayor_of="la mairie d'Arcambal")
    assert "Léa-Marie D'Aubigné" in letter and "à votre demande" in letter and "plan d'alerte" in letter
    assert register_book.letter_sent(entry=entry, by=agent).acknowledged_at
    with pytest.raises(VigieError, match="déjà inscrite"):  # the same person, written otherwise
        register_book.register_person(
            territory=territory,
            data=person(first_name="LEA MARIE", last_name="d aubigne"),
            source=RegisterSource.SELF,
            agreed=True,
            by=agent,
        )
    campaign = register.campaign_start(
        territory=territory, kind=PlanKind.HEAT, communes=[entry.commune], by=demo_user("prefecture")
    )
    lines, _ = register.next_calls(campaign)
    assert lines[0].entry == entry  # priority 1
    assert JournalEntry.objects.filter(reason__startswith="Inscription au registre", actor=agent).exists()


def test_a_third_partys_request_is_written_and_needs_her_agreement():
    territory, agent = demo_territory(), demo_user("agent.franceservices")
    with pytest.raises(VigieError, match="qui a écrit"):
        register_book.register_person(
            territory=territory, data=person(), source=RegisterSource.THIRD_PARTY, agreed=True, by=agent
        )
    written = timezone.localdate() - datetime.timedelta(days=3)
    entry = register_book.register_person(
        territory=territory,
        data=person(),
        source=RegisterSource.THIRD_PARTY,
        agreed=True,
        third_party="Claire Martin, sa fille",
        requested_on=written,
        by=agent,
    )
    letter = register_book.acknowledgement(entry, mayor_of="la mairie d'Arcambal")
    assert "à la demande écrite de Claire Martin, sa fille" in letter and "avec votre accord" in letter


def test_leaving_the_register_erases_her_data_and_a_list_sent_again_does_not_register_her():
    territory, agent = demo_territory(), demo_user("agent.franceservices")
    entry = register_book.register_person(
        territory=territory, data=person(), source=RegisterSource.SELF, agreed=True, by=agent
    )
    left = register_book.entry_objects(entry=entry, by=agent)
    left.refresh_from_db()
    assert (left.first_name, left.last_name, left.address, left.phone, left.contact_name, left.birth_date) == (
        "",
        "",
        "",
        "",
        "",
        None,
    )
    assert left.identity and left.objected_at and not register_book.listed().filter(pk=left.pk).exists()
    born = person()["birth_date"].strftime("%d/%m/%Y")
    csv = (
        "nom;prénom;date de naissance;code insee;adresse;téléphone;qualité\n"
        f"D'AUBIGNE;Léa Marie;{born};46007;4 rue des Tilleuls;;APA\n"
    )
    report = register_book.import_list(
        territory=territory, source=RegisterSource.DEPARTEMENT, raw=csv.encode(), by=agent
    )
    assert report.objected == 1 and not report.created
    # She asks herself, later: she is registered again, on the same line.
    again = register_book.register_person(
        territory=territory, data=person(), source=RegisterSource.SELF, agreed=True, by=agent
    )
    assert again.pk == entry.pk and again.objected_at is None and again.address == "4 rue des Tilleuls"


def test_a_list_is_imported_whole_or_not_at_all_and_its_people_are_called_once_told():
    territory, agent = demo_territory(), demo_user("agent.franceservices")
    today = timezone.localdate()
    old = today.replace(year=today.year - 80, day=2).strftime("%d/%m/%Y")
    wrong = (
        "Nom;Prénom;Date de naissance;Code INSEE;Adresse;Téléphone;Qualité\n"
        f"Bories;Jean;{old};46007;1 rue Haute;05 65 00 00 01;65 ans\n"
        "Cayla;;32/13/1940;46007;2 rue Haute;;65 ans\n"
        f"Delpech;Anne;{old};75056;3 rue Haute;;65 ans\n"
    )
    with pytest.raises(register_book.ListRejected) as rejected:
        register_book.import_list(territory=territory, source=RegisterSource.CARSAT, raw=wrong.encode(), by=agent)
    assert rejected.value.errors == [
        "ligne 3 : date de naissance illisible (attendu JJ/MM/AAAA), prénom manquant.",
        "ligne 4 : commune « 75056 » hors du territoire.",
    ]
    assert not RegisterEntry.objects.filter(last_name="Bories").exists()
    good = (  # Windows-1252, as a spreadsheet saves it; a commune by its name; the age says « 65 ans et plus »
        "NOM;PRENOM;DATE DE NAISSANCE;COMMUNE;ADRESSE;TEL;QUALITE\r\n"
        f"Bories;Jean;{old};Arcambal;1 rue Haute;05 65 00 00 01;\r\n"
        f"Bories;Jean;{old};Arcambal;1 rue Haute;05 65 00 00 01;\r\n"
        f"Séguy;Aimé;{old};46007;5 rue Basse;;PCH\r\n"
    ).encode("cp1252")
    report = register_book.import_list(territory=territory, source=RegisterSource.CARSAT, raw=good, by=agent)
    assert [e.last_name for e in report.created] == ["Bories", "Séguy"] and report.already == 1
    seguy = RegisterEntry.objects.get(last_name="Séguy")
    assert seguy.category == RegisterCategory.DISABLED and seguy.agreed_at is None
    assert not register_book.listed().filter(pk=seguy.pk).exists()  # not called before she is told
    assert "Si vous ne souhaitez pas y figurer" in register_book.information(seguy, mayor_of="la mairie d'Arcambal")
    register_book.letter_sent(entry=seguy, by=agent)
    assert register_book.listed().filter(pk=seguy.pk).exists()
    with pytest.raises(VigieError, match="Colonnes manquantes : « adresse »"):
        register_book.import_list(
            territory=territory, source=RegisterSource.CARSAT, raw=b"nom;prenom;insee\nA;B;46007\n", by=agent
        )


def test_the_register_pages_register_correct_and_import_with_french_field_errors(client):
    territory = demo_territory()
    client.force_login(demo_user("agent.franceservices"))
    new = reverse("vigies:register_new", args=[territory.slug])
    data = person()
    form = {key: value.pk if key == "commune" else value for key, value in data.items()}
    form |= {"birth_date": data["birth_date"].isoformat(), "source": RegisterSource.THIRD_PARTY, "agreed": "on"}
    refused = text(client.post(new, form))
    assert "Indiquez qui a demandé l'inscription." in refused and "Indiquez la date de la demande écrite." in refused
    form |= {"third_party": "Son médecin", "requested_on": timezone.localdate().isoformat()}
    done = client.post(new, form, follow=True)
    entry = RegisterEntry.objects.get(last_name="D'Aubigné")
    assert "Inscription enregistrée" in text(done) and "Accusé de réception" in text(done)
    page = reverse("vigies:register_entry", args=[territory.slug, entry.pk])
    client.post(page, form | {"phone": "05 65 99 99 99"})
    entry.refresh_from_db()
    assert entry.phone == "05 65 99 99 99"
    book = text(client.get(reverse("vigies:register_book", args=[territory.slug]) + "?etat=a_ecrire"))
    assert "D'Aubigné Léa-Marie" in book and "accusé à envoyer" in book
    assert JournalEntry.objects.filter(reason__startswith="Consultation du registre").exists()
    upload = SimpleUploadedFile("liste.csv", b"nom;prenom;adresse;insee;qualite\nBories;;1 rue;46007;65 ans\n")
    imported = text(
        client.post(
            reverse("vigies:register_import", args=[territory.slug]),
            {"source": RegisterSource.DEPARTEMENT, "file": upload},
        )
    )
    assert "1 ligne refusée : rien n'a été inscrit" in imported and "ligne 2 : prénom manquant." in imported
    client.post(reverse("vigies:register_leave", args=[territory.slug, entry.pk]))
    entry.refresh_from_db()
    assert entry.objected_at and not entry.last_name


def test_an_operators_agent_and_the_prefecture_do_not_keep_the_register(client):
    territory = demo_territory()
    for name in ("agent.caf", "prefecture"):
        client.force_login(demo_user(name))
        assert client.get(reverse("vigies:register_book", args=[territory.slug])).status_code == 403
