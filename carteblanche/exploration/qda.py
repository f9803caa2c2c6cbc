"""Exports of the coded excerpts: CSV, and REFI-QDA project exchange (.qdpx) for Atlas.ti, MAXQDA, NVivo,
QDA Miner, Taguette… A .qdpx is a zip holding project.qde (XML, namespace urn:QDA-XML:project:1.0) and the
plain text of each source under sources/. Selection positions count characters, as our offsets do."""

import io
import uuid
import zipfile
from xml.etree import ElementTree as ET

from django.utils import timezone

from carteblanche.core import spreadsheets

NAMESPACE = "urn:QDA-XML:project:1.0"
_ROOT = uuid.UUID("6c0f3a52-8d1e-4c1b-9b7e-2a4d5e6f7a81")


def guid(kind: str, pk) -> str:
    """Stable identifiers: the same object gets the same GUID in every export."""
    return str(uuid.uuid5(_ROOT, f"{kind}:{pk}")).upper()


def excerpts_csv(excerpts) -> str:
    buffer = io.StringIO()
    writer = spreadsheets.writer(buffer)
    writer.writerow(["extrait", "visite", "date", "lieu", "debut", "fin", "texte", "codes", "memo", "code_par"])
    for excerpt in excerpts:
        writer.writerow(
            [
                excerpt.pk,
                excerpt.visit.title,
                excerpt.visit.date.isoformat(),
                excerpt.visit.place_label,
                excerpt.start,
                excerpt.end,
                excerpt.text,
                " | ".join(sorted(code.path for code in excerpt.codes.all())),
                excerpt.memo,
                excerpt.created_by.email if excerpt.created_by else "",
            ]
        )
    return buffer.getvalue()


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def qdpx(operation, visits, codes, excerpts) -> bytes:
    ET.register_namespace("", NAMESPACE)
    q = f"{{{NAMESPACE}}}"
    project = ET.Element(
        f"{q}Project", {"name": operation.name, "origin": "Carte blanche", "creationDateTime": _iso(timezone.now())}
    )
    users = ET.SubElement(project, f"{q}Users")
    known_users = {}

    def user_guid(user):
        if user is None:
            return None
        if user.pk not in known_users:
            known_users[user.pk] = guid("user", user.pk)
            ET.SubElement(users, f"{q}User", {"guid": known_users[user.pk], "name": str(user)})
        return known_users[user.pk]

    codebook = ET.SubElement(ET.SubElement(project, f"{q}CodeBook"), f"{q}Codes")
    children: dict = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)

    def add_codes(parent_element, parent_id):
        for code in sorted(children.get(parent_id, []), key=lambda c: c.name):
            element = ET.SubElement(
                parent_element, f"{q}Code", {"guid": guid("code", code.pk), "name": code.name, "isCodable": "true"}
            )
            if code.description:
                ET.SubElement(element, f"{q}Description").text = code.description
            add_codes(element, code.pk)

    add_codes(codebook, None)
    sources = ET.SubElement(project, f"{q}Sources")
    by_visit: dict = {}
    for excerpt in excerpts:
        by_visit.setdefault(excerpt.visit_id, []).append(excerpt)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for visit in visits:
            source_guid = guid("visit", visit.pk)
            attributes = {
                "guid": source_guid,
                "name": str(visit),
                "plainTextPath": f"internal://{source_guid}.txt",
                "creationDateTime": _iso(visit.created_at),
            }
            if visit.created_by_id:
                attributes["creatingUser"] = user_guid(visit.created_by)
            source = ET.SubElement(sources, f"{q}TextSource", attributes)
            zf.writestr(f"sources/{source_guid}.txt", visit.notes)
            for excerpt in by_visit.get(visit.pk, []):
                selection_attributes = {
                    "guid": guid("excerpt", excerpt.pk),
                    "name": excerpt.text[:60],
                    "startPosition": str(excerpt.start),
                    "endPosition": str(excerpt.end),
                    "creationDateTime": _iso(excerpt.created_at),
                }
                if excerpt.created_by_id:
                    selection_attributes["creatingUser"] = user_guid(excerpt.created_by)
                selection = ET.SubElement(source, f"{q}PlainTextSelection", selection_attributes)
                if excerpt.memo:
                    ET.SubElement(selection, f"{q}Description").text = excerpt.memo
                for code in excerpt.codes.all():
                    coding = ET.SubElement(
                        selection,
                        f"{q}Coding",
                        {"guid": guid(f"coding-{excerpt.pk}", code.pk), "creationDateTime": _iso(excerpt.created_at)},
                    )
                    ET.SubElement(coding, f"{q}CodeRef", {"targetGUID": guid("code", code.pk)})
        # Users must come first in the document, which they do: the element was created first.
        zf.writestr("project.qde", ET.tostring(project, encoding="utf-8", xml_declaration=True))
    return archive.getvalue()
