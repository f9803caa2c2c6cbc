from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models

from .enums import Role


class CarteBlancheUserManager(UserManager):
    """Users log in with their e-mail address; the username mirrors it."""

    def _create_user(self, username, email, password, **extra_fields):
        email = self.normalize_email(email or username)
        return super()._create_user(email, email, password, **extra_fields)

    def create_user(self, email=None, password=None, **extra_fields):
        return super().create_user(email, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        return super().create_superuser(email, email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    email = models.EmailField("adresse e-mail", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = CarteBlancheUserManager()

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        self.username = self.email
        super().save(*args, **kwargs)

    def roles_in(self, territory) -> set[str]:
        """The roles this user holds in a territory (empty for a non-member)."""
        if not self.is_authenticated:
            return set()
        return {m.role for m in self.memberships.all() if m.territory_id == territory.pk and m.is_active}

    def has_role(self, territory, *roles: str) -> bool:
        return bool(self.roles_in(territory) & set(roles))


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Membership(models.Model):
    """A user belongs to a territory with a role; an agent also belongs to an organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name="utilisateur")
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="memberships", verbose_name="territoire"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "territories.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name="organisation",
        help_text="Obligatoire pour un agent : le service ou l'opérateur pour lequel il travaille.",
    )
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "appartenance"
        verbose_name_plural = "appartenances"
        ordering = ["territory__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "territory", "role"], name="membership_unique_role"),
            models.CheckConstraint(
                condition=~models.Q(role=Role.AGENT) | models.Q(organisation__isnull=False),
                name="membership_agent_has_organisation",
                violation_error_message="Un agent doit être rattaché à une organisation.",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.territory}"

    def save(self, *args, **kwargs):
        if self.organisation_id and self.organisation.territory_id != self.territory_id:
            raise ValidationError({"organisation": "Cette organisation n'appartient pas à ce territoire."})
        super().save(*args, **kwargs)

    def clean(self):
        if self.role == Role.AGENT and not self.organisation_id:
            raise ValidationError({"organisation": "Un agent doit être rattaché à une organisation."})
        if self.organisation_id and self.territory_id and self.organisation.territory_id != self.territory_id:
            raise ValidationError({"organisation": "Cette organisation n'appartient pas à ce territoire."})
