"""Who may do what, per territory. Views call these; querysets already hide other territories."""

from django.core.exceptions import PermissionDenied

from carteblanche.accounts.enums import Role

MANAGERS = (Role.PROJECT_TEAM, Role.PREFECTURE)


def can_manage(user, territory) -> bool:
    """Project team and prefecture run the operation: launch analyses, see the members."""
    return user.is_superuser or user.has_role(territory, *MANAGERS)


def organisations_of(user, territory, *roles: str) -> set[int]:
    """The organisations the user belongs to in the territory (through an active membership of one of ``roles``,
    any role when none is given)."""
    return {
        m.organisation_id
        for m in user.memberships.all()
        if m.is_active and m.territory_id == territory.pk and m.organisation_id and (not roles or m.role in roles)
    }


def require_role(user, territory, *roles: str) -> None:
    if not (user.is_superuser or user.has_role(territory, *roles)):
        raise PermissionDenied("Votre rôle sur ce territoire ne permet pas cette action.")


def territory_for(request, slug: str, roles=()):
    """The user's territory of that slug (404 for a territory she does not belong to), if one of ``roles`` there
    allows the page (403 otherwise); any member when ``roles`` is empty."""
    from django.shortcuts import get_object_or_404

    from carteblanche.territories.models import Territory

    territory = get_object_or_404(Territory.objects.for_user(request.user), slug=slug)
    if roles:
        require_role(request.user, territory, *roles)
    return territory
