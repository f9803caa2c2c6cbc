"""Every door of the platform and every identity that knocks: what the permission matrix is made of.

``routes()`` reads the URL configuration itself (the administration aside: Django's own, behind its login and
``is_staff``); ``url_for(name)`` fills each route with a real object of the demo's living area (Cahors), so that a
refusal is a refusal and not a missing object; ``identities()`` builds one browser per role, each a member of
Cahors ("own territory") or of Figeac ("other territory"); ``knock`` asks a route as a person would: a GET, or for a
route that takes only POST, an empty POST inside a transaction that is rolled back.
"""

import datetime
from copy import deepcopy
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = (
    "anonyme",
    "habitante",
    "agent_caf",
    "agent_gc",
    "equipe",
    "prefecture",
    "jury",
    "autre_agent",
    "autre_equipe",
    "autre_prefecture",
    "autre_jury",
)
CAHORS = "bassin-de-vie-de-cahors"
FIGEAC = "bassin-de-vie-de-figeac"


def routes() -> dict[str, str]:
    """``{"namespace:name": "pattern"}`` for every route outside the administration."""
    found = {}

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = ":".join(n for n in (namespace, entry.namespace) if n)
                walk(entry, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
                found[name] = prefix + str(entry.pattern)

    walk(get_resolver(), "", "")
    from django.conf import settings

    admin = settings.ADMIN_URL
    return {name: route for name, route in found.items() if not (admin and route.startswith(admin))}


def _first(model, **lookup):
    obj = model.objects.filter(**lookup).order_by("pk").first()
    assert obj is not None, f"la démonstration n'a aucun {model.__name__} pour {lookup}"
    return obj


def _kwargs() -> dict[str, dict]:
    from carteblanche.codesign.models import Derogation, Experiment, Hackathon, Persona, Workshop
    from carteblanche.exploration.demo import SLUG as OPERATION
    from carteblanche.exploration.models import Attachment, Evidence, Excerpt, FieldVisit, Irritant, Theme
    from carteblanche.mobility.models import Bus, CandidateStop, Driver, Passenger, PlannedVisit, RideRequest, TourPlan
    from carteblanche.operations.models import Phase
    from carteblanche.rights.models import Consent, HouseholdMember

    op = {"slug": OPERATION}
    area = {"slug": CAHORS}
    in_op = {"operation__slug": OPERATION}
    in_area = {"territory__slug": CAHORS}
    visit = _first(FieldVisit, **in_op, excerpts__isnull=False)
    if not visit.attachments.exists():
        from django.core.files.uploadedfile import SimpleUploadedFile

        from carteblanche.exploration.services import attachment_add

        team = get_user_model().objects.get(email="equipe@demo.carteblanche.fr")
        note = SimpleUploadedFile("compte-rendu.txt", b"Compte rendu de la visite.", "text/plain")
        attachment_add(visit=visit, upload=note, actor=team)
    report = Evidence.objects.filter(irritant__operation__slug=OPERATION, report__contact__isnull=False).first()
    if report is None:
        from carteblanche.exploration.services import report_submit
        from carteblanche.operations.models import Operation

        irritant = report_submit(
            operation=Operation.objects.get(slug=OPERATION),
            what_happened="Le bus ne passe plus le mercredi à Arcambal.",
            contact={"consent_recontact": True, "first_name": "Lucie", "email": "lucie@exemple.fr"},
        )
        report = irritant.evidence.get()
    evidence = _first(Evidence, irritant__operation__slug=OPERATION)
    person = resident()
    public_id = {"public_id": person.public_id}
    experiment = _first(Experiment, **in_op)
    workshop = _first(Workshop, **in_op)
    derogation = Derogation.objects.filter(**in_op).order_by("pk").first() or _derogation(experiment)
    bus = _first(Bus, **in_area)
    ride = _first(RideRequest, **in_area)
    served = _first(PlannedVisit, plan__territory__slug=CAHORS, plan__status="publie").stop.commune.insee_code
    from carteblanche.quality.models import Answer, Recontact, Structure, Visit
    from carteblanche.quality.models import Experience as QualityExperience

    counter = _first(Structure, **in_area, organisation__name="CAF du Lot")
    public = {**area, "code": counter.public_code}
    counter_visit = {**area, "pk": counter.pk, "visit_pk": _first(Visit, structure=counter, outcome="oriente").pk}
    from django.utils import timezone

    from carteblanche.bookings import slots
    from carteblanche.bookings.models import Appointment, Motif, Resource, Schedule

    booth = _first(Motif, **in_area, no_health_data=True)
    coaching = _first(Motif, **in_area, sessions__gt=1)
    free = slots.first_free(booth, now=timezone.now())
    coached = slots.free_slots(
        coaching,
        first=timezone.localdate(),
        last=timezone.localdate() + datetime.timedelta(days=13),
        now=timezone.now(),
    )
    caf_appointment = _first(Appointment, **in_area, motif__organisation__name="CAF du Lot")
    from carteblanche.childcare.models import Need, Proposal

    sarahs_need = _first(Need, **in_area)
    sarahs_proposal = _first(Proposal, need=sarahs_need)
    from carteblanche.vigies.models import Campaign, Signal, Vigie

    # Handed by the Grand Cahors (agent_gc triages) to the Département: agent_caf, of neither, does not see it.
    handed = {**area, "pk": _first(Signal, network__territory__slug=CAHORS, assigned_to__name="Département du Lot").pk}
    heat = _first(Campaign, territory__slug=CAHORS)
    plan = {**area, "pk": heat.pk}
    registered = {**area, "pk": heat.communes.first().register_entries.first().pk}
    return {
        "vigies:campaign": plan,
        "vigies:campaign_progress": plan,
        "vigies:campaign_csv": plan,
        "vigies:campaign_end": plan,
        "vigies:call": {**plan, "entry": heat.communes.first().register_entries.first().pk},
        "vigies:signal": handed,
        "vigies:signal_qualify": handed,
        "vigies:signal_assign": handed,
        "vigies:signal_answer": handed,
        "vigies:signal_contact": handed,
        "vigies:signal_close": handed,
        "vigies:signal_inform": handed,
        "vigies:signal_object": handed,
        "vigies:signal_person_link": handed,
        "vigies:vigie_link": {**area, "pk": _first(Vigie, network__territory__slug=CAHORS, is_active=True).pk},
        "vigies:register_entry": registered,
        "vigies:register_letter": registered,
        "vigies:register_letter_sent": registered,
        "vigies:register_leave": registered,
        "childcare:need": {**area, "pk": sarahs_need.pk},
        "childcare:need_propose": {**area, "pk": sarahs_need.pk},
        "childcare:proposal_send": {**area, "pk": sarahs_need.pk, "proposal_pk": sarahs_proposal.pk},
        "bookings:manage": {"token": "lien-inconnu"},
        "bookings:manage_cancel": {"token": "lien-inconnu"},
        "bookings:manage_move": {"token": "lien-inconnu"},
        "bookings:manage_ics": {"token": "lien-inconnu"},
        "bookings:offer": {"token": "lien-inconnu"},
        "bookings:feed": {"token": "lien-inconnu"},
        "childcare:answer": {"token": "lien-inconnu"},
        "childcare:availability": {"token": "lien-inconnu"},
        "vigies:vigie": {"token": "lien-inconnu"},
        "vigies:resident_signal": {"slug": _vigie_network().territory.slug},
        "bookings:public_slots": {**area, "pk": booth.pk},
        "bookings:waitlist": {**area, "pk": booth.pk},
        "bookings:public_book": {**area, "pk": booth.pk, "key": free.key},
        "bookings:counter_slots": {**area, "pk": coaching.pk},
        "bookings:counter_book": {**area, "pk": coaching.pk, "key": coached[0].key},
        "bookings:appointment": {**area, "pk": caf_appointment.pk},
        "bookings:appointment_mark": {**area, "pk": caf_appointment.pk},
        "bookings:appointment_cancel": {**area, "pk": caf_appointment.pk},
        "bookings:setup_motif_edit": {**area, "pk": booth.pk},
        "bookings:setup_resource_edit": {**area, "pk": _first(Resource, organisation=booth.organisation).pk},
        "bookings:setup_schedule_edit": {**area, "pk": _first(Schedule, organisation=booth.organisation).pk},
        "bookings:setup_schedule_end": {**area, "pk": _first(Schedule, organisation=booth.organisation).pk},
        "core:job": {"pk": _job().pk},
        "core:job_progress": {"pk": _job().pk},
        "territories:detail": area,
        "territories:geojson": area,
        "territories:members": area,
        "territories:access_week": area,
        "operations:operation_create": {"territory_slug": CAHORS},
        "operations:phase": {**op, "pk": _first(Phase, **in_op).pk},
        "operations:phase_delete": {**op, "pk": _first(Phase, **in_op).pk},
        "exploration:visit": {**op, "pk": visit.pk},
        "exploration:visit_edit": {**op, "pk": visit.pk},
        "exploration:attachment_add": {**op, "pk": visit.pk},
        "exploration:attachment": {**op, "pk": visit.pk, "attachment_pk": _first(Attachment, visit=visit).pk},
        "exploration:excerpt_add": {**op, "pk": visit.pk},
        "exploration:excerpt_delete": {**op, "pk": visit.pk, "excerpt_pk": _first(Excerpt, visit=visit).pk},
        "exploration:excerpts_export": {**op, "fmt": "csv"},
        "exploration:irritant": {**op, "pk": _first(Irritant, **in_op).pk},
        "exploration:irritant_edit": {**op, "pk": _first(Irritant, **in_op).pk},
        "exploration:irritant_merge": {**op, "pk": _first(Irritant, **in_op).pk},
        "exploration:evidence_add": {**op, "pk": evidence.irritant_id},
        "exploration:evidence_remove": {**op, "pk": evidence.irritant_id, "evidence_pk": evidence.pk},
        "exploration:contact": {**op, "pk": report.irritant_id, "report_pk": report.report_id},
        "exploration:theme": {**op, "pk": _first(Theme, **in_op).pk},
        "codesign:persona": {**op, "pk": _first(Persona, **in_op).pk},
        "codesign:persona_edit": {**op, "pk": _first(Persona, **in_op).pk},
        "codesign:workshop": {**op, "pk": workshop.pk},
        "codesign:workshop_edit": {**op, "pk": workshop.pk},
        "codesign:board": {**op, "pk": workshop.pk},
        "codesign:projector": {**op, "pk": workshop.pk},
        "codesign:experiment": {**op, "pk": experiment.pk},
        "codesign:derogation_create": {**op, "experiment_pk": experiment.pk},
        "codesign:derogation": {**op, "pk": derogation.pk},
        "codesign:derogation_pdf": {**op, "pk": derogation.pk},
        "codesign:hackathon": {**op, "pk": _first(Hackathon, **in_op).pk},
        "codesign:hackathon_jury": {**op, "pk": _first(Hackathon, **in_op).pk},
        "codesign:report": {**op, "fmt": "ods"},
        "codesign:join": {"invitation": workshop.invitation},
        "codesign:participate": {"invitation": workshop.invitation},
        "codesign:participate_ideas": {"invitation": workshop.invitation},
        "rights:import": {**area, "pk": _data_import().pk},
        "rights:referral_answer": {**area, "pk": _referral(person).pk},
        "rights:member": {**area, **public_id, "pk": _first(HouseholdMember, person=person).pk},
        "rights:remove_member": {**area, **public_id, "pk": _first(HouseholdMember, person=person).pk},
        "rights:revoke": {**area, **public_id, "pk": _first(Consent, person=person).pk},
        "rights:space_enter": {"token": "lien-inconnu"},
        "rights:space_revoke": {"pk": _first(Consent, person=person).pk},
        "rights:space_export": {"fmt": "json"},
        "rights:space_signal_object": {"pk": _her_signal(person).pk},
        "rights:space_register_leave": {"pk": _her_entry(person).pk},
        "mobility:bus_edit": {**area, "pk": bus.pk},
        "mobility:shift": {**area, "pk": bus.pk, "weekday": 0},
        "mobility:stop_edit": {**area, "pk": _first(CandidateStop, **in_area).pk},
        "mobility:plan": {**area, "pk": _first(TourPlan, **in_area).pk},
        "mobility:plan_publish": {**area, "pk": _first(TourPlan, **in_area).pk},
        "mobility:public_commune": {**area, "insee": served},
        "mobility:public_ics": {**area, "insee": served},
        "mobility:public_poster": {**area, "insee": served},
        "mobility:passenger_edit": {**area, "pk": _first(Passenger, **in_area).pk},
        "mobility:driver_edit": {**area, "pk": _first(Driver, **in_area).pk},
        "mobility:ride": {**area, "pk": ride.pk},
        "mobility:ride_assign": {**area, "pk": ride.pk},
        "mobility:ride_cancel": {**area, "pk": ride.pk},
        "mobility:ride_trip": {**area, "pk": ride.pk},
        "mobility:ride_rematch": {**area, "pk": ride.pk},
        "mobility:rides_year": {**area, "year": 2026},
        "mobility:answer": {"token": "lien-inconnu"},
        "public:operation": op,
        "quality:answer": {"code": counter.public_code},
        "quality:thanks": {"code": counter.public_code},
        "quality:answer_link": {"token": "lien-inconnu"},
        "quality:kiosk": {"token": "lien-inconnu"},
        "quality:kiosk_manifest": {"token": "lien-inconnu"},
        "quality:public_structure": public,
        "quality:tell": public,
        "quality:export": {**area, "what": "resultats", "fmt": "csv"},
        "quality:answer_review": {**area, "pk": _first(Answer, structure=counter).pk},
        "quality:experience": {**area, "pk": _first(QualityExperience, structure=counter).pk},
        "quality:structure": {**area, "pk": counter.pk},
        "quality:structure_edit": {**area, "pk": counter.pk},
        "quality:visit_arrive": {**area, "pk": counter.pk},
        "quality:calls": {**area, "pk": counter.pk},
        "quality:paper": {**area, "pk": counter.pk},
        "quality:poster": {**area, "pk": counter.pk},
        "quality:kiosk_open": {**area, "pk": counter.pk},
        "quality:recontacts": {**area, "pk": counter.pk},
        "quality:recontact_done": {
            **area,
            "pk": counter.pk,
            "recontact_pk": _first(Recontact, answer__structure=counter).pk,
        },
        "quality:visit_seen": counter_visit,
        "quality:visit_done": counter_visit,
        "quality:visit_answered": counter_visit,
        "quality:visit_invite": counter_visit,
    }, public_id


def resident():
    """The resident who knocks with her own space open: a person of Cahors with a household and consents."""
    from carteblanche.rights.models import Person

    return _first(Person, territory__slug=CAHORS, members__isnull=False, consents__isnull=False)


def _her_signal(person):
    """A signal of a vigie brought to the resident's space (its structure found her by name and birth date)."""
    from carteblanche.vigies.models import Signal

    kept = Signal.objects.filter(network__territory__slug=CAHORS, objected_at__isnull=True, anonymised_at__isnull=True)
    signal = kept.order_by("-pk").first()  # the last one: the doors of the structure knock the first ones
    assert signal is not None, "la démonstration n'a aucun signalement à Cahors"
    Signal.objects.filter(pk=signal.pk).update(person=person)
    return signal


def _her_entry(person):
    """Her registration in her commune's register of vulnerable people (her name and birth date)."""
    from carteblanche.vigies.models import RegisterEntry

    entry = RegisterEntry.objects.filter(territory__slug=CAHORS, objected_at__isnull=True).order_by("-pk").first()
    assert entry is not None, "la démonstration n'a aucune inscription au registre à Cahors"
    entry.first_name, entry.last_name, entry.birth_date = person.first_name, person.last_name, person.birth_date
    entry.save()
    return entry


def _derogation(experiment):
    """A request submitted to the prefect, as the team writes one."""
    from carteblanche.codesign.enums import DerogationDomain
    from carteblanche.codesign.models import Derogation
    from carteblanche.codesign.services import derogation_draft, derogation_submit

    team = get_user_model().objects.get(email="equipe@demo.carteblanche.fr")
    draft = Derogation(
        rule_text="Les horaires d'accueil sont fixés par arrêté.",
        rule_reference="arrêté du 3 mars 2016",
        domain=DerogationDomain.values[0],
        motive="Ouvrir le samedi matin pour les personnes qui travaillent.",
        scope="France services de Cahors",
        duration_months=12,
    )
    derogation = derogation_draft(derogation=draft, operation=experiment.operation, experiment=experiment, actor=team)
    derogation_submit(derogation, actor=team)
    return derogation


def _data_import():
    """A file of the CAF imported by its agent (the CAF's agents see it; the other organisations do not)."""
    from carteblanche.rights.enums import ImportKind, ImportStatus
    from carteblanche.rights.models import DataImport

    agent = get_user_model().objects.get(email="agent.caf@demo.carteblanche.fr")
    membership = agent.memberships.get(territory__slug=CAHORS)
    found = DataImport.objects.filter(territory=membership.territory, organisation=membership.organisation).first()
    return found or DataImport.objects.create(
        territory=membership.territory,
        organisation=membership.organisation,
        kind=ImportKind.values[0],
        file_name="caf-2026-11.json",
        status=ImportStatus.DONE,
        created_by=agent,
    )


def _referral(person):
    """The CAF sends a person to the Grand Cahors's France services: the receiving organisation answers it."""
    from carteblanche.rights.models import Referral

    found = Referral.objects.filter(person__territory__slug=CAHORS).order_by("pk").first()
    if found:
        return found
    users = get_user_model().objects
    sender = users.get(email="agent.caf@demo.carteblanche.fr").memberships.get(territory__slug=CAHORS)
    receiver = users.get(email="agent.franceservices@demo.carteblanche.fr").memberships.get(territory__slug=CAHORS)
    return Referral.objects.create(
        person=person,
        from_organisation=sender.organisation,
        to_organisation=receiver.organisation,
        reason="Aide à la déclaration de ressources.",
        created_by=sender.user,
    )


def _vigie_network():
    """The network of vigies of the Grand Cahors's France services, to which residents of Cahors signal."""
    from carteblanche.territories.models import Organisation, Territory
    from carteblanche.vigies.models import Network

    found = Network.objects.filter(territory__slug=CAHORS).order_by("pk").first()
    if found is not None:
        return found
    territory = Territory.objects.get(slug=CAHORS)
    organisation = Organisation.objects.get(territory=territory, name__startswith="Grand Cahors")
    return Network.objects.create(territory=territory, organisation=organisation, name="Vigies du Grand Cahors")


def _job():
    """A job an agent of the CAF started: her colleagues of the CAF see it, no one else."""
    from carteblanche.core.models import Job
    from carteblanche.territories.models import Territory

    agent = get_user_model().objects.get(email="agent.caf@demo.carteblanche.fr")
    job, _ = Job.objects.get_or_create(
        kind="screening",
        created_by=agent,
        territory=Territory.objects.get(slug=CAHORS),
        defaults={"label": "Examen des droits"},
    )
    return job


def urls() -> dict[str, str]:
    """Every route as a concrete address on the demo's objects of Cahors."""
    from carteblanche.exploration.demo import SLUG as OPERATION

    specific, public_id = _kwargs()
    found = {}
    for name, route in routes().items():
        if name in specific:
            kwargs = specific[name]
        elif route.startswith("operations/<slug:slug>") or route.startswith("participer/"):
            kwargs = {"slug": OPERATION}
        elif "<uuid:public_id>" in route:
            kwargs = {"slug": CAHORS, **public_id}
        elif "<slug:slug>" in route:
            kwargs = {"slug": CAHORS}
        else:
            kwargs = {}
        found[name] = reverse(name, kwargs=kwargs)
    return found


@dataclass
class Identity:
    role: str
    client: Client


def _member(email: str, territory_slug: str, role: str, organisation=None):
    from carteblanche.accounts.models import Membership
    from carteblanche.territories.models import Territory

    user, _ = get_user_model().objects.get_or_create(email=email)
    Membership.objects.get_or_create(
        user=user, territory=Territory.objects.get(slug=territory_slug), role=role, organisation=organisation
    )
    return user


def identities() -> list[Identity]:
    from carteblanche.accounts.enums import Role
    from carteblanche.core import links
    from carteblanche.rights import space

    users = get_user_model().objects
    logged = {
        "agent_caf": users.get(email="agent.caf@demo.carteblanche.fr"),
        "agent_gc": users.get(email="agent.franceservices@demo.carteblanche.fr"),
        "equipe": users.get(email="equipe@demo.carteblanche.fr"),
        "prefecture": users.get(email="prefecture@demo.carteblanche.fr"),
        "jury": users.get(email="jury@demo.carteblanche.fr"),
        "autre_agent": users.get(email="agent.figeac@demo.carteblanche.fr"),
        "autre_equipe": _member("equipe.figeac@exemple.fr", FIGEAC, Role.PROJECT_TEAM),
        "autre_prefecture": _member("prefecture.figeac@exemple.fr", FIGEAC, Role.PREFECTURE),
        "autre_jury": _member("jury.figeac@exemple.fr", FIGEAC, Role.JURY),
    }
    found = [Identity("anonyme", Client())]
    browser = Client()
    person = resident()
    token = links.issue(purpose=space.LINK_PURPOSE, target=person, lifetime=space.LINK_LIFETIME)
    browser.post(reverse("rights:space_enter", args=[token]))
    found.append(Identity("habitante", browser))
    for role in ROLES[2:]:
        client = Client()
        client.force_login(logged[role])
        found.append(Identity(role, client))
    return found


def knock(client: Client, url: str) -> int:
    """The status a person gets at this address: a GET, or an empty POST (rolled back) where only POST is taken.

    The POST goes through a copy of the browser: a logout must not end the identity's session for the next door."""
    response = client.get(url)
    _finish(response)
    if response.status_code != 405:
        return _code(response)
    copy = Client()
    copy.cookies = deepcopy(client.cookies)
    with transaction.atomic():
        response = copy.post(url, {})
        _finish(response)
        transaction.set_rollback(True)
    return _code(response)


def _finish(response) -> None:
    """A file served (an attachment) is read to its end, which closes it as a server would."""
    if response.streaming:
        b"".join(response.streaming_content)


def _code(response) -> int:
    """302 to the login is « 302 » ; any other redirection (after a form, to a page of the service) is « 303 »."""
    if response.status_code in (301, 302):
        path = response["Location"].split("?")[0]
        return 302 if path in (reverse("accounts:login"), reverse("rights:space_login")) else 303
    return response.status_code
