"""The agent's one-stop console, and the person's own space. Views stay thin: access.py and services.py decide."""

import functools
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from carteblanche.accounts import oidc
from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.core import french, retention
from carteblanche.core.enums import JobStatus
from carteblanche.core.jobs import start_job
from carteblanche.core.models import Job
from carteblanche.core.pdf import html_to_pdf
from carteblanche.core.throttle import Throttle
from carteblanche.core.views import permission_denied
from carteblanche.territories.models import Territory
from carteblanche.vigies import information as vigies_information
from carteblanche.vigies import register_book
from carteblanche.vigies import space as vigies_space
from carteblanche.vigies.services import VigieError

from . import counter, exports, referrals, services
from . import space as own_space
from .access import (
    ConsentMissing,
    Reader,
    journal_read,
    journal_reads,
    open_file,
    person_for,
    readable_categories,
    readable_categories_of,
    record_write,
    revoke,
)
from .enums import ConsentChannel, DataCategory, MemberRole, ReferralStatus
from .forms import (
    AccessRequestForm,
    ConsentForm,
    FollowUpForm,
    FranceConnectFileForm,
    HousingForm,
    ImportForm,
    IncomeCorrectionForm,
    MemberFactsForm,
    MemberForm,
    PartnerConsentForm,
    ReferralAnswerForm,
    ReferralForm,
    RegisterForm,
    ScenarioForm,
    SearchForm,
    SmsCodeForm,
    SmsCodeRequestForm,
)
from .models import (
    AssessmentTrigger,
    DataImport,
    HouseholdMember,
    MonthlyIncome,
    Person,
    Referral,
    RightsAssessment,
)

SESSION_KEY = "rights_person_id"


def consent_guard(view):
    """A refused read is journaled; answering (instead of raising) keeps the request's transaction, and so the
    journal line, from being rolled back."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ConsentMissing as refusal:
            return permission_denied(request, refusal)

    return wrapper


def _territory(request, slug) -> Territory:
    return get_object_or_404(Territory.objects.for_user(request.user), slug=slug)


def _reader(request, territory) -> Reader:
    return Reader.agent(request.user, territory)


def _errors_text(form) -> str:
    """A form's errors in one French sentence, for a message on the page the agent goes back to."""
    return " ".join(e for errors in form.errors.values() for e in errors)


def _crumbs(territory, current, *links):
    return {
        "links": [{"url": reverse("rights:console", args=[territory.slug]), "title": "Droits des usagers"}, *links],
        "current": current,
    }


# --- Agent console ------------------------------------------------------------------------------------


def console(request, slug):
    territory = _territory(request, slug)
    reader = _reader(request, territory)
    forms_search = SearchForm(request.GET or None)
    results = None
    if forms_search.is_valid() and forms_search.cleaned_data["q"]:
        q = forms_search.cleaned_data["q"].strip()
        words = q.split()
        query = Q()
        for word in words:
            query &= Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(caf_number=word)
        results = list(Person.objects.readable_by(reader).filter(query)[:50])
        journal_reads(reader, results, reason=f"Recherche au guichet : « {q[:80]} »", fields=["Identité"])
    unclaimed = _unclaimed(reader)
    journal_reads(reader, [a.person for a in unclaimed], reason="Liste des droits probables non perçus")
    jobs = Job.objects.filter(territory=territory, kind="rights.screen_territory").order_by("-created_at")[:1]
    return render(
        request,
        "rights/console.html",
        {
            "title": f"Droits des usagers — {territory.name}",
            "territory": territory,
            "reader": reader,
            "form": forms_search,
            "results": results,
            "unclaimed": unclaimed,
            "last_job": jobs[0] if jobs else None,
            "new_referrals": referrals.inbox(reader).filter(status=ReferralStatus.SENT).count(),
            "breadcrumb_data": {"current": "Droits des usagers"},
        },
    )


def _income_rows(file) -> list[dict]:
    """The incomes of the 12 most recent months known, newest first, with the member each belongs to and whose
    consent it is read under (a partner's own records are read under hers)."""
    months = set(sorted({i.month for i in file.incomes}, reverse=True)[:12])
    members = {m.pk: m for m in file.members}
    shown = [i.pk for i in file.incomes if i.month in months]
    own = set(MonthlyIncome.objects.filter(pk__in=shown).partner_own().values_list("pk", flat=True))
    return [
        {"income": i, "member": members.get(i.member_id), "own": i.pk in own}
        for i in sorted(file.incomes, key=lambda i: (i.month, i.member_id, i.kind), reverse=True)
        if i.month in months
    ]


def _unclaimed(reader, limit=100) -> list[RightsAssessment]:
    """Probable rights not claimed, from each file's latest assessment, biggest first: only files the consent
    opens to this reader, and only assessments computed from data she may read herself."""
    latest = (
        RightsAssessment.objects.filter(person=OuterRef("person")).order_by("-computed_at", "-pk").values("pk")[:1]
    )
    candidates = list(
        RightsAssessment.objects.filter(person__in=Person.objects.readable_by(reader), pk=Subquery(latest))
        .filter(unclaimed_count__gt=0)
        .select_related("person")
        .order_by("-unclaimed_total", "person__last_name")[: limit * 3]
    )
    readable = readable_categories_of(reader, [a.person_id for a in candidates])
    return [a for a in candidates if set(a.categories) <= readable.get(a.person_id, set())][:limit]


def register(request, slug):
    territory = _territory(request, slug)
    reader = _reader(request, territory)
    form = RegisterForm(request.POST or None, territory=territory, organisation=reader.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person, existed = services.register_with_consent(
            territory=territory,
            identity={f: data[f] for f in RegisterForm.Meta.fields},
            organisations=data["organisations"],
            categories=data["categories"],
            purposes=data["purposes"],
            days=data["days"],
            agent=request.user,
            organisation=reader.organisation,
        )
        if existed:
            messages.success(request, f"{person} avait déjà un dossier : son nouveau consentement y est rattaché.")
        else:
            messages.success(request, f"Dossier {french.of(person)} ouvert ; son consentement est enregistré.")
        return redirect("rights:person", territory.slug, person.public_id)
    return render(
        request,
        "layout/form_page.html",
        {
            "title": "Ouvrir un dossier avec le consentement de la personne",
            "heading": "Ouvrir un dossier avec le consentement de la personne",
            "form": form,
            "submit": "Enregistrer le dossier et le consentement",
            "breadcrumb_data": _crumbs(territory, "Nouveau dossier"),
        },
    )


def _person(request, territory, public_id, reason):
    reader = _reader(request, territory)
    candidate = get_object_or_404(Person.objects.filter(territory=territory), public_id=public_id)
    return reader, person_for(reader, candidate.pk, reason=reason)


@consent_guard
def person_detail(request, slug, public_id):
    territory = _territory(request, slug)
    reader, person = _person(request, territory, public_id, "Consultation du dossier au guichet")
    file = open_file(reader, person, reason="Consultation du dossier au guichet")
    assessment, previous = services.current_assessment(file, trigger=AssessmentTrigger.COUNTER)
    return render(
        request,
        "rights/person_detail.html",
        {
            "title": f"Dossier {french.of(person)}",
            "territory": territory,
            "person": person,
            "file": file,
            "income_rows": _income_rows(file),
            "assessment": assessment,
            "changes": services.changes(assessment, previous),
            "consents": person.consents.prefetch_related("organisations").select_related("agent", "given_by"),
            "follow_ups": person.follow_ups.filter(organisation__in=reader.organisations).select_related(
                "author", "organisation"
            ),
            "referrals": person.referrals.filter(
                Q(from_organisation__in=reader.organisations) | Q(to_organisation__in=reader.organisations)
            ).select_related("to_organisation", "created_by"),
            **_partner_context(file, territory, reader),
            "follow_up_form": FollowUpForm(),
            "referral_form": ReferralForm(person=person, exclude=reader.organisation),
            "categories": DataCategory,
            "breadcrumb_data": _crumbs(territory, str(person)),
        },
    )


def _partner_context(file, territory, reader, form=None) -> dict:
    partner = next((m for m in file.members if m.role == MemberRole.PARTNER), None)
    if partner is None:
        return {"partner": None}
    consents = [c for c in file.person.consents.all() if c.given_by_id == partner.pk]
    return {
        "partner": partner,
        "partner_consents": [c for c in consents if c.is_active()],
        "partner_consent_form": form or PartnerConsentForm(territory=territory, organisation=reader.organisation),
    }


@require_POST
@consent_guard
def partner_consent(request, slug, public_id):
    """The partner, at the counter, consents for her own records."""
    territory = _territory(request, slug)
    reader, person = _person(request, territory, public_id, "Consentement du conjoint pour ses propres relevés")
    partner = get_object_or_404(HouseholdMember.objects.readable_by(reader), person=person, role=MemberRole.PARTNER)
    form = PartnerConsentForm(request.POST, territory=territory, organisation=reader.organisation)
    if form.is_valid():
        services.give_consent(
            person,
            given_by=partner,
            organisations=form.cleaned_data["organisations"],
            purposes=form.cleaned_data["purposes"],
            days=form.cleaned_data["days"],
            channel=ConsentChannel.COUNTER,
            agent=request.user,
            agent_organisation=reader.organisation,
        )
        messages.success(request, f"Consentement {french.of(partner.first_name)} enregistré pour ses propres relevés.")
    else:
        problems = _errors_text(form)
        messages.error(request, f"Consentement {french.of(partner.first_name)} non enregistré : {problems}")
    return redirect("rights:person", territory.slug, person.public_id)


@consent_guard
def simulate(request, slug, public_id):
    territory = _territory(request, slug)
    reader, person = _person(request, territory, public_id, "Simulation d'un changement de situation")
    if request.method != "POST":
        journal_read(reader, person, reason="Simulation d'un changement de situation", fields=["Identité"])
    children = (
        person.members.filter(role=MemberRole.CHILD)
        if readable_categories(reader, person) >= {DataCategory.HOUSEHOLD}
        else []
    )
    form = ScenarioForm(
        request.POST or None,
        initial={"kind": "perte_emploi", "start": services.next_month()},
        territory=territory,
        children=children,
    )
    here = reverse("rights:simulate", args=[territory.slug, person.public_id])
    if request.method == "POST" and form.is_valid():
        from .tasks import what_if

        scenario = form.scenario()
        job = start_job(
            what_if,
            label=f"Simulation : {scenario.label.lower()}",
            user=request.user,
            territory=territory,
            params={"person": person.pk, "scenario": services.scenario_to_json(scenario)},
        )
        return redirect(f"{here}?tache={job.pk}")
    job, outcome = _what_if_job(request, person)
    context = {"job": job, "outcome": outcome, "here": here, "person": person}
    if job is not None and request.htmx:
        return render(request, "rights/includes/simulation.html", context)
    return render(
        request,
        "rights/simulate.html",
        {
            **context,
            "title": f"Simuler un changement — {person}",
            "territory": territory,
            "form": form,
            "back": reverse("rights:person", args=[territory.slug, person.public_id]),
            "breadcrumb_data": _crumbs(
                territory,
                "Simulation",
                {"url": reverse("rights:person", args=[territory.slug, person.public_id]), "title": str(person)},
            ),
        },
    )


def _what_if_job(request, person):
    """The what-if job named in ``?tache=``, if this agent started it for this person; its outcome once done."""
    job_id = request.GET.get("tache")
    if not job_id:
        return None, None
    try:
        job = Job.objects.filter(
            pk=job_id, kind="rights.what_if", created_by=request.user, params__person=person.pk
        ).first()
    except ValidationError:
        job = None
    if job is None:
        raise Http404("Simulation introuvable.")
    outcome = services.outcome_from_json(job.result["outcome"]) if job.status == JobStatus.SUCCEEDED else None
    return job, outcome


@require_POST
@consent_guard
def add_follow_up(request, slug, public_id):
    territory = _territory(request, slug)
    reader, person = _person(request, territory, public_id, "Suivi de l'accompagnement")
    form = FollowUpForm(request.POST)
    if form.is_valid():
        services.note_follow_up(reader=reader, person=person, note=form.cleaned_data["note"])
        messages.success(request, "Suivi enregistré.")
    else:
        messages.error(request, "Le suivi est vide : écrivez la suite donnée.")
    return redirect("rights:person", territory.slug, person.public_id)


@require_POST
@consent_guard
def refer(request, slug, public_id):
    territory = _territory(request, slug)
    reader, person = _person(request, territory, public_id, "Orientation vers un partenaire")
    form = ReferralForm(request.POST, person=person, exclude=reader.organisation)
    if form.is_valid():
        try:
            referral = referrals.refer(reader=reader, person=person, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{person} est orientée vers {referral.to_organisation}.")
    else:
        problems = _errors_text(form)
        messages.error(request, f"Orientation non envoyée : {problems}")
    return redirect("rights:person", territory.slug, person.public_id)


def referral_inbox(request, slug):
    """The partner's side: referrals received by the agent's organisation."""
    territory = _territory(request, slug)
    reader = _reader(request, territory)
    received = list(referrals.inbox(reader)[:200])
    readable = referrals.readable_persons(reader, received)
    shown = [r for r in received if r.person_id in readable]
    journal_reads(reader, [r.person for r in shown], reason="Orientations reçues", fields=["Identité"])
    return render(
        request,
        "rights/referrals.html",
        {
            "title": f"Orientations reçues — {reader.organisation}",
            "territory": territory,
            "reader": reader,
            "referrals": [(r, r.person_id in readable) for r in received],
            "answer_form": ReferralAnswerForm(),
            "breadcrumb_data": _crumbs(territory, "Orientations reçues"),
        },
    )


@require_POST
def referral_answer(request, slug, pk):
    territory = _territory(request, slug)
    reader = _reader(request, territory)
    referral = get_object_or_404(
        Referral, pk=pk, person__territory=territory, to_organisation__in=reader.organisations
    )
    form = ReferralAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors_text(form))
        return redirect("rights:referrals", territory.slug)
    decision = form.cleaned_data["decision"]
    try:
        if decision == "terminer":
            referrals.finish(reader=reader, referral=referral, outcome=form.cleaned_data["text"])
        else:
            referrals.answer(
                reader=reader, referral=referral, accepted=decision == "accepter", reason=form.cleaned_data["text"]
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = {"accepter": "acceptée", "refuser": "refusée", "terminer": "terminée"}[decision]
        messages.success(request, f"Orientation {done} ; l'agent qui l'a envoyée en est informé.")
    return redirect("rights:referrals", territory.slug)


@require_POST
@consent_guard
def revoke_at_counter(request, slug, public_id, pk):
    """The person asks at the counter to withdraw a consent: the agent does it for her, named in the journal."""
    territory = _territory(request, slug)
    reader, person = _person(request, territory, public_id, "Retrait d'un consentement au guichet")
    consent = get_object_or_404(person.consents, pk=pk)
    revoke(consent, by_label=f"{request.user} ({reader.label}), à la demande de la personne", reader=reader)
    messages.success(request, "Le consentement est retiré.")
    if Person.objects.readable_by(reader).filter(pk=person.pk).exists():
        return redirect("rights:person", territory.slug, person.public_id)
    return redirect("rights:console", territory.slug)


def _situation_page(
    request,
    territory,
    reader,
    person,
    *,
    income_form=None,
    housing_form=None,
    member_form=None,
    new_member_form=None,
    status=200,
):
    file = open_file(reader, person, reason="Correction de la situation au guichet")
    members = HouseholdMember.objects.filter(pk__in=[m.pk for m in file.members])
    today = timezone.localdate()
    return render(
        request,
        "rights/situation.html",
        {
            "title": f"Corriger la situation — {person}",
            "territory": territory,
            "person": person,
            "file": file,
            "income_rows": _income_rows(file),
            "income_form": income_form
            or IncomeCorrectionForm(
                members=members,
                today=today,
                initial={
                    "member": person.applicant.pk,
                    "first": services.engine.month_add(today.replace(day=1), -2),
                    "last": today.replace(day=1),
                },
            ),
            "housing_form": housing_form or HousingForm(instance=person, territory=territory),
            "member_forms": [
                member_form
                if member_form is not None and member_form.instance.pk == m.pk
                else MemberFactsForm(instance=m, prefix=f"m{m.pk}")
                for m in file.members
            ],
            "new_member_form": new_member_form or MemberForm(),
            "categories": DataCategory,
            "breadcrumb_data": _crumbs(
                territory,
                "Corriger la situation",
                {"url": reverse("rights:person", args=[territory.slug, person.public_id]), "title": str(person)},
            ),
        },
        status=status,
    )


def _corrected(request, territory, person, assessment, what):
    """Back to the file, with the rights examined on the correction and what they changed."""
    changed = services.changes(assessment, services.previous_of(assessment))
    summary = " ".join(changed) if changed else "Aucun droit ne change."
    messages.success(request, f"{what} ; les droits sont réexaminés. {summary}")
    return redirect("rights:person", territory.slug, person.public_id)


@consent_guard
def situation(request, slug, public_id):
    """The page where an agent corrects what the imports got wrong or never had."""
    territory = _territory(request, slug)
    reader, person = _person(request, territory, public_id, "Correction de la situation au guichet")
    return _situation_page(request, territory, reader, person)


@require_POST
@consent_guard
def correct_incomes(request, slug, public_id):
    territory = _territory(request, slug)
    reader, person = _person(request, territory, public_id, "Correction des revenus au guichet")
    form = IncomeCorrectionForm(
        request.POST, members=HouseholdMember.objects.filter(person=person), today=timezone.localdate()
    )
    if not form.is_valid():
        return _situation_page(request, territory, reader, person, income_form=form, status=400)
    data = form.cleaned_data
    assessment = counter.correct_incomes(
        reader=reader,
        person=person,
        member=data["member"],
        kind=data["kind"],
        amounts=dict.fromkeys(data["months"], data["amount"]),
    )
    return _corrected(request, territory, person, assessment, "Revenus corrigés")


@require_POST
@consent_guard
def correct_housing(request, slug, public_id):
    territory = _territory(request, slug)
    reader, person = _person(request, territory, public_id, "Correction du logement au guichet")
    form = HousingForm(request.POST, instance=Person.objects.get(pk=person.pk), territory=territory)
    if not form.is_valid():
        return _situation_page(request, territory, reader, person, housing_form=form, status=400)
    assessment = counter.correct_housing(
        reader=reader, person=person, **{name: form.cleaned_data[name] for name in counter.HOUSING_FACTS}
    )
    return _corrected(request, territory, person, assessment, "Logement corrigé")


@require_POST
@consent_guard
def correct_member(request, slug, public_id, pk):
    territory = _territory(request, slug)
    reader, person = _person(request, territory, public_id, "Correction de la situation d'un membre du foyer")
    member = get_object_or_404(HouseholdMember, pk=pk, person=person)
    form = MemberFactsForm(request.POST, instance=HouseholdMember.objects.get(pk=member.pk), prefix=f"m{member.pk}")
    if not form.is_valid():
        return _situation_page(request, territory, reader, person, member_form=form, status=400)
    assessment = counter.correct_member(reader=reader, person=person, member=member, facts=form.facts())
    return _corrected(request, territory, person, assessment, f"Situation {french.of(member.first_name)} corrigée")


@require_POST
@consent_guard
def remove_member(request, slug, public_id, pk):
    territory = _territory(request, slug)
    reader, person = _person(request, territory, public_id, "Retrait d'un membre du foyer")
    member = get_object_or_404(HouseholdMember.objects.exclude(role="demandeur"), pk=pk, person=person)
    assessment = counter.remove_member(reader=reader, person=person, member=member)
    return _corrected(request, territory, person, assessment, f"{member.first_name} ne fait plus partie du foyer")


@require_POST
@consent_guard
def add_member(request, slug, public_id):
    territory = _territory(request, slug)
    reader, person = _person(request, territory, public_id, "Mise à jour de la composition du foyer")
    form = MemberForm(request.POST, person=person)
    if not form.is_valid():
        return _situation_page(request, territory, reader, person, new_member_form=form, status=400)
    assessment = counter.add_member(reader=reader, person=person, **form.cleaned_data)
    return _corrected(request, territory, person, assessment, "Membre du foyer ajouté")


def imports(request, slug):
    territory = _territory(request, slug)
    reader = _reader(request, territory)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        from .tasks import start_import

        job = start_import(reader=reader, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"])
        return redirect("core:job", job.pk)
    history = DataImport.objects.filter(territory=territory, organisation__in=reader.organisations).defer("content")
    return render(
        request,
        "rights/imports.html",
        {
            "title": "Importer des données transmises par une organisation",
            "territory": territory,
            "form": form,
            "organisation": reader.organisation,
            "history": history[:20],
            "breadcrumb_data": _crumbs(territory, "Imports"),
        },
    )


def import_detail(request, slug, pk):
    territory = _territory(request, slug)
    reader = _reader(request, territory)
    data_import = get_object_or_404(
        DataImport.objects.filter(territory=territory, organisation__in=reader.organisations).defer("content"), pk=pk
    )
    return render(
        request,
        "rights/import_detail.html",
        {
            "title": f"Import n° {data_import.pk}",
            "territory": territory,
            "result": data_import,
            "breadcrumb_data": _crumbs(
                territory,
                f"Import n° {data_import.pk}",
                {"url": reverse("rights:imports", args=[territory.slug]), "title": "Imports"},
            ),
        },
    )


@require_POST
def start_screening(request, slug):
    territory = _territory(request, slug)
    reader = _reader(request, territory)
    from .tasks import screen_territory

    job = start_job(
        screen_territory,
        label=f"Examen des droits — {territory.name} — {reader.label}",
        user=request.user,
        territory=territory,
        params={"organisations": [o.pk for o in reader.organisations]},
    )
    return redirect("core:job", job.pk)


# --- The person's own space ---------------------------------------------------------------------------


def _own_person(request) -> Person:
    person_id = request.session.get(SESSION_KEY)
    person = Person.objects.filter(pk=person_id).select_related("territory", "commune").first() if person_id else None
    if person is None:
        raise PermissionDenied("Votre session a expiré : demandez un nouveau lien de connexion.")
    return person


# Links and codes asked for or tried: five for one address or number, twenty from one network address.
# Residents share a counter's address: past a limit each request waits twice as long as the one before (seconds at
# first), nobody is locked out for a quarter of an hour by the others; their counters are not the staff's.
LINK_THROTTLE = Throttle("space-link", {"account": 5, "address": 20}, slowing=True)
SMS_THROTTLE = Throttle("space-sms", {"account": 5, "address": 20}, slowing=True)
CODE_THROTTLE = Throttle("space-code", {"account": 5, "address": 20}, slowing=True)


@login_not_required
def space_login(request):
    form = AccessRequestForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if wait := LINK_THROTTLE.wait(request, email):
            form.add_error("email", f"Trop de demandes de lien : réessayez dans {french.waiting(wait)}.")
            return _space_login_page(request, form=form)
        LINK_THROTTLE.hit(request, email)  # every request counts, whether the address is known or not
        own_space.send_links(email=email)
        sent = True  # the same answer whether the address is known or not
    return _space_login_page(request, form=form, sent=sent)


def _space_login_page(request, *, form=None, sms_form=None, sent=False, status=200):
    context = {
        "title": "Mon espace : mes données et mes droits",
        "form": form or AccessRequestForm(),
        "sms_form": sms_form or SmsCodeRequestForm(),
        "sent": sent,
    }
    franceconnect = oidc.provider("franceconnect")
    if franceconnect.configured:  # a server without FranceConnect shows no button
        context["franceconnect"] = True
        context["franceconnect_ok"], context["franceconnect_why"] = franceconnect.available()
    return render(request, "rights/space_login.html", context, status=status)


SMS_PHONE_KEY = "rights_sms_phone"


@login_not_required
@never_cache
@require_POST
def space_sms(request):
    """A person without e-mail asks for a one-time code by SMS (through ``SMS_BACKEND``)."""
    form = SmsCodeRequestForm(request.POST)
    if not form.is_valid():
        return _space_login_page(request, sms_form=form, status=400)
    phone = form.cleaned_data["phone"]
    if wait := SMS_THROTTLE.wait(request, phone):
        form.add_error("phone", f"Trop de demandes de code : réessayez dans {french.waiting(wait)}.")
        return _space_login_page(request, sms_form=form, status=429)
    SMS_THROTTLE.hit(request, phone)  # every request counts, whether the number is known or not
    own_space.send_codes(phone=phone)
    request.session[SMS_PHONE_KEY] = phone
    return redirect("rights:space_code")


@login_not_required
@never_cache
def space_code(request):
    phone = request.session.get(SMS_PHONE_KEY)
    if not phone:
        return redirect("rights:space_login")
    form = SmsCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if wait := CODE_THROTTLE.wait(request, phone):
            form.add_error("code", f"Trop d'essais : réessayez dans {french.waiting(wait)}.")
        else:
            person = own_space.enter_with_code(phone=phone, code=form.cleaned_data["code"])
            if person is None:
                CODE_THROTTLE.hit(request, phone)
                form.add_error(
                    "code", "Ce code n'est pas valable : vérifiez-le, ou demandez-en un nouveau (10 minutes au plus)."
                )
            else:
                CODE_THROTTLE.clear(request, phone)
                _log_in(request, person)
                return redirect("rights:space")
    masked = f"{phone[:2]} ** ** ** {phone[-2:]}"
    return render(
        request,
        "rights/space_code.html",
        {"title": "Saisir le code reçu par SMS", "form": form, "masked_phone": masked},
        status=200 if not form.errors else 400,
    )


def _log_in(request, person):
    request.session.cycle_key()
    request.session.pop(SMS_PHONE_KEY, None)
    request.session[SESSION_KEY] = person.pk
    request.session.set_expiry(own_space.SESSION_SECONDS)  # a France services computer is shared


@login_not_required
@never_cache
def space_enter(request, token):
    """A GET only shows a button (mail scanners that open links must not use them up); the POST logs in."""
    if not own_space.link_is_valid(token):
        messages.error(request, "Ce lien n'est plus valable : demandez-en un nouveau.")
        return redirect("rights:space_login")
    if request.method != "POST":
        return render(request, "rights/space_enter.html", {"title": "Accéder à mon espace"})
    person = own_space.enter_with_link(token)  # used once, even by two requests at the same instant
    if person is None:
        messages.error(request, "Ce lien n'est plus valable : demandez-en un nouveau.")
        return redirect("rights:space_login")
    _log_in(request, person)
    return redirect("rights:space")


@login_not_required
@never_cache
def space(request):
    person = _own_person(request)
    reader = Reader.own(person)
    file = open_file(reader, person, reason="Consultation de son propre dossier")
    assessment, _ = services.current_assessment(file, trigger=AssessmentTrigger.PERSON)
    journal = JournalEntry.objects.about(person)[:100]
    return render(
        request,
        "rights/space.html",
        {
            "income_rows": _income_rows(file),
            "title": "Mon espace : mes données et mes droits",
            "person": person,
            "file": file,
            "assessment": assessment,
            "consents": person.consents.prefetch_related("organisations").select_related("agent", "given_by"),
            "journal": journal,
            "notices": person.notices.all()[:20],
            "retention_rules": [rule for rule in retention.rules() if rule.for_residents],
            "vigies": vigies_space.about(person),
        },
    )


@login_not_required
def space_consent(request):
    """The person gives a new consent herself, online."""
    person = _own_person(request)
    form = ConsentForm(request.POST or None, territory=person.territory)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.give_consent(
            person,
            organisations=data["organisations"],
            categories=data["categories"],
            purposes=data["purposes"],
            days=data["days"],
            channel=ConsentChannel.ONLINE,
        )
        messages.success(request, "Votre consentement est enregistré.")
        return redirect("rights:space")
    return render(
        request,
        "layout/form_page.html",
        {
            "title": "Donner mon consentement",
            "heading": "Donner mon consentement",
            "form": form,
            "submit": "Donner mon consentement",
        },
    )


@login_not_required
@require_POST
def space_revoke(request, pk):
    person = _own_person(request)
    consent = get_object_or_404(person.consents, pk=pk)
    revoke(consent, by_label=f"{person} (depuis son espace)")
    messages.success(request, "Votre consentement est retiré : plus aucune organisation ne peut lire ces données.")
    return redirect("rights:space")


@login_not_required
@require_POST
def space_signal_object(request, pk):
    """She objects to a signal a structure brought to her space: erased at once, and closed."""
    person = _own_person(request)
    signal = vigies_space.her_signal(person, pk)
    if signal is None:
        raise Http404
    try:
        vigies_information.person_objects(signal=signal, person=person)
    except VigieError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Votre opposition est enregistrée : ce signalement est effacé et clos.")
    return redirect(reverse("rights:space") + "#signalements")


@login_not_required
@require_POST
def space_register_leave(request, pk):
    """She leaves her commune's register of vulnerable people: her data there are erased at once."""
    person = _own_person(request)
    entry = vigies_space.her_entry(person, pk)
    if entry is None:
        raise Http404
    try:
        register_book.entry_objects(entry=entry, by=None)
    except VigieError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "Vous ne figurez plus au registre d'alerte de votre commune : vos données y sont effacées."
        )
    return redirect(reverse("rights:space") + "#signalements")


@login_not_required
@require_POST
def space_logout(request):
    login = request.session.get(oidc.SESSION_KEY)
    request.session.flush()
    if login:  # logged in with FranceConnect: leave it too
        url = oidc.logout_url(request, login)
        if url:
            return redirect(url)
    messages.info(request, "Vous avez quitté votre espace ; il ne s'ouvre de nouveau qu'avec un nouveau lien.")
    return redirect("rights:space_login")


@login_not_required
def franceconnect_start(request):
    try:
        return redirect(oidc.start(request, "franceconnect"))
    except oidc.LoginFailed as exc:
        messages.error(request, f"{exc} Demandez un lien par e-mail ou un code par SMS.")
        return redirect("rights:space_login")


@login_not_required
@never_cache
def franceconnect_callback(request):
    """FranceConnect identified her: her file opens when exactly one matches her identity (name, birth date)."""
    try:
        identity = oidc.finish(request, "franceconnect")
    except oidc.LoginFailed as exc:
        JournalEntry.log(action=Action.LOGIN_FAILED, details={"moyen": "FranceConnect", "raison": str(exc)[:200]})
        messages.error(request, str(exc))
        return redirect("rights:space_login")
    found = own_space.persons_for_identity(identity.claims)
    if len(found) != 1:
        JournalEntry.log(
            action=Action.LOGIN_FAILED,
            details={"moyen": "FranceConnect", "raison": "aucun dossier" if not found else "plusieurs dossiers"},
        )
        if found:
            return _no_file_page(request, identity.claims, several=True)
        # She may open her file herself, with her consent, in the next half hour.
        request.session[FRANCECONNECT_PENDING] = {"claims": identity.claims, "id_token": identity.id_token}
        request.session.set_expiry(own_space.SESSION_SECONDS)
        return _no_file_page(request, identity.claims, form=FranceConnectFileForm())
    person = found[0]
    _log_in(request, person)
    oidc.remember(request, identity)
    journal_read(Reader.own(person), person, reason="Connexion à son espace avec FranceConnect", fields=["identité"])
    return redirect("rights:space")


FRANCECONNECT_PENDING = "franceconnect_pending"


def _no_file_page(request, claims, *, several=False, form=None):
    return render(
        request,
        "rights/space_no_file.html",
        {
            "title": "Plusieurs dossiers à votre nom" if several else "Aucun dossier à votre nom",
            "several": several,
            "given_name": claims.get("given_name"),
            "family_name": claims.get("family_name"),
            "birthdate": claims.get("birthdate"),
            "form": form,
        },
    )


@login_not_required
@require_POST
def franceconnect_register(request):
    """She opens her file herself, identified by FranceConnect a moment ago, with her consent."""
    pending = request.session.get(FRANCECONNECT_PENDING)
    if not pending:
        messages.error(request, "Votre identification FranceConnect a expiré : recommencez.")
        return redirect("rights:space_login")
    form = FranceConnectFileForm(request.POST)
    if not form.is_valid():
        return _no_file_page(request, pending["claims"], form=form)
    data = form.cleaned_data
    try:
        person, existed = services.register_from_franceconnect(
            claims=pending["claims"],
            commune=data["commune"],
            organisations=data["organisations"],
            categories=data["categories"],
            purposes=data["purposes"],
            days=data["days"],
        )
    except ValueError as exc:
        form.add_error(None, str(exc))
        return _no_file_page(request, pending["claims"], form=form)
    _log_in(request, person)
    oidc.remember(request, oidc.Identity("franceconnect", pending["claims"], pending["id_token"], ""))
    messages.success(
        request,
        "Votre consentement est ajouté à votre dossier."
        if existed
        else "Votre dossier est ouvert, avec votre accord.",
    )
    return redirect("rights:space")


@login_not_required
def franceconnect_logged_out(request):
    if oidc.logout_returned(request):
        messages.info(request, "Vous avez quitté votre espace et FranceConnect.")
    else:
        messages.info(request, "Vous avez quitté votre espace.")
    return redirect("rights:space_login")


@login_not_required
@never_cache
def space_export(request, fmt):
    if fmt not in ("json", "pdf"):
        raise Http404
    person = _own_person(request)
    data = exports.export_data(person)
    record_write(
        Reader.own(person),
        person,
        fields=["Toutes ses données"],
        reason=f"Téléchargement de ses données ({fmt.upper()})",
    )
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="mes-donnees-carte-blanche.json"'
        return response
    from django.template.loader import render_to_string

    html = render_to_string(
        "rights/export_pdf.html",
        {"sections": exports.readable(data), "person": person, "now": timezone.now()},
    )
    pdf = html_to_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-carte-blanche.pdf"'
    return response
