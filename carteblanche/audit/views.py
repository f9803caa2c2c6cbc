from urllib.parse import urlencode

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .enums import Action
from .models import JournalEntry


@permission_required("audit.view_journalentry", raise_exception=True)
def journal(request):
    """The platform's auditors browse the journal, newest first, filtered by action and by author."""
    entries = JournalEntry.objects.select_related("territory")
    action = request.GET.get("action", "")
    if action in Action.values:
        entries = entries.filter(action=action)
    author = request.GET.get("auteur", "").strip()
    if author:
        entries = entries.filter(actor_label__icontains=author)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/journal.html",
        {
            "title": "Journal",
            "page": page,
            "actions": Action.choices,
            "action": action,
            "author": author,
            "query": urlencode({k: v for k, v in {"action": action, "auteur": author}.items() if v}),
            "breadcrumb_data": {"current": "Journal"},
        },
    )
