"""Plan targets: what a province or the nation set out to certify in a period, to compare with what it did."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel


class PlanTarget(TimeStampedModel):
    """A target count of products to certify in a period (e.g. 2018–2020), for a province or the nation."""

    province = models.ForeignKey(
        "geo.Province",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_targets",
        help_text=_("Empty for a national target."),
    )
    start_year = models.PositiveSmallIntegerField(
        _("from year"), validators=[MinValueValidator(2018), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("to year"), validators=[MinValueValidator(2018), MaxValueValidator(2100)]
    )
    stars = models.PositiveSmallIntegerField(
        _("stars"),
        null=True,
        blank=True,
        validators=[MinValueValidator(3), MaxValueValidator(5)],
        help_text=_("Empty for products of 3 stars and up; otherwise products of exactly this level."),
    )
    target = models.PositiveIntegerField(_("target number of products"), validators=[MinValueValidator(1)])
    source = models.CharField(
        _("source"), max_length=255, blank=True, help_text=_("The plan or decision that sets it, e.g. KH 45/KH-UBND.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        ordering = ["province", "start_year", "stars"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="plan_target_years_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_year}–{self.end_year}: {self.target}"


class CertifiedSpan(models.Model):
    """A stretch of days during which a product counts as certified, and the certificate it counts with.

    The statistics projection of certificates (kept by `dashboards.projection.spans_rebuild`, which every
    certificate and product service calls): for each product, its certificates' validity cut into
    intervals, each carrying the best certificate valid then (highest stars, then latest). "Products
    certified on D" is then one filter on a narrow table — `starts_on <= D < ends_on` — with no grouping
    per product, and the product's place, group and producer type are copied so no join is needed.
    A certificate shadowed all its life by a better one keeps one empty span (starts_on = ends_on) so that
    `is_first` marks exactly one row per certificate: counts of certificates issued, expired or revoked
    read the same table.
    """

    certificate = models.ForeignKey("certification.Certificate", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    producer_id = models.IntegerField()
    province_id = models.IntegerField(null=True)
    legacy_province_id = models.IntegerField(null=True)
    commune_id = models.IntegerField(null=True)
    category_id = models.IntegerField(null=True)
    producer_kind = models.CharField(max_length=20)
    stars = models.PositiveSmallIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    run_ends_on = models.DateField(help_text="When the product's unbroken certification containing this span ends.")
    is_first = models.BooleanField(help_text="The first span of its certificate (one per certificate).")
    issued_year = models.PositiveSmallIntegerField()
    issued_on = models.DateField()
    expires_on = models.DateField()
    revoked_on = models.DateField(null=True)

    class Meta:
        verbose_name = "certified span"
        indexes = [
            models.Index(fields=["province_id", "starts_on"], name="span_province_idx"),
            models.Index(fields=["legacy_province_id", "starts_on"], name="span_legacy_province_idx"),
            models.Index(fields=["commune_id", "starts_on"], name="span_commune_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.stars}★ {self.starts_on}–{self.ends_on}"
