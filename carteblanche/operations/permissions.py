"""Who may do what in an operation. Reading needs a membership of its territory (querysets enforce it); every
phase of the method (exploration, codesign, and those to come) asks these."""

from django.core.exceptions import PermissionDenied

from carteblanche.accounts.enums import Role


def can_manage_territory(user, territory) -> bool:
    """Start an operation in a territory (or reproduce one there): its project team."""
    return user.is_superuser or user.has_role(territory, Role.PROJECT_TEAM)


def can_manage(user, operation) -> bool:
    """The project team runs the operation: phases, field work, coding, themes, merges, imports, workshops."""
    return can_manage_territory(user, operation.territory)


def can_capture(user, operation) -> bool:
    """The team and the agents write irritants, and agents capture residents' words at a counter."""
    return user.is_superuser or user.has_role(operation.territory, Role.PROJECT_TEAM, Role.AGENT)


def can_read_material(user, operation) -> bool:
    """The operation's working material (field notes and their attachments, excerpts and their exports, irritants
    with residents' words, themes, workshops, experiments, derogations) is for the team, the prefecture and the
    agents. A juror scores the pitches of the hackathons she judges, with the operation's calendar and its personas
    as context, nothing more (least privilege: see ``tests/permissions``)."""
    return user.is_superuser or user.has_role(operation.territory, Role.PROJECT_TEAM, Role.PREFECTURE, Role.AGENT)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Votre rôle dans cette opération ne permet pas cette action.")
