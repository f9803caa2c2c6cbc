import datetime
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .enums import JobStatus, MessageChannel, MessageStatus
from .fields import optional_fk


class HistoryEntry(models.Model):
    """One line of an object's history: who did what, when, and what changed. Subclasses add the object."""

    actor = optional_fk(settings.AUTH_USER_MODEL, "auteur")
    actor_label = models.CharField("auteur (au moment des faits)", max_length=254, blank=True)
    message = models.CharField("description", max_length=300)
    changes = models.JSONField("changements", default=dict, blank=True)
    at = models.DateTimeField("date", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.message}"


class JobQuerySet(models.QuerySet):
    def for_user(self, user):
        """Jobs a user may follow: those she started, those started by a colleague of her organisation in the same
        territory, and the territory's jobs started by the platform itself for its project team and prefecture.
        Nobody else of the territory (another operator's agent, a juror) sees them: a job's result may list files."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        from carteblanche.accounts.enums import Role
        from carteblanche.accounts.models import Membership

        memberships = Membership.objects.filter(user=user, is_active=True)
        colleagues = Membership.objects.filter(
            is_active=True,
            organisation__in=memberships.filter(organisation__isnull=False).values("organisation"),
            territory=models.OuterRef("territory"),
            user=models.OuterRef("created_by"),
        )
        platform_jobs = models.Q(created_by__isnull=True) & models.Q(
            territory__in=memberships.filter(role__in=[Role.PROJECT_TEAM, Role.PREFECTURE]).values("territory")
        )
        return self.filter(models.Q(created_by=user) | models.Exists(colleagues) | platform_jobs)


class Job(models.Model):
    """The progress and outcome of one piece of long work, written by the task, polled by the page."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("nature", max_length=60, db_index=True)
    label = models.CharField("libellé", max_length=200)
    status = models.CharField("état", max_length=20, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    message = models.CharField("étape en cours", max_length=255, blank=True)
    params = models.JSONField("paramètres", default=dict, blank=True)
    result = models.JSONField("résultat", default=dict, blank=True)
    error = models.TextField("erreur", blank=True)
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name="territoire",
    )
    created_by = optional_fk(settings.AUTH_USER_MODEL, "lancée par", related_name="jobs")
    runner = models.CharField("exécutée par", max_length=120, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    started_at = models.DateTimeField("démarrée le", null=True, blank=True)
    finished_at = models.DateTimeField("terminée le", null=True, blank=True)
    heartbeat_at = models.DateTimeField("dernier signe de vie", null=True, blank=True)
    dispatched_at = models.DateTimeField("confiée à la file le", null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "tâche de fond"
        verbose_name_plural = "tâches de fond"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.label} ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse("core:job", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}

    @property
    def is_stalled(self) -> bool:
        """Running, but silent for too long: its worker probably died. It can be resumed."""
        last = self.heartbeat_at or self.started_at or self.created_at
        stall = datetime.timedelta(seconds=settings.JOB_STALL_SECONDS)
        return self.status == JobStatus.RUNNING and last < timezone.now() - stall

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    def set_progress(self, progress: int, message: str = "") -> None:
        """Record progress at once, outside any transaction of the task, so that the page sees it."""
        self.progress = max(0, min(100, int(progress)))
        self.message = message[:255]
        self.heartbeat_at = timezone.now()
        Job.objects.filter(pk=self.pk).update(
            progress=self.progress, message=self.message, heartbeat_at=self.heartbeat_at
        )

    def mark_succeeded(self, result: dict) -> None:
        self.status = JobStatus.SUCCEEDED
        self.progress = 100
        self.result = result
        self.error = ""
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "progress", "result", "error", "finished_at", "message"])

    def mark_failed(self, error: str) -> None:
        self.status = JobStatus.FAILED
        self.error = error
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "error", "finished_at"])


class PersonalLinkQuerySet(models.QuerySet):
    def usable(self):
        """Not used up, not revoked, not expired."""
        now = timezone.now()
        return self.filter(used_at__isnull=True, revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def of(self, target, purpose: str):
        from django.contrib.contenttypes.models import ContentType

        return self.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk, purpose=purpose
        )


class PersonalLink(models.Model):
    """A way in without an account, made for one purpose and one thing (a person's space, a driver's answer to a
    ride): a link whose token, or a short code, is known only to whom it was sent. Only a hash is kept
    (``core.links``); it expires, and stops working once used (single use), revoked, or its purpose is over."""

    purpose = models.CharField("usage", max_length=40, db_index=True)
    token_hash = models.CharField("empreinte", max_length=64, unique=True)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    single_use = models.BooleanField("une seule fois", default=True)
    attempts = models.PositiveSmallIntegerField("essais erronés", default=0)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    expires_at = models.DateTimeField("expire le", null=True, blank=True)
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = PersonalLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "lien personnel"
        verbose_name_plural = "liens personnels"
        indexes = [models.Index(fields=["content_type", "object_id", "purpose"], name="personal_link_target")]

    def __str__(self):
        return f"Lien « {self.purpose} » du {self.created_at:%d/%m/%Y}"

    @property
    def target(self):
        return self.content_type.get_object_for_this_type(pk=self.object_id)


class OutgoingMessage(models.Model):
    """One e-mail or SMS to one person (``core.messaging.send``): sent at once, retried later if the provider
    is down, never twice (one row per ``key``), never after ``send_before``. Once it is settled (sent, too late,
    given up) its recipient and text are erased: a login link or code must not stay at rest."""

    key = models.CharField("identifiant du message", max_length=200, unique=True)
    channel = models.CharField("canal", max_length=10, choices=MessageChannel.choices)
    recipient = models.CharField("destinataire", max_length=254, blank=True)
    subject = models.CharField("objet", max_length=255, blank=True)
    body = models.TextField("texte", blank=True)
    status = models.CharField(
        "état", max_length=12, choices=MessageStatus.choices, default=MessageStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("essais", default=0)
    next_attempt_at = models.DateTimeField("prochain essai", null=True, blank=True)
    send_before = models.DateTimeField("à envoyer avant", null=True, blank=True)
    last_error = models.CharField("dernière erreur", max_length=120, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "message envoyé"
        verbose_name_plural = "messages envoyés"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_channel_display()} {self.key} ({self.get_status_display().lower()})"
