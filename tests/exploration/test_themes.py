import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from sklearn.metrics import adjusted_mutual_info_score

from carteblanche.core.enums import JobStatus
from carteblanche.core.jobs import start_job
from carteblanche.exploration import importers, services, themes
from carteblanche.exploration.models import Irritant, TextEmbedding, Theme
from carteblanche.exploration.tasks import theme_analysis
from carteblanche.operations import services as operation_services
from carteblanche.territories.models import Territory

DATA = Path(__file__).parent / "data" / "grand_debat_90.csv"


@pytest.fixture
def debate(team):
    """A fresh operation holding 90 real Grand Débat answers to three questions."""
    operation = operation_services.operation_create(
        territory=Territory.objects.get(slug="bassin-de-vie-de-cahors"),
        name="Grand Débat",
        slug="grand-debat",
        start_date=datetime.date(2019, 1, 15),
    )
    importers.import_irritants(operation=operation, raw=DATA.read_bytes(), file_name=DATA.name, actor=team)
    return operation


def questions_and_themes(operation):
    rows = Irritant.objects.filter(operation=operation).values_list("category", "theme_id")
    return [q for q, _ in rows], [t for _, t in rows]


def test_analysis_groups_texts_into_labelled_themes_and_stores_vectors(debate):
    result = themes.run_analysis(debate)
    assert (result.texts, result.encoded, result.reused) == (90, 90, 0)
    assert 4 <= result.themes <= 6
    questions, found = questions_and_themes(debate)
    assert None not in found
    # The three questions people answered are recovered far better than chance (AMI 0 = chance).
    assert adjusted_mutual_info_score(questions, found) > 0.3
    for theme in Theme.objects.filter(operation=debate):
        assert theme.auto_label and theme.top_terms and 1 <= len(theme.quotes) <= 3
        assert not set(theme.top_terms) & {"les", "des", "pour", "est"}
    retirement = max(
        Theme.objects.filter(operation=debate), key=lambda t: t.irritants.filter(category="vie_retraite").count()
    )
    assert any("retraite" in term for term in retirement.top_terms)
    assert TextEmbedding.objects.count() >= 90


def test_a_rerun_encodes_only_new_texts_and_the_team_decisions_survive(debate, team):
    themes.run_analysis(debate)
    named = Theme.objects.filter(operation=debate).first()
    moved = Irritant.objects.filter(operation=debate).exclude(theme=named).first()
    from django.http import QueryDict

    from carteblanche.exploration.selectors import apply_theme_action

    apply_theme_action(
        named, QueryDict(mutable=True) | {"action": "rename", "name": "Nom choisi par l'équipe"}, actor=team
    )
    other = moved.theme
    data = QueryDict(mutable=True)
    data.update({"action": "move", "target": str(named.pk)})
    data.setlist("irritants", [str(moved.pk)])
    apply_theme_action(other, data, actor=team)
    services.irritant_create(operation=debate, title="Les démarches de retraite en ligne sont trop compliquées")

    result = themes.run_analysis(debate)
    assert (result.encoded, result.reused) == (1, 90)
    named.refresh_from_db()
    assert named.name == "Nom choisi par l'équipe" and named.reviewed
    moved.refresh_from_db()
    assert moved.theme == named and moved.theme_locked
    assert not Irritant.objects.filter(operation=debate, theme__isnull=True).exists()


def test_review_on_the_page_rename_split_merge(team_client, debate):
    themes.run_analysis(debate)
    first, second = Theme.objects.filter(operation=debate).order_by("pk")[:2]
    url = reverse("exploration:theme", args=[debate.slug, first.pk])
    team_client.post(url, {"action": "rename", "name": "Démarches en ligne"})
    first.refresh_from_db()
    assert first.label == "Démarches en ligne"
    chosen = list(first.irritants.values_list("pk", flat=True)[:2])
    response = team_client.post(url, {"action": "split", "name": "Sous-thème", "irritants": chosen})
    split = Theme.objects.get(operation=debate, name="Sous-thème")
    assert response.status_code == 302 and set(split.irritants.values_list("pk", flat=True)) == set(chosen)
    team_client.post(
        reverse("exploration:theme", args=[debate.slug, second.pk]), {"action": "merge", "target": first.pk}
    )
    assert not Theme.objects.filter(pk=second.pk).exists()
    assert first.irritants.count() > 0
    page = team_client.get(reverse("exploration:themes", args=[debate.slug])).content.decode()
    assert "Démarches en ligne" in page and "revu par l'équipe" in page
    response = team_client.post(url, {"action": "split", "name": "Vide"})
    assert "Cochez au moins un irritant" in team_client.get(url).content.decode() or response.status_code == 200


def test_a_killed_analysis_resumes_without_redoing_finished_work(debate, monkeypatch, clock, settings):
    monkeypatch.setattr(themes, "CHUNK", 32)
    calls = {"n": 0}
    real = themes.encode

    def encode_then_die(texts):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")  # what a killed worker looks like from the inside
        return real(texts)

    monkeypatch.setattr(themes, "encode", encode_then_die)
    job = start_job(theme_analysis, label="Analyse", params={"operation": debate.pk})
    with pytest.raises(SystemExit):
        theme_analysis.apply(args=(str(job.pk),), throw=True)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # the worker died mid-way: nobody marked it
    assert TextEmbedding.objects.count() >= 32

    monkeypatch.setattr(themes, "encode", real)
    # The next worker takes it up once the dead one's heartbeat is stale (tests/core/test_faults.py kills one).
    clock.shift(datetime.timedelta(seconds=settings.JOB_STALL_SECONDS + 1))
    theme_analysis.apply(args=(str(job.pk),))
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
    assert (job.result["encodes"], job.result["reutilises"]) == (58, 32)


def test_priority_view_ranks_themes_by_people_touched(team_client, operation):
    themes.run_analysis(operation)
    page = team_client.get(reverse("exploration:priorities", args=[operation.slug])).content.decode()
    assert "Population des communes concernées" in page
    response = team_client.post(
        reverse("exploration:priorities", args=[operation.slug]),
        {
            "title": "Accès aux droits",
            "themes": [Theme.objects.filter(operation=operation).first().pk],
        },
    )
    assert response.status_code == 302
    assert operation.priorities.get(title="Accès aux droits").themes.count() == 1


def test_theme_terms_are_shown_as_residents_wrote_them():
    import numpy as np

    from carteblanche.exploration.themes import describe

    texts = [
        "Les personnes âgées n'ont pas de bus après 18 h",
        "Pour les personnes âgées, aucun bus après le marché",
        "La crèche ferme trop tôt pour les parents",
        "Crèche fermée le mercredi, parents sans solution",
    ]
    labels = np.array([0, 0, 1, 1])
    vectors = np.eye(4)
    found = describe(texts, labels, vectors)
    assert "âgées" in " ".join(found[0]["terms"]) and "agees" not in " ".join(found[0]["terms"])
    assert any("crèche" in term for term in found[1]["terms"])


def test_a_phase_to_come_is_never_shown_in_progress():
    import datetime

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from carteblanche.exploration.demo import SLUG
    from carteblanche.operations.models import Operation

    phase = Operation.objects.get(slug=SLUG).phases.order_by("order").last()
    phase.start_date = timezone.localdate() + datetime.timedelta(days=30)
    phase.status = "en_cours"
    assert phase.current_status == "a_venir" and phase.current_status_label == "À venir" and not phase.started
    try:
        phase.full_clean()
    except ValidationError as error:
        assert "elle ne peut pas être en cours" in str(error.message_dict["status"])
    else:
        raise AssertionError("a phase to come was accepted as in progress")


def test_the_demo_s_irritants_fall_into_themes_that_separate_them():
    """Twenty irritants are not one theme: a fixed fifteen neighbours made their graph complete."""
    from carteblanche.exploration.demo import SLUG

    operation = Theme.objects.filter(operation__slug=SLUG).first().operation
    by_theme = {t.label: set(t.irritants.values_list("title", flat=True)) for t in operation.themes.all()}
    assert len(by_theme) >= 3
    assert max(len(titles) for titles in by_theme.values()) <= operation.irritants.count() // 2
    # The ways to get there stay together, apart from childcare.
    transport = next(t for t in by_theme.values() if "Pas de transport pour aller aux rendez-vous à Cahors" in t)
    assert (
        "Le car scolaire ne prend pas les adultes" in transport
        and "Garde d'enfants fermée après 18 h" not in transport
    )
    labels = " ".join(by_theme)
    assert "agees" not in labels and "apres" not in labels


def test_a_small_set_is_split_and_a_tiny_one_is_not():
    import numpy as np

    rng = np.random.RandomState(0)
    centres = np.eye(3, 16)
    vectors = np.vstack([centres[i] + 0.05 * rng.randn(4, 16) for i in range(3)])
    labels, count = themes.cluster(vectors)
    assert count == 3 and all(len(set(labels[i * 4 : i * 4 + 4])) == 1 for i in range(3))
    assert themes.cluster(vectors[:5])[1] == 1
    assert themes.neighbour_count(12) == 3 and themes.neighbour_count(16_000) == themes.NEIGHBOURS
