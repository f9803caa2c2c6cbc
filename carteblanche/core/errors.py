"""The one error a service raises when a business rule refuses a change."""


class ServiceError(Exception):
    """A business rule refused the change; the message is French and meant for the person who asked (a view shows
    it as a message or a field error, and nothing was written)."""
