"""What only exploration asks, on top of the operation's roles (``carteblanche.operations.permissions``)."""

from carteblanche.operations.permissions import can_manage


def can_read_contacts(user, operation) -> bool:
    """Residents' contact details: the project team only."""
    return can_manage(user, operation)
