from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """The lab's shell: an operation, its phases and timeline, the page frame every phase of the method uses, and
    who may run an operation."""

    name = "carteblanche.operations"
    verbose_name = "Opérations"
