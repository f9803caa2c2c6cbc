from django.contrib import admin

from . import models


class PhaseInline(admin.TabularInline):
    model = models.Phase
    extra = 0


@admin.register(models.Operation)
class OperationAdmin(admin.ModelAdmin):
    list_display = ["name", "territory", "start_date", "end_date", "public_form_open"]
    list_filter = ["territory"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PhaseInline]


@admin.register(models.Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["name", "operation", "order", "status", "start_date", "end_date"]
    list_filter = ["status", "kind"]
