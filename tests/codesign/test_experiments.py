from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carteblanche.accounts.models import User
from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.codesign import services
from carteblanche.codesign.charts import indicator_chart
from carteblanche.codesign.models import Derogation, Experiment, Idea, Indicator, Workshop
from carteblanche.core.errors import ServiceError
from carteblanche.exploration.demo import SLUG


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def team_client(client):
    client.force_login(User.objects.get(email="equipe@demo.carteblanche.fr"))
    return client


@pytest.fixture
def experiment():
    workshop = Workshop.objects.get(operation__slug=SLUG, title__startswith="Atelier « Sarah »")
    sarah = workshop.personas.get()
    idea = Idea.objects.create(
        workshop=workshop, text="Prévenir les droits avant la fin du contrat", kept=True, persona=sarah
    )
    idea.irritants.set(workshop.operation.irritants.visible().exclude(status="traite")[:2])
    return services.experiment_from_idea(idea=idea)


def test_a_kept_idea_becomes_an_experiment_and_its_irritants_are_addressed(experiment):
    assert experiment.personas.get().name == "Sarah"
    for irritant in experiment.irritants.all():
        assert irritant.status == "traite"
        assert irritant.events.filter(message__contains=experiment.title).exists()
    with pytest.raises(ServiceError, match="déjà une expérimentation"):
        services.experiment_from_idea(idea=experiment.idea)
    loose = Idea.objects.create(workshop=experiment.idea.workshop, text="Pas retenue")
    with pytest.raises(ServiceError, match="Seule une idée retenue"):
        services.experiment_from_idea(idea=loose)


def test_each_step_is_recorded_with_before_and_after(team_client, experiment):
    url = experiment.get_absolute_url()
    team_client.post(
        url,
        {
            "step": "hypothese",
            "hypothese-title": experiment.title,
            "hypothese-hypothesis_if": "on prévient les personnes un mois avant la fin de leur contrat",
            "hypothese-hypothesis_then": "moins de ruptures de droits",
        },
    )
    team_client.post(
        url,
        {
            "step": "prototype",
            "prototype-prototype": "Un courrier de la CAF",
            "prototype-prototype_partners": "CAF du Lot",
            "prototype-prototype_cost": "1200",
        },
    )
    team_client.post(
        url,
        {
            "step": "prototype",
            "prototype-prototype": "Un SMS de la CAF",
            "prototype-prototype_partners": "CAF du Lot",
            "prototype-prototype_cost": "300",
        },
    )
    experiment.refresh_from_db()
    assert experiment.stage == "prototype" and experiment.prototype == "Un SMS de la CAF"
    edit = experiment.events.filter(message__startswith="Prototype").first()
    assert edit.changes["prototype"] == {"avant": "Un courrier de la CAF", "après": "Un SMS de la CAF"}
    assert edit.actor.email == "equipe@demo.carteblanche.fr"
    response = team_client.post(url, {"step": "decision", "decision-decision": "generaliser"})
    assert "Expliquez la décision" in response.content.decode()


def test_indicator_results_against_baseline_and_target(team_client, experiment):
    url = experiment.get_absolute_url()
    team_client.post(
        url,
        {
            "step": "indicator",
            "indicator-name": "Ruptures de droits par mois",
            "indicator-unit": "dossiers",
            "indicator-baseline": "40",
            "indicator-target": "20",
            "indicator-direction": "baisse",
        },
    )
    indicator = Indicator.objects.get(experiment=experiment)
    for date, value in (("2018-05-01", "35"), ("2018-06-01", "18")):
        team_client.post(
            url, {"step": "measure", "indicator": indicator.pk, "measure-date": date, "measure-value": value}
        )
    experiment.refresh_from_db()
    assert experiment.stage == "resultats"
    assert indicator.latest.value == Decimal("18") and indicator.reached() is True
    chart = indicator_chart(indicator)
    assert len(chart["dots"]) == 2 and chart["target_y"] > chart["baseline_y"]  # lower is better: target below
    page = team_client.get(url).content.decode()
    assert "cible atteinte" in page and "<polyline" in page


def test_derogation_workflow_and_only_the_prefecture_decides(team_client, experiment):
    from django.test import Client

    client = Client()  # the prefecture, in its own browser
    response = team_client.post(
        reverse("codesign:derogation_create", args=[SLUG, experiment.pk]),
        {
            "rule_text": "Les horaires d'accueil des crèches sont fixés par le règlement départemental.",
            "rule_reference": "Règlement départemental d'accueil du jeune enfant, art. 12",
            "domain": "activites",
            "motive": "Des parents travaillent en horaires décalés en zone rurale.",
            "scope": "Deux crèches du bassin de vie de Cahors",
            "duration_months": 12,
        },
    )
    derogation = Derogation.objects.get()
    assert response["Location"] == derogation.get_absolute_url() and derogation.status == "brouillon"
    team_client.post(derogation.get_absolute_url(), {"action": "submit"})
    derogation.refresh_from_db()
    assert derogation.status == "soumise"
    team = User.objects.get(email="equipe@demo.carteblanche.fr")
    with pytest.raises(ServiceError, match="Seule la préfecture"):
        services.derogation_decide(derogation, granted=True, reasons="x", reference="A-1", actor=team)
    client.force_login(User.objects.get(email="prefecture@demo.carteblanche.fr"))
    page = client.post(
        derogation.get_absolute_url(), {"action": "decide", "granted": "1", "reasons": "Intérêt général"}
    )
    assert "Indiquez la référence de l&#x27;arrêté préfectoral." in page.content.decode()
    bad = SimpleUploadedFile("arrete.pdf", b"not a pdf", content_type="application/pdf")
    page = client.post(
        derogation.get_absolute_url(),
        {"action": "decide", "granted": "1", "reasons": "Intérêt général", "reference": "2018-03-042", "pdf": bad},
    )
    assert "Déposez l&#x27;arrêté au format PDF." in page.content.decode()
    pdf = SimpleUploadedFile("arrete.pdf", b"%PDF-1.4 arrete", content_type="application/pdf")
    client.post(
        derogation.get_absolute_url(),
        {"action": "decide", "granted": "1", "reasons": "Intérêt général", "reference": "2018-03-042", "pdf": pdf},
    )
    derogation.refresh_from_db()
    assert derogation.status == "accordee" and derogation.decided_by.email == "prefecture@demo.carteblanche.fr"
    team_client.post(derogation.get_absolute_url(), {"action": "evaluate", "evaluation": "Douze familles aidées."})
    derogation.refresh_from_db()
    assert derogation.status == "evaluee"
    assert JournalEntry.objects.about(derogation).filter(action=Action.DEROGATION).count() == 3
    register = team_client.get(reverse("codesign:derogations", args=[SLUG])).content.decode()
    assert "2018-03-042" in register and "Évaluée" in register
    assert experiment.events.filter(message__contains="accordée par la préfecture").exists()
    # Last: closing a response ends the request, and with it the test's database connection on PostgreSQL.
    download = client.get(reverse("codesign:derogation_pdf", args=[SLUG, derogation.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    download.close()


def test_experiments_are_listed_with_ideas_waiting(team_client, experiment):
    Idea.objects.create(workshop=experiment.idea.workshop, text="Un bus à la demande", kept=True)
    page = team_client.get(reverse("codesign:experiments", args=[SLUG])).content.decode()
    assert experiment.title in page and "Un bus à la demande" in page
    assert Experiment.objects.filter(title="Un bus à la demande").count() == 0  # waiting, not yet an experiment


def test_the_thread_is_clickable_both_ways(team_client, experiment):
    irritant = experiment.irritants.first()
    page = team_client.get(irritant.get_absolute_url()).content.decode()
    assert experiment.get_absolute_url() in page and "Ce qu'il a inspiré" in page
    sarah = experiment.personas.get()
    assert experiment.get_absolute_url() in team_client.get(sarah.get_absolute_url()).content.decode()
    workshop = experiment.idea.workshop
    services.workshop_close(workshop=workshop, minutes="Compte rendu", kept_ids=[experiment.idea.pk])
    workshop_page = team_client.get(workshop.get_absolute_url()).content.decode()
    experiment_page = team_client.get(experiment.get_absolute_url()).content.decode()
    assert irritant.get_absolute_url() in experiment_page and sarah.get_absolute_url() in experiment_page
    assert experiment.idea.workshop.get_absolute_url() in experiment_page
    assert experiment.get_absolute_url() in workshop_page
