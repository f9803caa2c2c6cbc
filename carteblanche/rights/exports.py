"""What the platform holds about a person, as she downloads it: JSON for software (field keys, ISO dates) and a
PDF for people (French headings, French dates, amounts in euros), both from the same data."""

import datetime

from carteblanche.audit.models import JournalEntry
from carteblanche.core import french

from .access import Reader
from .models import AnnualIncome, MonthlyIncome


def export_data(person) -> dict:
    """Everything the platform holds about a person, as she downloads it."""

    def provenance(row):
        return row.provenance_label

    return {
        "identite": {
            "prenom": person.first_name,
            "nom": person.last_name,
            "date_naissance": person.birth_date.isoformat(),
            "courriel": person.email,
            "telephone": person.phone,
            "numero_allocataire": person.caf_number,
            "identifiant_france_travail": person.france_travail_id,
        },
        "logement": {
            "commune": str(person.commune) if person.commune_id else None,
            "statut": person.get_tenure_display() if person.tenure else None,
            "loyer": float(person.rent) if person.rent is not None else None,
            "provenance": person.provenance,
        },
        "foyer": [
            {
                "role": m.get_role_display(),
                "prenom": m.first_name,
                "date_naissance": m.birth_date.isoformat(),
                "taux_incapacite": m.disability_rate,
                "inscrit_france_travail": m.job_seeker,
                "debut_chomage": m.unemployment_start.isoformat() if m.unemployment_start else None,
                "provenance": provenance(m),
            }
            for m in person.members.all()
        ],
        "revenus_mensuels": [
            {
                "membre": i.member.first_name,
                "mois": f"{i.month:%Y-%m}",
                "nature": i.get_kind_display(),
                "montant": float(i.amount),
                "provenance": provenance(i),
            }
            for i in MonthlyIncome.objects.readable_by(Reader.own(person)).select_related(
                "member", "source_organisation"
            )
        ],
        "revenus_annuels": [
            {
                "membre": i.member.first_name,
                "annee": i.year,
                "nature": i.get_kind_display(),
                "montant": float(i.amount),
            }
            for i in AnnualIncome.objects.filter(member__person=person).select_related("member")
        ],
        "prestations_percues": [
            {
                "prestation": b.get_benefit_display(),
                "mois": f"{b.month:%Y-%m}",
                "montant": float(b.amount),
                "provenance": provenance(b),
            }
            for b in person.benefits.select_related("source_organisation")
        ],
        "consentements": [
            {
                "debut": c.starts_at.isoformat(),
                "fin": c.ends_at.isoformat(),
                "retire_le": c.revoked_at.isoformat() if c.revoked_at else None,
                "donnees": c.category_labels,
                "finalites": c.purpose_labels,
                "organisations": [str(o) for o in c.organisations.all()],
                "recueilli": c.get_channel_display(),
                "agent": str(c.agent) if c.agent_id else None,
            }
            for c in person.consents.all()
        ],
        "suivis": [
            {"date": f.created_at.isoformat(), "organisation": str(f.organisation), "note": f.note}
            for f in person.follow_ups.select_related("organisation")
        ],
        "orientations": [
            {
                "date": r.created_at.isoformat(),
                "de": str(r.from_organisation),
                "vers": str(r.to_organisation),
                "motif": r.reason,
                "etat": r.get_status_display(),
            }
            for r in person.referrals.select_related("from_organisation", "to_organisation")
        ],
        "messages_recus": [
            {"date": n.sent_at.isoformat(), "canal": n.get_channel_display(), "objet": n.subject, "texte": n.body}
            for n in person.notices.all()
        ],
        "droits_examines": [
            {
                "mois": f"{a.month:%Y-%m}",
                "calcule_le": a.computed_at.isoformat(),
                "droits": a.results,
                "hypotheses": a.assumptions,
            }
            for a in person.assessments.all()
        ],
        "journal": [
            {
                "date": e.created_at.isoformat(),
                "action": e.get_action_display(),
                "auteur": e.author_for_person,
                "motif": e.reason,
                "donnees": e.fields,
            }
            for e in JournalEntry.objects.about(person)
        ],
    }


# The JSON's keys, as a person reads them.
_LABELS = {
    "prenom": "Prénom",
    "nom": "Nom",
    "date_naissance": "Date de naissance",
    "courriel": "Adresse e-mail",
    "telephone": "Téléphone",
    "numero_allocataire": "Numéro d'allocataire CAF",
    "identifiant_france_travail": "Identifiant France Travail",
    "commune": "Commune",
    "statut": "Statut d'occupation",
    "loyer": "Loyer mensuel",
    "role": "Rôle",
    "taux_incapacite": "Taux d'incapacité",
    "inscrit_france_travail": "Inscription à France Travail",
    "debut_chomage": "Date d'inscription à France Travail",
    "provenance": "Provenance",
    "membre": "Membre du foyer",
    "mois": "Mois",
    "annee": "Année",
    "nature": "Nature",
    "montant": "Montant",
    "prestation": "Prestation",
    "debut": "Du",
    "fin": "Au",
    "retire_le": "Retiré le",
    "donnees": "Données",
    "finalites": "Pour",
    "organisations": "Organisations",
    "recueilli": "Recueilli",
    "agent": "Par",
    "date": "Date",
    "organisation": "Organisation",
    "note": "Note",
    "de": "De",
    "vers": "Vers",
    "motif": "Motif",
    "etat": "État",
    "canal": "Canal",
    "objet": "Objet",
    "texte": "Message",
    "calcule_le": "Calculé le",
    "hypotheses": "Hypothèses",
    "action": "Action",
    "auteur": "Par",
}
_SECTIONS = {
    "identite": "Identité",
    "logement": "Logement",
    "foyer": "Foyer",
    "revenus_mensuels": "Revenus mensuels",
    "revenus_annuels": "Revenus annuels",
    "prestations_percues": "Prestations perçues",
    "consentements": "Consentements",
    "suivis": "Suivis",
    "orientations": "Orientations",
    "messages_recus": "Messages reçus",
    "droits_examines": "Droits examinés",
    "journal": "Journal des accès à vos données",
}
_HIDDEN = {"provenance_logement", "droits"}  # the rights examined are listed by month, not as their raw table


def _readable_value(key: str, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if key == "provenance" and isinstance(value, dict):
        return "\n".join(_provenance_line(field, origin) for field, origin in value.items())
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return french.join([str(v) for v in value])
    if key in ("montant", "loyer"):
        return french.euros(value, 2)
    if key == "telephone":
        return french.phone(value)
    if key == "taux_incapacite":
        return f"{french.number(value)}{french.NBSP}%"
    if key == "mois" and isinstance(value, str) and len(value) == 7:
        return french.month(datetime.date.fromisoformat(value + "-01"))
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) == 10:
            return french.date(moment.date())
        from django.utils import timezone

        return french.datetime_(timezone.localtime(moment) if timezone.is_aware(moment) else moment)
    return str(value)


def _provenance_line(field: str, origin) -> str:
    """« Prénom : déclaré par la personne, le 3 décembre 2026 » for one field of the person's provenance."""
    from .models import Person

    try:
        label = str(Person._meta.get_field(field).verbose_name)
    except Exception:  # a field since removed: its key is all there is
        label = field
    if not isinstance(origin, dict):
        return f"{label[:1].upper()}{label[1:]} : {origin}"
    line = f"{label[:1].upper()}{label[1:]} : {str(origin.get('source') or '—').lower()}"
    if origin.get("at"):
        line += f", le {_readable_value('date', origin['at'])}"
    return line


def readable(data: dict) -> list[dict]:
    """The export as sections a person reads: a title, and either label–value rows or a table."""
    sections = []
    for key, title in _SECTIONS.items():
        content = data.get(key)
        if isinstance(content, dict):
            rows = [(_LABELS.get(k, k), _readable_value(k, v)) for k, v in content.items() if k != "provenance" or v]
            sections.append({"title": title, "rows": rows})
        else:
            items = content or []
            columns = [k for k in (items[0] if items else {}) if k not in _HIDDEN]
            sections.append(
                {
                    "title": title,
                    "headers": [_LABELS.get(k, k) for k in columns],
                    "table": [[_readable_value(k, item.get(k)) for k in columns] for item in items],
                }
            )
    return sections
