import csv
import io
import zipfile
from xml.etree import ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from carteblanche.exploration import qda, selectors, services
from carteblanche.exploration.models import Code, Evidence, Excerpt, FieldVisit


@pytest.fixture
def visit(operation):
    return operation.visits.get(title__startswith="Entretien collectif avec les agents")


def test_a_passage_selected_in_the_browser_becomes_a_coded_excerpt(team_client, operation, visit):
    passage = "un courrier qu'ils ne comprennent pas"
    start = visit.notes.index(passage)
    code = Code.objects.get(operation=operation, name="Orientation")
    response = team_client.post(
        reverse("exploration:excerpt_add", args=[operation.slug, visit.pk]),
        {
            "passage": passage,
            "start": start,
            "codes": [code.pk],
            "new_code": "Courriers illisibles",
            "new_code_parent": Code.objects.get(operation=operation, name="Relation au service").pk,
        },
    )
    assert response.status_code == 302
    excerpt = Excerpt.objects.get(text=passage)
    assert (excerpt.start, excerpt.end) == (start, start + len(passage))
    assert sorted(c.path for c in excerpt.codes.all()) == [
        "Relation au service › Courriers illisibles",
        "Relation au service › Orientation",
    ]
    page = team_client.get(visit.get_absolute_url()).content.decode()
    assert f'<mark class="cb-mark" data-cb-excerpts="{excerpt.pk}">{escape(passage)}</mark>' in page


def test_a_pasted_passage_is_found_without_offsets_and_ambiguity_is_refused(operation, visit):
    assert selectors.locate_passage(visit.notes, "sans voiture", None) == visit.notes.index("sans voiture")
    with pytest.raises(services.ServiceError, match="ne figure pas"):
        selectors.locate_passage(visit.notes, "un texte absent", None)
    with pytest.raises(services.ServiceError, match="plusieurs fois"):
        selectors.locate_passage(visit.notes, "les", None)


def test_offsets_must_match_the_stored_notes(operation, visit):
    with pytest.raises(services.ServiceError, match="ont changé"):
        services.excerpt_create(visit=visit, start=0, end=5, text="autre")
    with pytest.raises(services.ServiceError, match="dépasse"):
        services.excerpt_create(visit=visit, start=0, end=10_000, text="x")


def test_coded_notes_cannot_be_rewritten_under_their_excerpts(team_client, operation, visit):
    url = reverse("exploration:visit_edit", args=[operation.slug, visit.pk])
    data = {
        "kind": visit.kind,
        "title": visit.title,
        "date": visit.date.isoformat(),
        "commune": visit.commune_id,
        "notes": visit.notes.replace("sans voiture", "à pied"),
    }
    response = team_client.post(url, data)
    assert response.status_code == 200
    assert "Ce passage est déjà codé" in response.content.decode()
    data["notes"] = visit.notes + "\nComplément : les horaires d'ouverture changent souvent."
    data["agents"] = 7
    assert team_client.post(url, data).status_code == 302
    visit.refresh_from_db()
    assert visit.notes.endswith("changent souvent.")
    assert visit.participants.get(kind="agents").count == 7


def test_codebook_create_rename_merge_with_counts(operation):
    mobility = Code.objects.get(operation=operation, name="Mobilité")
    with pytest.raises(services.ServiceError, match="existe déjà"):
        services.code_create(operation=operation, name="transport collectif", parent=mobility)
    car = Code.objects.get(operation=operation, name="Permis et voiture")
    bus = Code.objects.get(operation=operation, name="Transport collectif")
    services.code_rename(car, "Permis de conduire")
    child = services.code_create(operation=operation, name="Auto-école", parent=car)
    counts = {node.code.name: (node.count, node.total) for node in selectors.codebook(operation)}
    assert counts["Permis de conduire"] == (1, 1)
    assert counts["Mobilité"] == (0, 2)
    services.code_merge(source=car, target=bus)
    assert not Code.objects.filter(pk=car.pk).exists()
    child.refresh_from_db()
    assert child.parent == bus
    assert bus.excerpts.count() == 2
    with pytest.raises(services.ServiceError, match="sous-codes"):
        services.code_merge(source=mobility, target=child)


def test_excerpts_become_an_irritant_or_evidence_of_one(team_client, operation):
    excerpts = list(Excerpt.objects.filter(visit__operation=operation).order_by("pk")[:2])
    before = Evidence.objects.filter(excerpt=excerpts[0]).count()
    response = team_client.post(
        reverse("exploration:excerpts", args=[operation.slug]),
        {"extraits": [e.pk for e in excerpts], "title": "Isolement des habitants sans voiture"},
    )
    irritant = operation.irritants.get(title="Isolement des habitants sans voiture")
    assert response["Location"] == irritant.get_absolute_url()
    assert irritant.evidence_count == 2 and irritant.source == "terrain"
    other = operation.irritants.exclude(pk=irritant.pk).exclude(evidence__excerpt=excerpts[0]).first()
    services.excerpts_to_irritant(excerpts=excerpts[:1], irritant=other)
    assert Evidence.objects.filter(excerpt=excerpts[0]).count() == before + 2
    # Attaching the same excerpt twice adds nothing.
    services.excerpts_to_irritant(excerpts=excerpts[:1], irritant=other)
    assert Evidence.objects.filter(excerpt=excerpts[0], irritant=other).count() == 1


def test_csv_and_refi_qda_exports(team_client, operation):
    response = team_client.get(reverse("exploration:excerpts_export", args=[operation.slug, "csv"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == Excerpt.objects.filter(visit__operation=operation).count() == 7
    assert {"Mobilité › Transport collectif"} <= {r["codes"] for r in rows}

    response = team_client.get(reverse("exploration:excerpts_export", args=[operation.slug, "qdpx"]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    root = ET.fromstring(archive.read("project.qde"))
    ns = {"q": qda.NAMESPACE}
    assert root.tag == f"{{{qda.NAMESPACE}}}Project"
    assert {c.get("name") for c in root.findall("q:CodeBook/q:Codes/q:Code", ns)} == {
        "Accès aux droits",
        "Mobilité",
        "Relation au service",
        "Vie familiale",
    }
    selection = root.find(".//q:PlainTextSelection", ns)
    source = root.find(".//q:TextSource", ns)
    text = archive.read(f"sources/{source.get('guid')}.txt").decode()
    start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
    coded = Excerpt.objects.get(visit__operation=operation, start=start, end=end, visit__notes=text)
    assert text[start:end] == coded.text
    assert selection.find("q:Coding/q:CodeRef", ns).get("targetGUID") in {
        qda.guid("code", c.pk) for c in coded.codes.all()
    }


@pytest.mark.parametrize(
    ("name", "content_type", "content", "error"),
    [
        ("photo.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, None),
        ("faux.png", "image/png", b"MZ\x90\x00 not a png", "ne correspond pas à son type"),
        ("script.exe", "application/x-msdownload", b"MZ", "Type de fichier refusé"),
        ("page.html", "text/html", b"<script>alert(document.cookie)</script>", "Type de fichier refusé"),
        ("note.pdf", "application/pdf", b"<html><script>alert(1)</script></html>", "ne correspond pas à son type"),
        ("gros.pdf", "application/pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1), "10 Mo au plus"),
    ],
)
def test_attachments_are_checked(team_client, operation, name, content_type, content, error):
    visit = FieldVisit.objects.filter(operation=operation).first()
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    response = team_client.post(
        reverse("exploration:attachment_add", args=[operation.slug, visit.pk]), {"file": upload}, follow=True
    )
    page = response.content.decode()
    if error:
        assert error in page and not visit.attachments.exists()
    else:
        attachment = visit.attachments.get()
        assert attachment.name == name and attachment.size == len(content)
        download = team_client.get(reverse("exploration:attachment", args=[operation.slug, visit.pk, attachment.pk]))
        assert b"".join(download.streaming_content) == content
        download.close()
        assert download["Content-Disposition"] == f'attachment; filename="{name}"'
        assert download["X-Content-Type-Options"] == "nosniff"  # never rendered inline from the site's origin
