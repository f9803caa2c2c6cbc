"""Who may do what, per territory. Views call these; querysets already hide other territories."""

from django.core.exceptions import PermissionDenied

from carteblanche.accounts.enums import Role

MANAGERS = (Role.PROJECT_TEAM, Role.PREFECTURE)


def can_manage(user, territory) -> bool:
    """Project team and prefecture run the operation: launch analyses, see the members."""
    return user.is_superuser or user.has_role(territory, *MANAGERS)


def require_role(user, territory, *roles: str) -> None:
    if not (user.is_superuser or user.has_role(territory, *roles)):
        raise PermissionDenied("Votre rôle sur ce territoire ne permet pas cette action.")
