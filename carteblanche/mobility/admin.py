"""The bus's inputs and plans in the admin. Drivers' and passengers' personal data is deliberately absent: it is read
through the rides desk, which journals each access."""

from django.contrib import admin

from .models import Bus, CandidateStop, HitchhikingStop, RideSettings, Shift, TourPlan, TourSettings


class ShiftInline(admin.TabularInline):
    model = Shift
    extra = 0


@admin.register(Bus)
class BusAdmin(admin.ModelAdmin):
    list_display = ["name", "territory", "depot", "is_active"]
    list_filter = ["territory", "is_active"]
    inlines = [ShiftInline]


@admin.register(CandidateStop)
class CandidateStopAdmin(admin.ModelAdmin):
    list_display = ["commune", "place", "territory", "frequency", "service_minutes", "is_active"]
    list_filter = ["territory", "frequency", "is_active"]
    search_fields = ["commune__name", "place"]


@admin.register(TourPlan)
class TourPlanAdmin(admin.ModelAdmin):
    list_display = ["period_start", "territory", "status", "weeks", "created_at", "published_at"]
    list_filter = ["territory", "status"]
    readonly_fields = [f.name for f in TourPlan._meta.fields]

    def has_add_permission(self, request):
        return False


admin.site.register([TourSettings, RideSettings, HitchhikingStop])
