from django.contrib import admin

from carteblanche.core.admin import ReadOnlyAdmin

from .models import JournalEntry


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    """Read-only: nobody, not even a superuser, adds, changes or deletes a line from here."""

    list_display = ["created_at", "action", "actor_label", "target_label", "territory"]
    list_filter = ["action", "territory"]
    search_fields = ["actor_label", "target_label", "reason"]
    date_hierarchy = "created_at"
