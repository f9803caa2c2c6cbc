from django.contrib import admin

from .models import Commune, OpeningPeriod, Organisation, ServiceSite, Territory


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee_code", "population", "epci_name", "living_area_name"]
    list_filter = ["department_code", "living_area_name"]
    search_fields = ["name", "insee_code"]
    exclude = ["boundary_geojson"]


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "commune_count"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["communes"]

    @admin.display(description="communes")
    def commune_count(self, obj):
        return obj.communes.count()


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "territory"]
    list_filter = ["kind", "territory"]
    search_fields = ["name", "siret"]


class OpeningPeriodInline(admin.TabularInline):
    model = OpeningPeriod
    extra = 1


@admin.register(ServiceSite)
class ServiceSiteAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "is_mobile", "organisation"]
    list_filter = ["kind", "is_mobile"]
    search_fields = ["name", "commune__name", "external_id"]
    autocomplete_fields = ["commune", "organisation"]
    inlines = [OpeningPeriodInline]


@admin.register(OpeningPeriod)
class OpeningPeriodAdmin(admin.ModelAdmin):
    list_display = ["site", "weekday", "opens", "closes"]
    list_filter = ["weekday"]
    search_fields = ["site__name"]
