"""Base models and the audit trail shared by every app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds created_at / updated_at to a model."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One recorded change: who did what to which object, when, and from where. Never edited."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    code = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.code} {self.object_repr}"

    @property
    def words(self) -> str:
        """What happened, in the reader's language ("Certificate revoked"), not the machine's code."""
        from ocop.core.audit_words import audit_words

        return audit_words(self.code)


class ScheduledRun(models.Model):
    """One periodic job's run for one due time, claimed by exactly one scheduler: a second scheduler (another
    machine) inserting the same (job, due time) hits the unique constraint and leaves the run alone."""

    job = models.CharField(_("job"), max_length=60)
    due_at = models.DateTimeField(_("due at"))
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    host = models.CharField(_("claimed by"), max_length=200, blank=True)
    task_id = models.CharField(_("background task"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-due_at", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "due_at"], name="scheduled_run_once")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.due_at:%Y-%m-%d %H:%M}"


class SubmittedForm(models.Model):
    """A create form's one-time token, spent by its first submission (`core.once`): a double click, a resend or
    five concurrent posts of the same form create one record; the others are sent where the first went."""

    token = models.CharField(max_length=64, unique=True)
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "submitted form"

    def __str__(self) -> str:
        return self.token


class FloodCounter(models.Model):
    """How many times something was done in a fixed time window (`core.flood`): counted with one conditional
    UPDATE, so concurrent requests cannot all slip under the limit."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "flood counter"
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="flood_counter_unique")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start}: {self.count}"


class Notification(models.Model):
    """Something that happened which a person should know of: in the in-app centre, and by e-mail unless they
    turned that kind off (`NotificationSetting`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class NotificationSetting(models.Model):
    """A person's choice not to receive one kind of notification by e-mail (no row: e-mail on)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20)
    email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_setting_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.email}"
