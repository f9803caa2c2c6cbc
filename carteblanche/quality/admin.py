from django.contrib import admin

from carteblanche.core.admin import PersonalDataAdmin, ReadOnlyAdmin

from .models import Answer, CallTally, Experience, Recontact, Structure, Visit


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["name", "territory", "kind", "is_published"]
    list_filter = ["territory", "kind", "is_published"]
    search_fields = ["name"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    """Answers are written by residents and agents only; the team sets flagged ones aside in the application."""

    list_display = ["structure", "answered_at", "channel", "satisfaction", "flagged", "excluded"]
    list_filter = ["channel", "satisfaction", "flagged", "excluded"]
    exclude = ["source_hash"]


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["structure", "arrived_at", "subject", "wait_minutes", "outcome"]
    list_filter = ["subject", "outcome"]


@admin.register(CallTally)
class CallTallyAdmin(ReadOnlyAdmin):
    list_display = ["structure", "date", "received", "answered", "source"]


@admin.register(Experience)
class ExperienceAdmin(PersonalDataAdmin):
    personal_fields = ["contact_email"]
    list_display = ["pk", "structure", "told_at", "feeling", "status"]
    list_filter = ["status", "feeling"]


@admin.register(Recontact)
class RecontactAdmin(PersonalDataAdmin):
    personal_fields = ["email"]
    list_display = ["answer", "consented_at", "done_at"]
