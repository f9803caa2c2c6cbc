from django.contrib import admin

from carteblanche.core.admin import HistoryAdmin, PersonalDataAdmin

from . import models


class ParticipantsInline(admin.TabularInline):
    model = models.VisitParticipants
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = models.Attachment
    extra = 0
    readonly_fields = ["name", "content_type", "size", "uploaded_by", "uploaded_at"]


@admin.register(models.FieldVisit)
class FieldVisitAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "date", "operation"]
    list_filter = ["kind", "operation"]
    search_fields = ["title", "notes"]
    inlines = [ParticipantsInline, AttachmentInline]
    autocomplete_fields = ["site", "commune"]


@admin.register(models.Code)
class CodeAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "operation"]
    list_filter = ["operation"]
    search_fields = ["name"]


@admin.register(models.Excerpt)
class ExcerptAdmin(admin.ModelAdmin):
    list_display = ["__str__", "visit", "created_by", "created_at"]
    search_fields = ["text"]


class EvidenceInline(admin.TabularInline):
    model = models.Evidence
    extra = 0
    raw_id_fields = ["excerpt", "report"]


@admin.register(models.Irritant)
class IrritantAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "source", "severity", "theme", "operation", "created_at"]
    list_filter = ["status", "source", "severity", "operation"]
    search_fields = ["title", "description", "external_id"]
    raw_id_fields = ["merged_into", "possible_duplicate_of", "theme", "import_batch"]
    filter_horizontal = ["communes", "organisations", "affected_groups"]
    inlines = [EvidenceInline]


@admin.register(models.IrritantEvent)
class IrritantEventAdmin(HistoryAdmin):
    list_display = ["at", "irritant", "kind", "actor_label", "message"]
    list_filter = ["kind"]


@admin.register(models.Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "irritant", "added_at"]
    list_filter = ["kind"]
    raw_id_fields = ["irritant", "excerpt", "report"]


@admin.register(models.ResidentReport)
class ResidentReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "operation", "commune", "service", "captured_by"]
    list_filter = ["operation"]
    exclude = ["client_hash"]


@admin.register(models.ResidentContact)
class ResidentContactAdmin(PersonalDataAdmin):
    list_display = ["__str__", "consent_recontact"]
    personal_fields = ["prénom", "e-mail", "téléphone"]


@admin.register(models.AffectedGroup)
class AffectedGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "operation"]


@admin.register(models.ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["file_name", "operation", "rows", "created", "skipped", "duplicates", "created_at"]


@admin.register(models.PendingImport)
class PendingImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "operation", "created_at"]
    exclude = ["content"]


@admin.register(models.TextEmbedding)
class TextEmbeddingAdmin(admin.ModelAdmin):
    list_display = ["key", "model", "created_at"]
    exclude = ["vector"]


@admin.register(models.ThemeAnalysis)
class ThemeAnalysisAdmin(admin.ModelAdmin):
    list_display = ["__str__", "operation", "texts", "encoded", "reused", "themes", "finished_at"]


@admin.register(models.Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["label", "operation", "reviewed"]
    list_filter = ["operation", "reviewed"]


@admin.register(models.PriorityExpectation)
class PriorityExpectationAdmin(admin.ModelAdmin):
    list_display = ["title", "operation", "order"]
    filter_horizontal = ["themes"]


@admin.register(models.VisitParticipants)
class VisitParticipantsAdmin(admin.ModelAdmin):
    list_display = ["visit", "kind", "count"]


@admin.register(models.Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["name", "visit", "content_type", "size", "uploaded_at"]
    readonly_fields = ["name", "content_type", "size", "uploaded_by", "uploaded_at"]
