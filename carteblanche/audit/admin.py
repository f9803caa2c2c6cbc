from django.contrib import admin

from .models import JournalEntry


@admin.register(JournalEntry)
class JournalEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody, not even a superuser, adds, changes or deletes a line from here."""

    list_display = ["created_at", "action", "actor_label", "target_label", "territory"]
    list_filter = ["action", "territory"]
    search_fields = ["actor_label", "target_label", "reason"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
