"""OCOP certificates: stars recognised by a decision, valid for 36 months, revocable."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ocop.accounts.scoping import ScopedQuerySet
from ocop.catalog.models import CertificateStatus, Regime
from ocop.core.dates import DatePrecision, date_display, period_end
from ocop.core.models import TimeStampedModel


class CertificateQuerySet(ScopedQuerySet):
    """A certificate is where its product's producer is (the province that issued it)."""

    province_path = "province"
    commune_path = "product__producer__commune"
    producer_path = "product__producer"


class Certificate(TimeStampedModel):
    """The recognition of a product at 3, 4 or 5 stars by a decision of the competent level."""

    objects = CertificateQuerySet.as_manager()

    Status = CertificateStatus  # one list of statuses: the product row keeps its current certificate's

    class Level(models.TextChoices):
        DISTRICT = "district", _("District")
        PROVINCE = "province", _("Province")
        CENTRAL = "central", _("Central")

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    verification_code = models.CharField(_("verification code"), max_length=16, unique=True, editable=False)
    stars = models.PositiveSmallIntegerField(_("stars"), validators=[MinValueValidator(3), MaxValueValidator(5)])
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        null=True,
        blank=True,
        help_text=_("Empty when a published list gave no score."),
    )
    regime = models.CharField(_("regime"), max_length=10, choices=Regime.choices)
    level = models.CharField(_("certifying level"), max_length=10, choices=Level.choices)
    issuer = models.CharField(
        _("issued by"),
        max_length=200,
        blank=True,
        help_text=_("e.g. UBND tỉnh Cao Bằng; blank when the source does not say"),
    )
    province = models.ForeignKey(
        "geo.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="certificates",
        help_text=_("Today's province the certified product belongs to."),
    )
    legacy_province = models.ForeignKey(
        "geo.LegacyProvince",
        verbose_name=_("former province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
        help_text=_("The province that issued the decision, for decisions before 1 July 2025."),
    )
    decision_number = models.CharField(
        _("decision number"), max_length=40, blank=True, help_text=_("Blank when a published list gave none.")
    )
    round_label = models.CharField(_("evaluation round"), max_length=40, blank=True)
    issued_on = models.DateField(
        _("issued on"),
        help_text=_("The decision's date; its first day of the month or year when only those are known."),
    )
    issued_precision = models.CharField(
        _("date known to the"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    expires_on = models.DateField(_("expires on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_decision = models.CharField(_("revocation decision"), max_length=40, blank=True)
    revocation_reason = models.TextField(_("revocation reason"), blank=True)
    expiry_reminded_on = models.DateField(_("expiry reminder sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(stars__gte=3, stars__lte=5), name="certificate_stars_3_to_5"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                name="certificate_score_0_100",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("issued_on")),
                name="certificate_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="revoked") | models.Q(revoked_on__isnull=False),
                name="certificate_revoked_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["province", "status", "stars"], name="cert_province_status_idx"),
            models.Index(fields=["status", "expires_on"], name="cert_status_expiry_idx"),
            models.Index(fields=["product", "-issued_on"], name="cert_product_issued_idx"),
            # Next serial of a province and year: number LIKE 'OCOP-04-2021-%' uses it on PostgreSQL, whose
            # default index (a non-C collation) cannot serve a prefix search.
            models.Index(fields=["number"], name="cert_number_prefix_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.stars}★)"

    @property
    def issued_display(self) -> str:
        """The decision date as far as it is known ("năm 2021 (chưa rõ ngày quyết định)")."""
        return date_display(self.issued_on, self.issued_precision, unknown_day=gettext("decision day not known"))

    @property
    def expires_display(self) -> str:
        """The expiry to the same precision as the decision date (the earliest it can be)."""
        return date_display(self.expires_on, self.issued_precision, unknown_day=gettext("36 months after the decision"))

    @property
    def counts_from(self) -> dt.date:
        """The first day the certificate is certainly valid: the end of the month or year when only those
        are known (the rule of `docs/domain.md`, "Recognitions known to the month or the year")."""
        return period_end(self.issued_on, self.issued_precision)


class CertificateSequence(models.Model):
    """The last serial given in a province and year: the row `rules.certificate_numbers_allocate` locks."""

    province_code = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "certificate number sequence"
        constraints = [models.UniqueConstraint(fields=["province_code", "year"], name="cert_sequence_unique")]

    def __str__(self) -> str:
        return f"OCOP-{self.province_code}-{self.year}: {self.last}"


class CertifiedSpan(models.Model):
    """A stretch of days during which a product counts as certified, and the certificate it counts with.

    The statistics projection of certificates (kept by `certification.projection.spans_rebuild`, which every
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
        db_table = "dashboards_certifiedspan"  # created by the dashboards app, which held it first
        indexes = [
            models.Index(fields=["province_id", "starts_on"], name="span_province_idx"),
            models.Index(fields=["legacy_province_id", "starts_on"], name="span_legacy_province_idx"),
            models.Index(fields=["commune_id", "starts_on"], name="span_commune_idx"),
            # The nation's figures read the rollup (`CertifiedCount`) up to the current month and the spans
            # whose dates fall in it through these; the rollup's upkeep finds a producer's spans by the last.
            models.Index(fields=["starts_on"], name="span_starts_idx"),
            models.Index(fields=["ends_on"], name="span_ends_idx"),
            models.Index(fields=["issued_on"], name="span_issued_idx"),
            models.Index(fields=["expires_on"], name="span_expires_idx"),
            models.Index(fields=["revoked_on"], name="span_revoked_idx"),
            models.Index(fields=["producer_id"], name="span_producer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.stars}★ {self.starts_on}–{self.ends_on}"


class CertifiedProducerSpan(models.Model):
    """A stretch of days during which a producer holds at least one certified product, in one area and type.

    The union of its products' `CertifiedSpan` rows grouped by today's province (`grouping` "p") or by the
    former province ("l") and the producer type, as the dashboards count producers: each producer once per
    area and type. Kept with the rollup by `certification.rollup`.
    """

    grouping = models.CharField(max_length=1)
    area_id = models.IntegerField(help_text="Province or former province id; 0 when the product has none.")
    producer_kind = models.CharField(max_length=20)
    producer_id = models.IntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        verbose_name = "certified producer span"
        indexes = [
            models.Index(fields=["producer_id"], name="pspan_producer_idx"),
            models.Index(fields=["starts_on"], name="pspan_starts_idx"),
            models.Index(fields=["ends_on"], name="pspan_ends_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.producer_id} {self.grouping}{self.area_id}: {self.starts_on}–{self.ends_on}"


class CertifiedCount(models.Model):
    """The statistics rollup: how many certification events of a kind fell in a month or a year.

    `certification.rollup` keeps it as the spans change (each change adds its events with their sign), so
    "certified on D" nationwide is a sum over the years before D's, the months of D's year before D's month
    and the spans whose dates fall in D's month — a few thousand rows whatever the size of the programme.
    Facets: "a" products by province, former province and stars (+1 when a span starts, -1 when it ends);
    "c" by category; "k" by producer type; "p"/"l" producers by province/former province and type (from
    `CertifiedProducerSpan`); "y" certificates issued, "e" expired (not revoked before), "r" revoked, by stars;
    "h" products with a live sales channel of a kind, "n" with one of a name ("kind|name"), both from
    `market.ChannelSpan` (kept by `market.rollup`).
    """

    grain = models.CharField(max_length=1, help_text="m: a month; y: a year.")
    period = models.DateField(help_text="The first day of the month or the year.")
    facet = models.CharField(max_length=1)
    province_id = models.IntegerField(default=0)
    legacy_province_id = models.IntegerField(default=0)
    key = models.CharField(max_length=140, blank=True)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = "certified count"
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "period", "facet", "province_id", "legacy_province_id", "key"],
                name="certified_count_unique",
            )
        ]

    def __str__(self) -> str:
        where = f"{self.province_id}/{self.legacy_province_id}"
        return f"{self.grain}{self.period} {self.facet} {where} {self.key}: {self.n}"
