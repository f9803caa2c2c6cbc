from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from carteblanche.core.http import render_fragment
from carteblanche.territories.models import Territory

from .demo import DEMO_ACCOUNTS
from .models import Job


@login_not_required
def home(request):
    landing = _landing(request.user)
    if landing:
        return redirect(landing)
    territories = Territory.objects.for_user(request.user) if request.user.is_authenticated else []
    return render(
        request,
        "core/home.html",
        {
            "title": "Accueil",
            "territories": territories,
            "demo_accounts": DEMO_ACCOUNTS,
            "published_quality": Territory.objects.filter(quality_structures__is_published=True).distinct(),
        },
    )


def _landing(user) -> str:
    """Where a user whose only role is to judge lands: « Noter les équipes » of her latest hackathon."""
    from carteblanche.accounts.enums import Role

    if not user.is_authenticated or user.is_superuser:
        return ""
    roles = {m.role for m in user.memberships.filter(is_active=True)}
    if roles != {Role.JURY}:
        return ""
    hackathon = user.juries.select_related("operation").order_by("-date").first()
    if hackathon is None:
        return ""
    return reverse("codesign:hackathon_jury", kwargs={"slug": hackathon.operation.slug, "pk": hackathon.pk})


def job_detail(request, pk):
    job = get_object_or_404(Job.objects.for_user(request.user).select_related("territory"), pk=pk)
    return render(request, "core/job_detail.html", {"job": job, "title": job.label})


@never_cache
def job_progress(request, pk):
    """The htmx fragment polled every second until the job ends."""
    job = get_object_or_404(Job.objects.for_user(request.user).select_related("territory"), pk=pk)
    return render_fragment(request, "core/includes/job_progress.html", {"job": job}, title="Avancement du travail")


def _static_page(template, title):
    @login_not_required
    def view(request):
        return render(request, template, {"title": title, "breadcrumb_data": {"current": title}})

    return view


accessibility = _static_page("core/pages/accessibility.html", "Accessibilité")
legal_notice = _static_page("core/pages/legal_notice.html", "Mentions légales")


@login_not_required
def personal_data(request):
    from . import retention

    context = {"title": "Données personnelles", "breadcrumb_data": {"current": "Données personnelles"}}
    return render(request, "core/pages/personal_data.html", {**context, "retention_rules": retention.rules()})


sitemap = _static_page("core/pages/sitemap.html", "Plan du site")


@login_not_required
@never_cache
def health(request):
    """For load balancers and the production smoke test: the database answers, the broker is named."""
    from django.conf import settings

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse(
        {
            "statut": "ok",
            "base": connection.vendor,
            "taches": "celery" if settings.CELERY_BROKER_URL else "dans le processus",
        }
    )


@login_not_required
def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", {"title": "Formulaire expiré"}, status=403)


@login_not_required
def permission_denied(request, exception=None):
    """The refusal says why (the exception's French message) and what to do (its ``hint``, when it has one)."""
    reason = str(exception) if exception is not None and str(exception) else ""
    hint = getattr(exception, "hint", "")
    return render(request, "403.html", {"reason": reason, "hint": hint}, status=403)


@login_not_required
@require_POST
def personal_data_check(request):
    """What a text being typed gives away (``PersonalDataTextarea``), said in French; nothing is kept."""
    from . import personal_data

    text = request.POST.get(request.GET.get("champ", ""), "")[:10_000]
    findings = personal_data.find(text, health=request.GET.get("sante") == "1")
    return render(request, "core/includes/personal_data_check.html", {"warning": personal_data.message(findings)})
