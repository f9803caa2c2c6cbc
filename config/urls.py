from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Administration de Carte blanche"
admin.site.site_title = "Carte blanche"
admin.site.index_title = "Tableau de bord"

handler403 = "carteblanche.core.views.permission_denied"

urlpatterns = [
    path("", include("carteblanche.core.urls")),
    path("", include("carteblanche.accounts.urls")),
    path("territoires/", include("carteblanche.territories.urls")),
    path("journal/", include("carteblanche.audit.urls")),
    path("", include("carteblanche.operations.urls")),
    path("", include("carteblanche.exploration.urls")),
    path("", include("carteblanche.codesign.urls")),
    path("", include("carteblanche.rights.urls")),
    path("", include("carteblanche.mobility.urls")),
    path("public/", include("carteblanche.codesign.public")),
    path("admin/", admin.site.urls),
]
# Uploaded files are never served as static files: attachments go through a view that checks access.
