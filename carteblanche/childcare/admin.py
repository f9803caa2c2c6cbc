"""The offers in the administration. Families' needs and proposals hold personal data: they are read through the
advisers' pages, which journal each access."""

from django.contrib import admin

from .models import KeptChild, Provider


class KeptChildInline(admin.TabularInline):
    model = KeptChild
    extra = 0


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "capacity", "night", "avip_places", "is_active"]
    list_filter = ["territory", "kind", "night", "is_active"]
    search_fields = ["name", "commune__name", "agrement_number"]
    inlines = [KeptChildInline]
