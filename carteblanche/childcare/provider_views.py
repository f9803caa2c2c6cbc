"""The providers' pages. A childminder declares her availability from the personal link of her reminder, without an
account; the advisers read the territory's providers and the reminder campaign's export."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from carteblanche.accounts.enums import Role
from carteblanche.core import french, spreadsheets
from carteblanche.core.permissions import territory_for

from . import patterns
from .availability import (
    availability_update,
    campaign_csv_rows,
    current_campaign,
    kept_now,
    latest_campaign,
    provider_for,
    provider_rows,
    reminders_send,
)
from .forms import AvailabilityForm
from .services import ChildcareError
from .views import ADVISERS


@login_not_required
@never_cache
def availability(request, token):
    provider = provider_for(token)
    if provider is None:
        return render(
            request,
            "childcare/answer_over.html",
            {
                "title": "Lien expiré",
                "over": "Ce lien a expiré : le relais petite enfance peut vous en envoyer un autre.",
            },
            status=404,
        )
    today = timezone.localdate()
    form = AvailabilityForm(request.POST or None, provider=provider, kept=kept_now(provider, today=today))
    if request.method == "POST" and form.is_valid():
        try:
            availability_update(
                provider=provider,
                opening_pattern=form.pattern,
                kept_ended=form.cleaned_data.get("ended") or (),
                today=today,
            )
        except ChildcareError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Merci : vos disponibilités sont enregistrées et le relais les voit.")
            return redirect("childcare:availability", token=token)
    return render(
        request,
        "childcare/availability.html",
        {
            "title": "Vos disponibilités d'accueil",
            "provider": provider,
            "hours": patterns.label(patterns.slots_of(provider.opening)),
            "kept": kept_now(provider, today=today).filter(first_date__lte=today).count(),
            "campaign": current_campaign(today) or latest_campaign(today),
            "form": form,
        },
    )


# ---------------------------------------------------------------------------------------------------------------
# Advisers


def providers(request, slug):
    territory = territory_for(request, slug, ADVISERS)
    today = timezone.localdate()
    rows = provider_rows(territory, today=today)
    return render(
        request,
        "childcare/providers.html",
        {
            "title": "Garde d'enfants : accueillants",
            "territory": territory,
            "rows": rows,
            "late": sum(1 for row in rows if not row.up_to_date),
            "campaign": latest_campaign(today),
            "open_campaign": current_campaign(today),
            "can_remind": request.user.is_superuser or request.user.has_role(territory, Role.PROJECT_TEAM),
        },
    )


def providers_csv(request, slug):
    territory = territory_for(request, slug, ADVISERS)
    today = timezone.localdate()
    buffer = io.StringIO()
    buffer.write("\ufeff")
    spreadsheets.writer(buffer, delimiter=";").writerows(campaign_csv_rows(territory, today=today))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="disponibilites-{territory.slug}-{today}.csv"'
    return response


@require_POST
def providers_remind(request, slug):
    territory = territory_for(request, slug, (Role.PROJECT_TEAM,))
    sent = reminders_send(today=timezone.localdate(), territory=territory)
    if sent:
        messages.success(request, f"{french.plural(sent, 'rappel envoyé')}, avec un lien personnel pour répondre.")
    else:
        messages.info(request, "Aucun rappel à envoyer : hors campagne, ou chaque accueillante a déjà reçu le sien.")
    return redirect("childcare:providers", slug=slug)
