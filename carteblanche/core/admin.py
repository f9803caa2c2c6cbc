from django.contrib import admin

from .models import Job, PersonalLink


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
