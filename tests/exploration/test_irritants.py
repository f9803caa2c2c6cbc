import pytest
from django.urls import reverse

from carteblanche.accounts.models import User
from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.exploration import importers, services
from carteblanche.exploration.enums import IrritantStatus
from carteblanche.exploration.models import Evidence, Irritant, ResidentContact, ResidentReport


def test_merging_keeps_every_piece_of_evidence_and_the_history(operation, team):
    transport = operation.irritants.get(title__startswith="Pas de transport")
    licence = operation.irritants.get(title="Sans permis, pas d'emploi")
    evidence_before = transport.evidence_count + licence.evidence_count
    communes = set(transport.communes.all()) | set(licence.communes.all())
    services.irritants_merge(target=transport, sources=[licence], actor=team)
    transport.refresh_from_db()
    licence.refresh_from_db()
    assert transport.evidence_count == evidence_before == transport.evidence.count()
    assert licence.status == IrritantStatus.MERGED and licence.merged_into == transport
    assert set(transport.communes.all()) == communes
    assert licence.events.filter(kind="fusionne_dans").exists()
    assert transport.events.filter(kind="fusion_recue", actor=team).exists()
    with pytest.raises(services.ServiceError, match="déjà fusionné"):
        services.irritants_merge(target=transport, sources=[licence])
    with pytest.raises(services.ServiceError, match="lui-même"):
        services.irritants_merge(target=transport, sources=[transport])
    # The merged irritant leaves the working list but stays reachable.
    assert licence not in operation.irritants.visible()


def test_merge_from_the_page(team_client, operation):
    source, target = operation.irritants.order_by("pk")[:2]
    response = team_client.post(
        reverse("exploration:irritant_merge", args=[operation.slug, source.pk]), {"target": target.pk}
    )
    assert response["Location"] == target.get_absolute_url()
    response = team_client.post(
        reverse("exploration:irritant_merge", args=[operation.slug, target.pk]), {"target": 999999}, follow=True
    )
    assert "Aucun irritant n° 999999 dans cette opération" in response.content.decode()


def test_a_resident_reports_without_an_account(client, operation):
    url = reverse("exploration:public_report", args=[operation.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "what_happened": "Le car scolaire ne s'arrête plus à Catus le mercredi.",
            "commune": operation.territory.communes.get(name="Catus").pk,
            "service": "Transport scolaire",
            "first_name": "Nadia",
            "email": "nadia@exemple.fr",
            "consent_recontact": "on",
        },
    )
    assert response["Location"] == reverse("exploration:public_thanks", args=[operation.slug])
    irritant = operation.irritants.get(description__startswith="Le car scolaire")
    assert irritant.source == "usager" and not irritant.captured_on_behalf
    assert irritant.communes.get().name == "Catus"
    report = irritant.evidence.get().report
    contact = ResidentContact.objects.get(report=report)
    assert contact.consent_recontact and contact.consented_at
    # Personal data kept apart: nothing of it in the irritant itself.
    assert "nadia" not in (irritant.title + irritant.description).lower()
    assert JournalEntry.objects.about(report).filter(action=Action.PERSONAL_DATA_WRITTEN).exists()


def test_public_form_errors_are_clear_and_in_french(client, operation):
    url = reverse("exploration:public_report", args=[operation.slug])
    page = client.post(url, {"what_happened": "bof", "email": "pas-une-adresse", "consent_recontact": "on"})
    text = page.content.decode()
    assert "Dites-nous en un peu plus (10 caractères au moins)." in text
    assert "Cette adresse e-mail n&#x27;est pas valide" in text
    assert not ResidentReport.objects.filter(what_happened="bof").exists()


def test_robots_are_thanked_and_ignored_and_floods_are_slowed(client, operation):
    url = reverse("exploration:public_report", args=[operation.slug])
    before = ResidentReport.objects.count()
    response = client.post(
        url, {"what_happened": "Achetez des montres pas chères ici", "champ_controle": "http://spam"}
    )
    assert response.status_code == 302 and ResidentReport.objects.count() == before
    for n in range(5):
        assert client.post(url, {"what_happened": f"Message numéro {n} sur l'accueil en mairie"}).status_code == 302
    response = client.post(url, {"what_happened": "Un sixième message dans l'heure"})
    assert response.status_code == 200
    assert "plusieurs messages cette heure-ci" in response.content.decode()
    assert ResidentReport.objects.count() == before + 5


def test_an_agent_captures_at_the_counter_on_behalf_of_a_resident(client, operation, agent):
    client.force_login(agent)
    response = client.post(
        reverse("exploration:counter", args=[operation.slug]),
        {
            "what_happened": "Mon dossier de prime d'activité est bloqué depuis deux mois.",
            "service": "CAF",
        },
    )
    assert response.status_code == 302
    irritant = operation.irritants.get(description__startswith="Mon dossier de prime")
    assert irritant.captured_on_behalf and irritant.source == "guichet" and irritant.created_by == agent
    assert irritant.evidence.get().report.captured_by == agent


def test_contacts_are_shown_to_the_team_only_and_every_read_is_journaled(client, operation, team, agent):
    irritant = services.report_submit(
        operation=operation,
        what_happened="Personne ne répond au téléphone de la mairie.",
        contact={"first_name": "Paul", "phone": "06 12 34 56 78", "consent_recontact": True},
    )
    report = irritant.evidence.get().report
    url = reverse("exploration:contact", args=[operation.slug, irritant.pk, report.pk])
    client.force_login(agent)
    assert "Voir les coordonnées" not in client.get(irritant.get_absolute_url()).content.decode()
    assert client.post(url, {"reason": "curiosité"}).status_code == 403
    client.force_login(team)
    assert "Voir les coordonnées" in client.get(irritant.get_absolute_url()).content.decode()
    assert client.post(url, {"reason": ""}).status_code == 302  # a reason is required
    response = client.post(url, {"reason": "Inviter à l'atelier mobilité"})
    assert "06 12 34 56 78" in response.content.decode()
    entry = JournalEntry.objects.about(report).get(action=Action.PERSONAL_DATA_READ)
    assert entry.actor == team and entry.reason == "Inviter à l'atelier mobilité"


CSV = (
    "id,question_id,text\n"
    "gd-1,Q172,Il faudrait plus de services publics dans les campagnes\n"
    "gd-2,Q172,Les démarches en ligne sont trop compliquées pour les personnes âgées\n"
    "gd-3,Q180,Il faudrait plus de services publics dans les campagnes !\n"
)


def test_import_creates_irritants_flags_duplicates_and_skips_on_rerun(operation, team):
    report = importers.import_irritants(
        operation=operation, raw=CSV.encode(), file_name="gd.csv", actor=team, source_label="Grand Débat"
    )
    assert (report.rows, report.created, report.skipped) == (3, 3, 0)
    third = operation.irritants.get(external_id="gd-3")
    assert third.possible_duplicate_of == operation.irritants.get(external_id="gd-1")
    assert third.category == "Q180" and third.evidence.get().kind == "contribution"
    assert "Grand Débat — gd-3" in third.evidence.get().source_label
    again = importers.import_irritants(operation=operation, raw=CSV.encode(), file_name="gd.csv", actor=team)
    assert (again.created, again.skipped) == (0, 3)


def test_import_lists_every_bad_row_and_writes_nothing(operation):
    raw = b"id;text;code_insee\na;Un texte correct;46042\nb;;46042\nc;Un autre texte;99999\na;Encore;46042\n"
    before = Irritant.objects.count()
    with pytest.raises(importers.ImportRejected) as excinfo:
        importers.import_irritants(operation=operation, raw=raw, file_name="x.csv")
    assert [str(e) for e in excinfo.value.errors] == [
        "Ligne 3 : texte vide.",
        "Ligne 4 : commune « 99999 » inconnue dans ce territoire (code INSEE attendu).",
        "Ligne 5 : identifiant « a » déjà utilisé ligne 2.",
    ]
    assert Irritant.objects.count() == before
    with pytest.raises(importers.ImportRejected, match="erreur"):
        importers.import_irritants(operation=operation, raw=b"titre\nx\n", file_name="x.csv")
    with pytest.raises(importers.ImportRejected):
        importers.import_irritants(operation=operation, raw=b"\xff\xfe\x00t", file_name="x.csv")


def test_import_through_the_page_runs_as_a_job(team_client, operation, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        response = team_client.post(
            reverse("exploration:import", args=[operation.slug]),
            {
                "file": SimpleUploadedFile("gd.csv", CSV.encode(), content_type="text/csv"),
                "source_label": "GD",
            },
        )
    page = team_client.get(response["Location"]).content.decode()
    page = page.replace("\u00a0", " ")
    assert "3 irritants créés sur 3 lignes" in page and "1 doublon probable" in page


def test_the_list_filters_and_hides_other_territories(client, team_client, operation):
    url = reverse("exploration:irritants", args=[operation.slug])
    page = team_client.get(url, {"q": "permis"}).content.decode()
    assert "Sans permis, pas d&#x27;emploi" in page and "Garde d&#x27;enfants" not in page
    page = team_client.get(url, {"gravite": 4}).content.decode()
    assert "Perte de droits" in page and "Sans permis" not in page
    client.force_login(User.objects.get(email="agent.figeac@demo.carteblanche.fr"))
    assert client.get(url).status_code == 404


def test_similar_irritants_are_suggested_while_typing(team_client, operation):
    response = team_client.post(
        reverse("exploration:irritant_similar", args=[operation.slug]),
        {"title": "Les personnes âgées n'arrivent pas à faire leurs démarches en ligne"},
    )
    assert "Les démarches en ligne excluent les personnes âgées" in response.content.decode()


def test_editing_records_what_changed(team_client, operation):
    irritant = operation.irritants.get(title="Rendez-vous donnés aux heures de travail")
    url = reverse("exploration:irritant_edit", args=[operation.slug, irritant.pk])
    response = team_client.post(
        url, {"title": irritant.title, "description": irritant.description, "severity": 3, "status": "qualifie"}
    )
    assert response.status_code == 302
    event = irritant.events.first()
    assert event.kind == "modification" and "Gravité" in event.message and event.changes["Gravité"] == "3"


def test_agents_cannot_merge_or_import(client, operation, agent):
    client.force_login(agent)
    source, target = operation.irritants.order_by("pk")[:2]
    assert (
        client.post(
            reverse("exploration:irritant_merge", args=[operation.slug, source.pk]), {"target": target.pk}
        ).status_code
        == 403
    )
    assert client.get(reverse("exploration:import", args=[operation.slug])).status_code == 403
    assert client.get(reverse("exploration:irritant_create", args=[operation.slug])).status_code == 200
    assert Evidence.objects.exists()


def test_contact_details_are_kept_only_with_consent(client, operation):
    url = reverse("exploration:public_report", args=[operation.slug])
    response = client.post(
        url, {"what_happened": "Le guichet de la mairie est fermé le samedi.", "email": "a@exemple.fr"}
    )
    assert response.status_code == 200
    assert "Cochez cette case pour que nous gardions vos coordonnées" in response.content.decode()
    assert not ResidentContact.objects.filter(email="a@exemple.fr").exists()


def test_an_irritant_cannot_be_merged_into_a_merged_one(operation):
    a, b, c = operation.irritants.order_by("pk")[:3]
    services.irritants_merge(target=b, sources=[a])
    with pytest.raises(services.ServiceError, match="lui-même fusionné"):
        services.irritants_merge(target=a, sources=[c])


def test_merging_repoints_duplicate_flags(operation):
    original = operation.irritants.get(title__startswith="Pas de transport")
    copy = services.irritant_create(operation=operation, title=original.title, description=original.description)
    assert copy.possible_duplicate_of == original  # flagged as it was written
    third = services.irritant_create(operation=operation, title="Autre sujet : la cantine scolaire trop chère")
    services.irritants_merge(target=third, sources=[original])
    copy.refresh_from_db()
    assert copy.possible_duplicate_of == third


def test_figures_and_notes_are_added_and_removed_as_evidence(team_client, operation):
    irritant = operation.irritants.get(title="Garde d'enfants fermée après 18 h")
    before = irritant.evidence_count
    url = reverse("exploration:evidence_add", args=[operation.slug, irritant.pk])
    response = team_client.post(
        url, {"kind": "chiffre", "text": "Places en crèche après 18 h", "figure_unit": "places"}, follow=True
    )
    assert "Un chiffre a besoin d&#x27;une valeur." in response.content.decode()
    team_client.post(
        url,
        {
            "kind": "chiffre",
            "text": "Places en crèche après 18 h",
            "figure_value": "0",
            "figure_unit": "places",
            "source_label": "Relais petite enfance",
        },
    )
    irritant.refresh_from_db()
    assert irritant.evidence_count == before + 1
    evidence = irritant.evidence.get(kind="chiffre")
    team_client.post(reverse("exploration:evidence_remove", args=[operation.slug, irritant.pk, evidence.pk]))
    irritant.refresh_from_db()
    assert irritant.evidence_count == before
    assert irritant.events.filter(message__startswith="Preuve retirée").exists()


def test_the_team_edits_the_operation_and_its_phases(team_client, operation):
    response = team_client.post(
        reverse("operations:operation_edit", args=[operation.slug]),
        {
            "name": operation.name,
            "slug": operation.slug,
            "start_date": "2018-01-08",
            "description": "",
        },
    )
    assert response.status_code == 302
    operation.refresh_from_db()
    assert not operation.public_form_open  # unticked: the public form closes
    closed = team_client.get(reverse("exploration:public_report", args=[operation.slug])).content.decode()
    assert "La participation est close" in closed
    team_client.post(
        reverse("operations:phase_create", args=[operation.slug]),
        {
            "name": "Essaimage",
            "order": 6,
            "status": "a_venir",
        },
    )
    phase = operation.phases.get(name="Essaimage")
    assert phase.kind == "autre" and phase.order == 6
    team_client.post(reverse("operations:phase_delete", args=[operation.slug, phase.pk]))
    assert not operation.phases.filter(name="Essaimage").exists()
