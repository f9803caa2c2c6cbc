from django.conf import settings
from django.db import models

from .enums import Action


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a journal entry."""


class JournalEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Le journal ne peut pas être modifié.")

    def delete(self):
        raise AppendOnlyError("Le journal ne peut pas être effacé.")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("Le journal ne peut pas être modifié.")

    def bulk_create(self, objs, *args, **kwargs):
        if kwargs.get("update_conflicts") or kwargs.get("ignore_conflicts"):
            raise AppendOnlyError("Le journal ne peut que recevoir de nouvelles lignes.")
        return super().bulk_create(objs, *args, **kwargs)

    def for_territory(self, territory):
        return self.filter(territory=territory)

    def about(self, obj):
        """The lines whose target is ``obj`` (ids alone collide between models)."""
        return self.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))


class JournalEntry(models.Model):
    """One line of the append-only journal: who did what, when, to what, and why.

    The application can only add lines. Updates and deletions are refused here, in the queryset and,
    underneath, by database triggers. Foreign keys are PROTECT so that no cascade can erase a line.
    """

    created_at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
    )
    # A copy of the actor's e-mail at the time, so the line stays readable whatever happens to the account.
    actor_label = models.CharField("auteur (au moment des faits)", max_length=254, blank=True)
    action = models.CharField("action", max_length=40, choices=Action.choices, db_index=True)
    target_type = models.CharField("type de cible", max_length=100, blank=True)
    target_id = models.CharField("identifiant de la cible", max_length=64, blank=True)
    target_label = models.CharField("cible", max_length=255, blank=True)
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="territoire",
    )
    reason = models.TextField("motif", blank=True)
    fields = models.JSONField("champs concernés", default=list, blank=True)
    details = models.JSONField("détails", default=dict, blank=True)

    objects = JournalEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "entrée du journal"
        verbose_name_plural = "journal"
        ordering = ["-created_at", "-pk"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} — {self.get_action_display()} — {self.actor_label or 'système'}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError("Une entrée du journal ne peut pas être modifiée.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Une entrée du journal ne peut pas être effacée.")

    @property
    def author_for_person(self) -> str:
        """Who did it, as the person the line is about reads it: the organisation that read or wrote (an agent's
        e-mail is for the journal's auditors, not for her)."""
        if self.details.get("lecteur"):
            return self.details["lecteur"]
        if self.actor_id is None:
            return "Carte blanche (automatique)" if not self.actor_label else "l'équipe Carte blanche"
        names = sorted(
            {
                str(m.organisation)
                for m in self.actor.memberships.select_related("organisation")
                if m.organisation_id and (self.territory_id is None or m.territory_id == self.territory_id)
            }
        )
        return ", ".join(names) or "l'équipe Carte blanche"

    @classmethod
    def log(cls, **kwargs) -> "JournalEntry":
        entry = cls.build(**kwargs)
        entry.save()
        return entry

    @classmethod
    def build(
        cls,
        *,
        action: str,
        actor=None,
        target=None,
        territory=None,
        reason: str = "",
        fields: list[str] | None = None,
        details: dict | None = None,
    ) -> "JournalEntry":
        """An unsaved line, for ``log`` or for ``bulk_create`` when many persons are read at once."""
        actor = actor if actor is not None and actor.is_authenticated else None
        entry = cls(
            action=action,
            actor=actor,
            actor_label=actor.email if actor else "",
            territory=territory,
            reason=reason,
            fields=fields or [],
            details=details or {},
        )
        if target is not None:
            entry.target_type = target._meta.label_lower
            entry.target_id = str(target.pk)
            entry.target_label = str(target)[:255]
        return entry
