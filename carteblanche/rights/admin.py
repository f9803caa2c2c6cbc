"""Personal data is deliberately absent from the admin: it is read only through a consent, and journaled
(see access.py). Only the imports' bookkeeping, which holds no personal data, is shown."""

from django.contrib import admin

from .models import DataImport


@admin.register(DataImport)
class DataImportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "organisation", "file_name", "status", "updated_persons"]
    list_filter = ["kind", "status", "organisation"]
    # The errors quote lines of the file and the waiting content is the file itself: personal data, not shown.
    exclude = ["errors", "content"]
    readonly_fields = [f.name for f in DataImport._meta.fields if f.name not in ("errors", "content")]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
