from django.contrib import admin

from carteblanche.core.admin import HistoryAdmin, PersonalDataAdmin

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
class ParticipantAdmin(PersonalDataAdmin):
    list_display = ["first_name", "kind", "workshop", "organisation", "consent_recontact"]
    list_filter = ["kind"]
    exclude = ["device_token"]
    personal_fields = ["prénom", "e-mail", "téléphone"]


@admin.register(models.Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["__str__", "workshop", "group", "kept"]
    list_filter = ["kept", "workshop"]
    filter_horizontal = ["irritants"]


@admin.register(models.Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["idea", "participant", "cast_at"]


class IndicatorInline(admin.TabularInline):
    model = models.Indicator
    extra = 0


@admin.register(models.Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    list_display = ["title", "operation", "stage", "decision"]
    list_filter = ["stage", "decision", "operation"]
    filter_horizontal = ["personas", "irritants"]
    inlines = [IndicatorInline]


@admin.register(models.ExperimentEvent)
class ExperimentEventAdmin(HistoryAdmin):
    list_display = ["at", "experiment", "actor_label", "message"]


@admin.register(models.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "experiment", "baseline", "target", "unit"]


@admin.register(models.Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ["indicator", "date", "value"]


@admin.register(models.Derogation)
class DerogationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "operation", "domain", "status", "arrete_reference"]
    list_filter = ["status", "domain"]


class ChallengeInline(admin.TabularInline):
    model = models.Challenge
    extra = 0


class CriterionInline(admin.TabularInline):
    model = models.Criterion
    extra = 0


@admin.register(models.Hackathon)
class HackathonAdmin(admin.ModelAdmin):
    list_display = ["title", "operation", "date", "announced_at"]
    filter_horizontal = ["jurors"]
    inlines = [ChallengeInline, CriterionInline]


@admin.register(models.Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["title", "hackathon"]


@admin.register(models.HackathonTeam)
class HackathonTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "hackathon", "challenge", "pitch_order"]


@admin.register(models.Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "hackathon", "weight"]


@admin.register(models.ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ["juror", "team", "reason", "declared_at"]


@admin.register(models.Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["team", "juror", "criterion", "value"]
