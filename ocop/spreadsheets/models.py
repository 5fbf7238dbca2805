"""Staged imports of published product lists: the uploaded file, its mapping, its outcome."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.accounts.scoping import ScopedQuerySet
from ocop.core.models import TimeStampedModel
from ocop.core.storage import private_storage, random_file_name


def import_path(instance: ImportSession, filename: str) -> str:
    """A random name under the month (the uploaded name is kept as original_name)."""
    return random_file_name(timezone.now().strftime("imports/%Y/%m"), filename)


class ImportSessionQuerySet(ScopedQuerySet):
    """An import belongs to the province whose list it holds."""

    province_path = "province"


class ImportSession(TimeStampedModel):
    """One uploaded list on its way in: upload → map columns → validate → commit (all or nothing)."""

    objects = ImportSessionQuerySet.as_manager()

    class Status(models.TextChoices):
        RECEIVED = "received", _("Reading the file")
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Checking")
        VALIDATED = "validated", _("Checked")
        COMMITTING = "committing", _("Importing")
        COMMITTED = "committed", _("Imported")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    province = models.ForeignKey(
        "geo.Province",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Rows without a province are placed here."),
    )
    decision_number = models.CharField(_("decision number"), max_length=40, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=import_path, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("format"), max_length=4)
    header_row = models.IntegerField(_("header row"), default=-1)
    headers = models.JSONField(_("headers"), default=list)
    samples = models.JSONField(
        _("first rows"), default=list, blank=True,
        help_text=_("The first data rows under the header, kept at upload: the page never reads the file again."),
    )  # fmt: skip
    mapping = models.JSONField(_("column mapping"), default=dict, help_text=_("Column index → field."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    counts = models.JSONField(_("counts"), default=dict)
    rejected = models.JSONField(_("first rejected rows"), default=list)
    message = models.TextField(_("message"), blank=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    task_id = models.CharField(_("background task"), max_length=64, blank=True)
    rejected_file = models.FileField(
        _("rejected rows (.xlsx)"), upload_to=import_path, storage=private_storage, blank=True,
        help_text=_("Written by the check or the import: the download never reads the list again."),
    )  # fmt: skip

    RUNNING = (Status.RECEIVED, Status.CHECKING, Status.COMMITTING)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_running(self) -> bool:
        """Checking or importing now (a stale claim is not running: its worker is gone)."""
        return self.status in self.RUNNING and not self.is_stale

    @property
    def is_stale(self) -> bool:
        """Claimed for a check or an import longer ago than any run takes: the worker died (killed, machine
        restarted) and the database rolled its writes back; the officer may start it again."""
        limit = dt.timedelta(minutes=settings.OCOP_IMPORT_STALE_MINUTES)
        return self.status in self.RUNNING and self.updated_at is not None and timezone.now() - self.updated_at > limit

    @property
    def is_read(self) -> bool:
        """The worker has read the file and found its header (its columns can be mapped)."""
        return bool(self.headers)

    @property
    def can_commit(self) -> bool:
        checked = self.status == self.Status.VALIDATED or (self.status == self.Status.COMMITTING and self.is_stale)
        return checked and self.counts.get("new", 0) + self.counts.get("updated", 0) > 0


class RememberedMapping(models.Model):
    """The column mapping an officer confirmed for files with these headers, offered next time."""

    signature = models.CharField(max_length=32, unique=True)
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("remembered column mapping")
        verbose_name_plural = _("remembered column mappings")

    def __str__(self) -> str:
        return self.signature


class ReviewItem(models.Model):
    """A row whose former commune was split between new communes: a person chooses, the system does not guess."""

    session = models.ForeignKey(ImportSession, on_delete=models.CASCADE, related_name="review_items")
    row_number = models.PositiveIntegerField(_("row"))
    data = models.JSONField(_("row"), default=dict)
    address = models.CharField(_("address"), max_length=500)
    candidates = models.ManyToManyField("geo.Commune", related_name="+", verbose_name=_("possible communes"))
    resolved_commune = models.ForeignKey(
        "geo.Commune", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )

    class Meta:
        verbose_name = _("row to review")
        verbose_name_plural = _("rows to review")
        ordering = ["session", "row_number"]
        constraints = [models.UniqueConstraint(fields=["session", "row_number"], name="review_row_unique")]

    def __str__(self) -> str:
        return f"{self.session} #{self.row_number}"
