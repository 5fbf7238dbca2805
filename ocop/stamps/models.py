"""Stamps that prove the stars: production batches of certified products, series of QR stamps, their scans, the
counterfeit signals the scans raise and the reports consumers send."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.accounts.scoping import ScopedQuerySet, scope_q
from ocop.core.models import TimeStampedModel

MAX_SERIES = 1_000_000


class BatchQuerySet(ScopedQuerySet):
    province_path = "product__province"
    commune_path = "product__commune"
    producer_path = "product__producer"


class Batch(TimeStampedModel):
    """A production batch (lô sản xuất) of a certified product: its lot number, dates and size."""

    objects = BatchQuerySet.as_manager()

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="batches"
    )
    certificate = models.ForeignKey(
        "certification.Certificate",
        verbose_name=_("certificate"),
        on_delete=models.PROTECT,
        related_name="batches",
        help_text=_("The certificate in force on the production date."),
    )
    lot = models.CharField(_("lot number"), max_length=20)
    produced_on = models.DateField(_("production date"))
    best_before = models.DateField(_("best before"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity (units)"), validators=[MinValueValidator(1)])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("production batch")
        verbose_name_plural = _("production batches")
        ordering = ["-produced_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "lot"], name="stamps_batch_lot_unique"),
            models.CheckConstraint(
                condition=models.Q(best_before__isnull=True) | models.Q(best_before__gt=models.F("produced_on")),
                name="stamps_batch_best_before_after_production",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lot} ({self.produced_on:%d/%m/%Y})"


class SeriesQuerySet(ScopedQuerySet):
    province_path = "batch__product__province"
    commune_path = "batch__product__commune"
    producer_path = "batch__product__producer"


class StampSeries(TimeStampedModel):
    """N stamps ordered for a batch, numbered 1…N; their codes are drawn at random when the series is made."""

    class Status(models.TextChoices):
        GENERATING = "generating", _("Codes being drawn")
        READY = "ready", _("Ready to print")
        FAILED = "failed", _("Failed")

    objects = SeriesQuerySet.as_manager()

    batch = models.ForeignKey(Batch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="series")
    number = models.PositiveIntegerField(_("series number"))
    quantity = models.PositiveIntegerField(
        _("stamps"), validators=[MinValueValidator(1), MaxValueValidator(MAX_SERIES)]
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.GENERATING)
    printed_at = models.DateTimeField(
        _("labels first downloaded"),
        null=True,
        blank=True,
        help_text=_("Scans of a series never printed are a signal."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("stamp series")
        verbose_name_plural = _("stamp series")
        ordering = ["batch", "number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="stamps_series_number_unique"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1, quantity__lte=MAX_SERIES), name="stamps_series_size"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch.lot} #{self.number} ({self.quantity})"


class Stamp(models.Model):
    """One stamp: its random code (the key) and its serial in the series. Nothing else is stored per stamp."""

    code = models.CharField(_("code"), max_length=11, primary_key=True)
    series = models.ForeignKey(StampSeries, on_delete=models.CASCADE, related_name="stamps", db_index=False)
    serial = models.PositiveIntegerField(_("serial"))

    class Meta:
        verbose_name = _("stamp")
        verbose_name_plural = _("stamps")
        constraints = [models.UniqueConstraint(fields=["series", "serial"], name="stamps_stamp_serial_unique")]

    def __str__(self) -> str:
        return self.code


class ScanQuerySet(ScopedQuerySet):
    province_path = "product__province"
    commune_path = "product__commune"
    producer_path = "product__producer"


class Scan(models.Model):
    """One opening of a stamp's page: when, roughly where (a province, only if the person chose it or their browser
    granted it), the network address cut to its first part and the kind of browser. Never a precise position."""

    class Outcome(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Certificate expired")
        REVOKED = "revoked", _("Certificate revoked")
        UNKNOWN = "unknown", _("Unknown code")
        MISTYPED = "mistyped", _("Mistyped code")
        MISMATCH = "mismatch", _("Code on the wrong product or lot")

    class Source(models.TextChoices):
        NONE = "", _("Not given")
        CHOSEN = "chosen", _("Chosen by the person")
        BROWSER = "browser", _("Granted by the browser")

    at = models.DateTimeField(_("scanned at"), db_index=True)
    code = models.CharField(_("code read"), max_length=40)
    # The log is written in bulk at every scan: only the indexes its readers use (the (stamp, at) and (product,
    # at) pairs below serve the foreign keys too; a province is never deleted).
    stamp = models.ForeignKey(
        Stamp, null=True, blank=True, on_delete=models.CASCADE, related_name="scans", db_index=False
    )
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.CASCADE, related_name="stamp_scans", db_index=False
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    province = models.ForeignKey(
        "geo.Province", verbose_name=_("province"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        db_index=False,
    )  # fmt: skip
    province_source = models.CharField(max_length=8, choices=Source.choices, blank=True, default="")
    network = models.CharField(_("network (truncated address)"), max_length=45, blank=True)
    agent = models.CharField(_("browser family"), max_length=30, blank=True)
    # Random (ocop/stamps/scanlog.py): the page's place form names its scan by it.
    token = models.CharField(max_length=32, blank=True, default="", editable=False)

    objects = ScanQuerySet.as_manager()

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["stamp", "at"], name="stamps_scan_stamp_at_idx"),
            models.Index(fields=["product", "at"], name="stamps_scan_product_at_idx"),
            models.Index(fields=["token"], name="stamps_scan_token_idx"),  # no pattern-ops twin: equality only
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.at:%Y-%m-%d %H:%M}"


class SignalQuerySet(ScopedQuerySet):
    province_path = "product__province"
    commune_path = "product__commune"
    producer_path = "product__producer"


class Signal(TimeStampedModel):
    """A counterfeit signal raised by the scans: one open signal per rule and code, counted up as scans repeat."""

    class Rule(models.TextChoices):
        MANY_SCANS = "many_scans", _("One code scanned many times")
        FAR_APART = "far_apart", _("Scanned in provinces far apart within a short time")
        UNKNOWN_CODE = "unknown_code", _("Unknown code on the product's address")
        WRONG_PRODUCT = "wrong_product", _("Genuine code on another product or lot")
        NOT_PRINTED = "not_printed", _("Scan of a series never printed")
        AFTER_REVOCATION = "after_revocation", _("Still on sale after the certificate was revoked")

    class Status(models.TextChoices):
        OPEN = "open", _("To handle")
        CLOSED = "closed", _("Handled")

    objects = SignalQuerySet.as_manager()

    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    code = models.CharField(_("code"), max_length=40)
    stamp = models.ForeignKey(Stamp, null=True, blank=True, on_delete=models.CASCADE, related_name="signals")
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.CASCADE, related_name="stamp_signals"
    )
    first_at = models.DateTimeField(_("first seen"))
    last_at = models.DateTimeField(_("last seen"))
    scans = models.PositiveIntegerField(_("scans"), default=1)
    facts = models.JSONField(_("facts"), default=dict, blank=True, help_text=_("What the rule saw, in numbers."))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("counterfeit signal")
        verbose_name_plural = _("counterfeit signals")
        ordering = ["-last_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "code"], condition=models.Q(status="open"), name="stamps_signal_open_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.code}"

    @property
    def detail(self) -> str:
        """What the rule saw, in words of the active language."""
        from django.utils.formats import number_format
        from django.utils.translation import gettext

        f = self.facts or {}
        if "km" in f:
            return gettext("%(first)s → %(then)s: %(km)s km in %(minutes)s minutes") % {
                "first": f.get("from", ""), "then": f.get("to", ""), "km": number_format(f["km"], force_grouping=True),
                "minutes": number_format(f.get("minutes", 0), force_grouping=True),
            }  # fmt: skip
        if "provinces" in f:
            return gettext("%(n)s provinces within 24 hours") % {"n": f["provinces"]}
        if "day" in f:
            return gettext("%(day)s scans within 24 hours, %(total)s in all") % {
                "day": number_format(f["day"], force_grouping=True), "total": number_format(f.get("total", 0),
                                                                                            force_grouping=True),
            }  # fmt: skip
        if "lot" in f:
            return gettext("read from GTIN %(gtin)s, lot %(lot)s") % {"gtin": f.get("gtin", ""), "lot": f["lot"]}
        if "gtin" in f:
            return gettext("read from GTIN %(gtin)s") % {"gtin": f["gtin"]}
        return ""


class ReportQuerySet(ScopedQuerySet):
    """A report is the product's province's to handle; a report of an unknown code (no product), the province
    where it was bought."""

    province_path = "product__province"
    commune_path = "product__commune"
    producer_path = "product__producer"

    def restrict(self, user: Any) -> Self:
        placed = scope_q(user, province=self.province_path, commune=self.commune_path, producer=self.producer_path)
        if not placed:  # the whole country (an empty Q would vanish from the OR below)
            return self.all()
        return self.filter(placed | (scope_q(user, province="province") & models.Q(product__isnull=True)))


class CounterfeitReport(TimeStampedModel):
    """A consumer's report of a suspected fake ("báo hàng giả"), from a stamp's page or an unknown code's."""

    class Status(models.TextChoices):
        OPEN = "open", _("To handle")
        CLOSED = "closed", _("Handled")

    objects = ReportQuerySet.as_manager()

    code = models.CharField(_("code on the stamp"), max_length=40, blank=True)
    stamp = models.ForeignKey(Stamp, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="counterfeit_reports"
    )
    province = models.ForeignKey(
        "geo.Province", verbose_name=_("where it was bought"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    place = models.CharField(_("shop or market"), max_length=200, blank=True)
    description = models.TextField(_("what looks wrong"), max_length=2000)
    contact = models.CharField(_("phone or e-mail (optional)"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("counterfeit report")
        verbose_name_plural = _("counterfeit reports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.code or '—'} {self.created_at:%d/%m/%Y}"
