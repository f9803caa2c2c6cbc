from django.contrib import admin

from .models import Job, OutgoingMessage, PersonalLink


class ReadOnlyAdmin(admin.ModelAdmin):
    """What is written only by the platform (journals, histories, links): nobody adds, changes or deletes it here,
    not even a superuser."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryAdmin(ReadOnlyAdmin):
    """The lines of an object's history (``core.models.HistoryEntry``): who did what, when."""

    list_display = ["at", "actor_label", "message"]
    search_fields = ["actor_label", "message"]


class PersonalDataAdmin(admin.ModelAdmin):
    """Residents' personal data: superusers only, and every page that shows it is journaled with the fields it
    shows (``personal_fields``)."""

    personal_fields: list[str] = []

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def _journal(self, request, target=None, reason="Consultation dans l'administration"):
        from carteblanche.audit.enums import Action
        from carteblanche.audit.models import JournalEntry

        JournalEntry.log(
            action=Action.PERSONAL_DATA_READ,
            actor=request.user,
            target=target,
            reason=reason,
            fields=self.personal_fields,
        )

    def changelist_view(self, request, extra_context=None):
        self._journal(request, reason=f"Liste « {self.model._meta.verbose_name_plural} » dans l'administration")
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._journal(request, target=self.get_object(request, object_id))
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "status", "progress", "territory", "created_by", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["label", "kind"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(PersonalLink)
class PersonalLinkAdmin(admin.ModelAdmin):
    """Read only: what a link is for and whether it still works; its token is never known here (only a hash)."""

    list_display = ["purpose", "content_type", "object_id", "single_use", "created_at", "expires_at", "used_at"]
    list_filter = ["purpose", "single_use"]
    exclude = ["token_hash"]
    readonly_fields = [f.name for f in PersonalLink._meta.fields if f.name != "token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(ReadOnlyAdmin):
    """What left, what waits for the provider, what was given up: never the text of a settled message."""

    list_display = ["key", "channel", "status", "attempts", "created_at", "sent_at", "last_error"]
    list_filter = ["status", "channel"]
    search_fields = ["key"]
    exclude = ["recipient", "body", "subject"]
