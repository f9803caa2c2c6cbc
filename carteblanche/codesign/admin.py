from django.contrib import admin

from . import models


@admin.register(models.Persona)
class PersonaAdmin(admin.ModelAdmin):
    list_display = ["name", "operation", "age", "template"]
    list_filter = ["operation"]
    filter_horizontal = ["irritants", "communes"]


class SequenceInline(admin.TabularInline):
    model = models.Sequence
    extra = 0


@admin.register(models.Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "operation", "date", "status"]
    list_filter = ["status", "operation"]
    filter_horizontal = ["personas", "facilitators"]
    inlines = [SequenceInline]


@admin.register(models.Sequence)
class SequenceAdmin(admin.ModelAdmin):
    list_display = ["title", "workshop", "order", "kind", "minutes"]


@admin.register(models.Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["first_name", "kind", "workshop", "organisation", "consent_recontact"]
    list_filter = ["kind"]
    exclude = ["device_token"]


@admin.register(models.Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["__str__", "workshop", "group", "kept"]
    list_filter = ["kept", "workshop"]
    filter_horizontal = ["irritants"]


@admin.register(models.Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["idea", "participant", "cast_at"]
