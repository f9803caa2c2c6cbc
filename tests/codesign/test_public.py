from django.core import mail
from django.urls import reverse

from carteblanche.accounts.models import User
from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.codesign import report, services
from carteblanche.codesign.models import Derogation, Idea, Workshop
from carteblanche.codesign.public import scrub
from carteblanche.exploration import services as exploration
from carteblanche.exploration.demo import SLUG
from carteblanche.exploration.models import Theme
from carteblanche.operations.models import Operation
from tests.codesign.helpers import replicate


def test_the_public_page_shows_the_thread_without_personal_data(client):
    operation = Operation.objects.get(slug=SLUG)
    Theme.objects.create(
        operation=operation,
        name="Se déplacer",
        quotes=[
            {"irritant": 1, "texte": "Appelez-moi au 06 12 34 56 78 ou jean.dupont@exemple.fr, pas de bus le matin"}
        ],
    ).irritants.set(operation.irritants.all()[:3])
    workshop = Workshop.objects.get(operation=operation, title__startswith="Atelier « Sarah »")
    idea = Idea.objects.create(workshop=workshop, text="Un bus à la demande le matin", kept=True)
    experiment = services.experiment_from_idea(idea=idea)
    common = {"operation": operation, "experiment": experiment, "rule_text": "r", "domain": "emploi", "motive": "m"}
    granted = Derogation.objects.create(
        **common,
        rule_reference="Règle A",
        scope="s",
        duration_months=6,
        status="accordee",
        arrete_reference="2018-042",
    )
    Derogation.objects.create(**common, rule_reference="Règle B", scope="s", duration_months=6)
    page = client.get(reverse("public:operation", args=[SLUG])).content.decode()
    assert "Se déplacer" in page and "pas de bus le matin" in page
    assert "06 12 34 56 78" not in page and "jean.dupont@exemple.fr" not in page
    assert "Sarah" in page and "Un bus à la demande le matin" in page
    assert "Règle A" in page and granted.arrete_reference in page and "Règle B" not in page
    operation.published = False
    operation.save()
    assert client.get(reverse("public:operation", args=[SLUG])).status_code == 404


def test_scrub_removes_addresses_phones_and_links():
    assert scrub("écrire à a.b@c.fr, +33 6 12 34 56 78, https://x.fr/y") == "écrire à […], […], […]"


def test_consenting_residents_hear_when_their_irritant_is_addressed_or_changes(client):
    operation = Operation.objects.get(slug=SLUG)
    irritant = exploration.report_submit(
        operation=operation,
        what_happened="Pas de crèche après 18 h à Catus.",
        contact={"first_name": "Inès", "email": "ines@exemple.fr", "consent_recontact": True},
    )
    exploration.report_submit(operation=operation, what_happened="Autre message sans contact, sur la crèche.")
    workshop = Workshop.objects.get(operation=operation, title__startswith="Atelier « Sarah »")
    idea = Idea.objects.create(workshop=workshop, text="Une crèche ouverte jusqu'à 20 h", kept=True)
    idea.irritants.add(irritant)
    services.experiment_from_idea(idea=idea)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ines@exemple.fr"] and "Bonjour Inès," in message.body
    assert "une solution est mise à l'essai : « Une crèche ouverte jusqu'à 20 h »" in message.body
    assert f"/public/operations/{SLUG}/" in message.body
    assert JournalEntry.objects.filter(action=Action.PERSONAL_DATA_READ, reason__startswith="Information").exists()
    assert irritant.events.filter(message="1 usager informé par e-mail").exists()

    client.force_login(User.objects.get(email="equipe@demo.carteblanche.fr"))
    client.post(
        reverse("exploration:irritant_edit", args=[SLUG, irritant.pk]),
        {"title": irritant.title, "description": irritant.description, "status": "qualifie"},
    )
    assert len(mail.outbox) == 2 and "« qualifié »" in mail.outbox[1].body


def test_an_operation_is_replicated_in_another_territory_without_its_people(client):
    from carteblanche.accounts.enums import Role
    from carteblanche.accounts.models import Membership
    from carteblanche.territories.models import Territory

    source = Operation.objects.get(slug=SLUG)
    team = User.objects.get(email="equipe@demo.carteblanche.fr")
    figeac = Territory.objects.get(slug="bassin-de-vie-de-figeac")
    Membership.objects.create(user=team, territory=figeac, role=Role.PROJECT_TEAM)
    client.force_login(team)
    copy = replicate(
        client, figeac, name="Carte blanche — Figeac", slug="carte-blanche-figeac", start_date="2026-12-01"
    )
    assert [p.name for p in copy.phases.order_by("order")] == [p.name for p in source.phases.order_by("order")]
    assert copy.phases.order_by("order").first().status == "en_cours"
    assert sorted(c.path for c in copy.codes.all()) == sorted(c.path for c in source.codes.all())
    assert copy.personas.get().name == "Sarah" and not copy.personas.get().irritants.exists()
    assert copy.workshops.count() == source.workshops.count()
    workshop = copy.workshops.get(title__startswith="Atelier « Sarah »")
    assert workshop.agenda.count() == 5 and workshop.status == "prepare" and not workshop.participants.exists()
    assert not copy.irritants.exists() and not copy.visits.exists() and not copy.experiments.exists()
    response = client.post(
        reverse("codesign:replicate", args=[SLUG]),
        {
            "territory": figeac.pk,
            "name": "Encore",
            "slug": "carte-blanche-figeac",
            "start_date": "2026-12-01",
        },
    )
    assert "est déjà pris" in response.content.decode()


def test_the_report_as_pdf_ods_and_csv(client):
    import csv
    import io
    import zipfile

    operation = Operation.objects.get(slug=SLUG)
    workshop = Workshop.objects.get(operation=operation, title__startswith="Atelier « Sarah »")
    experiment = services.experiment_from_idea(
        idea=Idea.objects.create(workshop=workshop, text="Un bus à la demande", kept=True)
    )
    indicator = experiment.indicators.create(name="Trajets par semaine", baseline=0, target=30)
    indicator.measurements.create(date="2018-06-01", value=24)
    client.force_login(User.objects.get(email="prefecture@demo.carteblanche.fr"))
    pdf = client.get(reverse("codesign:report", args=[SLUG, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    ods = client.get(reverse("codesign:report", args=[SLUG, "ods"]))
    content = zipfile.ZipFile(io.BytesIO(ods.content)).read("content.xml").decode()
    assert 'table:name="Indicateurs"' in content and "Trajets par semaine" in content
    # Dates are dates a spreadsheet can sort, shown in French; numbers are numbers, shown with a comma.
    assert 'office:date-value="2018-06-01"' in content and "<text:p>1er juin 2018</text:p>" in content
    assert 'office:value="24.00"' in content or 'office:value="24"' in content
    html = report.pdf_html(operation)
    assert "1er juin 2018" in html and "2018-06-01" not in html and "<h2>Dérogations</h2>" in html
    response = client.get(reverse("codesign:report", args=[SLUG, "csv"]), {"feuille": "indicateurs"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Expérimentation", "Indicateur"]
    assert rows[1][1] == "Trajets par semaine" and rows[1][5] == "24.00" and rows[1][7] == "non"
    assert client.get(reverse("codesign:report", args=[SLUG, "csv"]), {"feuille": "x"}).status_code == 404
