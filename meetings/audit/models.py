import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from meetings import classification

SIGN_IN_KINDS = (
    "sign_in",
    "sign_in_failed",
    "locked_out",
    "mfa_failed",
    "directory_refused",
    "unlocked",
    "password_reset",
)
SIGN_IN_ROWS = Q(kind__in=SIGN_IN_KINDS)


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What an administrator may read of the audit: sign-in events, and reads and exports
        of what their clearance covers (a meeting by its marking now, not when it was read)."""
        from meetings.accounts.permissions import is_administrator

        if user is None or not is_administrator(user):
            return self.none()
        clearance = user.clearance
        return self.filter(Q(marking__isnull=True) | Q(marking__lte=clearance)).filter(
            Q(meeting__classification__lte=clearance) | Q(meeting__classification__isnull=True)
        )

    def prune(self, days: int) -> int:
        """Deletes events older than ``days``; returns how many."""
        cutoff = timezone.now() - datetime.timedelta(days=days)
        return self.filter(at__lt=cutoff).delete()[0]


class Event(models.Model):
    """One read, export, download or sign-in event. Written once, never changed."""

    class Kind(models.TextChoices):
        MEETING = "meeting", "Meeting page"
        BRIEF = "brief", "Brief page"
        BRIEF_PDF = "brief_pdf", "Brief PDF"
        CALENDAR = "calendar", "Calendar file"
        API = "api", "API record"
        EXPORT = "export", "Export"
        SOURCE = "source", "Source file"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Sign-in refused"
        MFA_FAILED = "mfa_failed", "Second factor failed"
        DIRECTORY_REFUSED = "directory_refused", "Directory refused"
        UNLOCKED = "unlocked", "Sign-in unlocked"
        PASSWORD_RESET = "password_reset", "Password reset"

    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=Kind)
    # No database constraint: a row outlives the person or meeting it names.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(max_length=150, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    marking = models.PositiveSmallIntegerField(null=True, blank=True, choices=classification.choices)
    detail = models.JSONField(default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "audit event"
        indexes = [
            models.Index(fields=["at"]),
            models.Index(fields=["meeting", "at"], condition=Q(meeting__isnull=False), name="audit_meeting"),
            models.Index(fields=["user", "at"], name="audit_user"),
            # What sign-in throttling counts: one name's or one address's recent events.
            models.Index(fields=["username", "kind", "at"], condition=SIGN_IN_ROWS, name="audit_name"),
            models.Index(fields=["address", "kind", "at"], condition=SIGN_IN_ROWS, name="audit_address"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.username} · {self.at:%Y-%m-%d %H:%M}"

    @property
    def marking_label(self) -> str:
        return classification.label(self.marking) if self.marking is not None else ""
