"""An operation of the method in a territory, and its phases (the lab's timeline)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from carteblanche.territories.models import Territory

from .enums import PhaseKind, PhaseStatus


class OperationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(territory__in=Territory.objects.for_user(user))


class Operation(models.Model):
    """A Carte blanche operation in a territory: its phases, then what each phase of the method holds (field work,
    irritants, themes, workshops, experiments…) in the app of that phase."""

    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="operations", verbose_name="territoire"
    )
    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant dans l'adresse", max_length=80, unique=True)
    description = models.TextField("description", blank=True)
    start_date = models.DateField("début")
    end_date = models.DateField("fin", null=True, blank=True)
    public_form_open = models.BooleanField(
        "formulaire public ouvert",
        default=False,
        help_text="Les habitants peuvent signaler une difficulté, sans compte, à l'adresse /participer/….",
    )
    published = models.BooleanField(
        "page publique en ligne",
        default=False,
        help_text="Ce qui a été entendu, les personas, les expérimentations et les dérogations accordées.",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = OperationQuerySet.as_manager()

    class Meta:
        db_table = "exploration_operation"  # born in exploration: the table kept its name
        verbose_name = "opération"
        verbose_name_plural = "opérations"
        ordering = ["-start_date", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("operations:operation", kwargs={"slug": self.slug})

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "La fin ne peut pas précéder le début."})

    @property
    def current_phase(self):
        phases = list(self.phases.all())
        ongoing = [p for p in phases if p.current_status == PhaseStatus.ONGOING]
        if ongoing:
            return ongoing[0]
        planned = [p for p in phases if p.current_status == PhaseStatus.PLANNED]
        return planned[0] if planned else None


class OperationScopedQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(operation__in=Operation.objects.for_user(user))


class Phase(models.Model):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="phases", verbose_name="opération")
    kind = models.CharField("nature", max_length=20, choices=PhaseKind.choices)
    name = models.CharField("nom", max_length=100)
    order = models.PositiveSmallIntegerField("ordre")
    start_date = models.DateField("début", null=True, blank=True)
    end_date = models.DateField("fin", null=True, blank=True)
    status = models.CharField("état", max_length=20, choices=PhaseStatus.choices, default=PhaseStatus.PLANNED)

    objects = OperationScopedQuerySet.as_manager()

    class Meta:
        db_table = "exploration_phase"
        verbose_name = "phase"
        verbose_name_plural = "phases"
        ordering = ["operation", "order"]

    def __str__(self):
        return f"{self.order}. {self.name}"

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "La fin de la phase ne peut pas précéder son début."})
        today = timezone.localdate()
        if self.status == PhaseStatus.ONGOING and self.start_date and self.start_date > today:
            raise ValidationError(
                {"status": "Cette phase commence plus tard : elle ne peut pas être en cours, choisissez « À venir »."}
            )
        if self.status == PhaseStatus.DONE and self.start_date and self.start_date > today:
            raise ValidationError({"status": "Une phase qui n'a pas commencé ne peut pas être terminée."})

    @property
    def current_status(self) -> str:
        """The state a reader sees today: a phase whose start is still to come is « à venir », whatever was set."""
        if self.start_date and self.start_date > timezone.localdate() and self.status != PhaseStatus.PLANNED:
            return PhaseStatus.PLANNED
        return self.status

    @property
    def current_status_label(self) -> str:
        return PhaseStatus(self.current_status).label

    @property
    def started(self) -> bool:
        return bool(self.start_date and self.start_date <= timezone.localdate())
