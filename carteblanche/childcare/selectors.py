"""What an adviser reads: the needs her organisation recorded (the project team: every need of the territory)."""

from carteblanche.accounts.enums import Role
from carteblanche.core.permissions import organisations_of

from .models import Need


def needs_for(user, territory):
    found = Need.objects.filter(territory=territory).select_related("commune", "created_by")
    if user.is_superuser or user.has_role(territory, Role.PROJECT_TEAM):
        return found
    return found.filter(
        created_by__memberships__organisation_id__in=organisations_of(user, territory),
        created_by__memberships__territory=territory,
    ).distinct()
