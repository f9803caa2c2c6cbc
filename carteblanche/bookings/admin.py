"""Motifs, resources, schedules and webhooks in the administration. Appointments and the waiting list hold
residents' contacts: they are deliberately absent, read through the staff pages, which journal each access."""

from django.contrib import admin

from carteblanche.core.admin import ReadOnlyAdmin

from .models import Motif, Resource, Schedule, Webhook, WebhookDelivery


@admin.register(Motif)
class MotifAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "territory", "duration_minutes", "place", "audience", "is_active"]
    list_filter = ["territory", "audience", "place", "is_active"]
    search_fields = ["name", "organisation__name"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "site", "organisation"]
    list_filter = ["kind", "territory"]
    search_fields = ["name", "site__name"]


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "site", "recurrence", "first_date", "last_date"]
    list_filter = ["territory", "weekday", "recurrence"]
    filter_horizontal = ["motifs"]


class DeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = ["created_at", "event", "appointment_id", "status", "attempts", "last_code", "last_error"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-created_at"]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["organisation", "url", "territory", "is_active", "created_at"]
    list_filter = ["territory", "is_active"]
    readonly_fields = ["secret", "created_at"]
    inlines = [DeliveryInline]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "event", "appointment_id", "webhook", "status", "attempts", "last_code"]
    list_filter = ["status", "event"]
