from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from carteblanche.accounts.forms import AdminLoginForm

admin.site.site_header = "Administration de Carte blanche"
admin.site.site_title = "Carte blanche"
admin.site.index_title = "Tableau de bord"
admin.site.login_form = AdminLoginForm

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
    path("", include("carteblanche.quality.urls")),
    path("rendez-vous/", include("carteblanche.bookings.urls")),
    path("garde/", include("carteblanche.childcare.urls")),
    path("vigies/", include("carteblanche.vigies.urls")),
    path("public/", include("carteblanche.codesign.public")),
]
# The administration lives where ADMIN_URL says (a path known only to the operators), or nowhere when it is empty.
if settings.ADMIN_URL:
    urlpatterns.append(path(settings.ADMIN_URL, admin.site.urls))
# Uploaded files are never served as static files: attachments go through a view that checks access.
