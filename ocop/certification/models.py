"""OCOP certificates: stars recognised by a decision, valid for 36 months, revocable."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.catalog.models import Regime
from ocop.core.models import TimeStampedModel


class Certificate(TimeStampedModel):
    """The recognition of a product at 3, 4 or 5 stars by a decision of the competent level."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

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
    issuer = models.CharField(_("issued by"), max_length=200, help_text=_("e.g. UBND tỉnh Cao Bằng"))
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
    decision_number = models.CharField(_("decision number"), max_length=40)
    round_label = models.CharField(_("evaluation round"), max_length=40, blank=True)
    issued_on = models.DateField(_("issued on"))
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

    def status_on(self, day: dt.date) -> str:
        """The certificate's status on `day`, whether or not the expiry task has run yet."""
        if self.revoked_on and self.revoked_on <= day:
            return self.Status.REVOKED
        if day < self.issued_on:
            return ""
        if day >= self.expires_on:
            return self.Status.EXPIRED
        return self.Status.VALID
