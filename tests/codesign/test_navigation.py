"""Each role finds its pages: the menu, the jury's landing, the prefecture's inbox and the arrêté."""

from django.urls import reverse
from django.utils import timezone

from carteblanche.accounts.models import User
from carteblanche.codesign.models import Derogation, Hackathon
from carteblanche.exploration.demo import SLUG
from carteblanche.operations.models import Operation
from tests.codesign.helpers import replicate


def _menu(client, email):
    client.force_login(User.objects.get(email=email))
    page = client.get(reverse("territories:list")).content.decode()
    return page[page.index('id="fr-navigation"') : page.index("</nav>", page.index('id="fr-navigation"'))]


def test_the_menu_follows_the_role(client):
    team = _menu(client, "equipe@demo.carteblanche.fr")
    assert "Bus France services" in team and "Transport solidaire" in team and "Dérogations à décider" not in team
    prefecture = _menu(client, "prefecture@demo.carteblanche.fr")
    assert "Dérogations à décider" in prefecture
    juror = _menu(client, "jury@demo.carteblanche.fr")
    assert "Bus France services" not in juror and "Transport solidaire" not in juror


def test_a_juror_lands_on_the_teams_to_mark(client):
    client.force_login(User.objects.get(email="jury@demo.carteblanche.fr"))
    response = client.get(reverse("core:home"))
    hackathon = Hackathon.objects.get(operation__slug=SLUG)
    assert response.status_code == 302
    assert response["Location"] == reverse("codesign:hackathon_jury", args=[SLUG, hackathon.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Pouce lotois" in page and "Utilité pour les usagers" in page
    # Others still land on the home page.
    client.force_login(User.objects.get(email="equipe@demo.carteblanche.fr"))
    assert client.get(reverse("core:home")).status_code == 200


def test_the_prefecture_has_an_inbox_and_a_granted_derogation_has_its_arrete(client):
    operation = Operation.objects.get(slug=SLUG)
    experiment = operation.experiments.first()
    waiting = Derogation.objects.create(
        operation=operation,
        experiment=experiment,
        rule_text="Les horaires d'accueil des crèches sont fixés par le règlement départemental.",
        rule_reference="Règlement départemental, art. 12",
        domain="activites",
        motive="que des parents travaillent en horaires décalés",
        scope="deux crèches du bassin",
        duration_months=12,
        status="soumise",
        submitted_at=timezone.now(),
    )
    client.force_login(User.objects.get(email="prefecture@demo.carteblanche.fr"))
    inbox = client.get(reverse("codesign:derogation_inbox")).content.decode()
    assert "Règlement départemental, art. 12" in inbox and waiting.get_absolute_url() in inbox
    client.force_login(User.objects.get(email="agent.caf@demo.carteblanche.fr"))
    assert client.get(reverse("codesign:derogation_inbox")).status_code == 403
    assert client.get(reverse("codesign:derogation_pdf", args=[SLUG, waiting.pk])).status_code in (403, 404)
    waiting.status, waiting.decided_at, waiting.arrete_reference = "accordee", timezone.now(), "2018-03-042"
    waiting.save()
    client.force_login(User.objects.get(email="prefecture@demo.carteblanche.fr"))
    pdf = client.get(reverse("codesign:derogation_pdf", args=[SLUG, waiting.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    detail = client.get(waiting.get_absolute_url()).content.decode()
    assert "établi d&#x27;après le modèle, à signer" in detail or "établi d'après le modèle, à signer" in detail


def test_the_departments_team_sees_and_reproduces_a_published_operation(client):
    from carteblanche.territories.models import Territory

    client.force_login(User.objects.get(email="departement@demo.carteblanche.fr"))
    page = client.get(reverse("operations:operations")).content.decode()
    assert "Reproduire une opération publiée" in page and reverse("codesign:replicate", args=[SLUG]) in page
    form = client.get(reverse("codesign:replicate", args=[SLUG]))
    assert form.status_code == 200
    territory = form.context["form"].fields["territory"].queryset.first()
    replicate(client, territory, name="Carte blanche — Lot", slug="carte-blanche-lot", start_date="2027-01-04")
    assert Territory.objects.filter(
        pk=territory.pk, memberships__user__email="departement@demo.carteblanche.fr"
    ).exists()
