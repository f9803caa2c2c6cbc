"""Networks and their vigies in the administration; signals hold what a vigie saw of a person: superusers only,
each reading journaled (``PersonalDataAdmin``). Agents work from the network's queue."""

from django.contrib import admin

from carteblanche.core.admin import PersonalDataAdmin

from .models import Network, Signal, SignalEvent, Vigie


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "territory", "kept_months"]
    list_filter = ["territory"]
    filter_horizontal = ["partners"]


@admin.register(Vigie)
class VigieAdmin(PersonalDataAdmin):
    list_display = ["last_name", "first_name", "role", "network", "trained_on", "is_active"]
    list_filter = ["network", "role", "is_active"]
    personal_fields = ["first_name", "last_name", "phone", "email"]


class SignalEventInline(admin.TabularInline):
    model = SignalEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "status", "partner", "note"]


@admin.register(Signal)
class SignalAdmin(PersonalDataAdmin):
    list_display = ["created_at", "commune", "urgency", "status", "network"]
    list_filter = ["network", "status", "urgency", "origin"]
    personal_fields = ["place", "person_name", "words"]
    inlines = [SignalEventInline]
