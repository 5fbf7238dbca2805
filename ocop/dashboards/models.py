"""Plan targets: what a province or the nation set out to certify in a period, to compare with what it did."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel
from ocop.core.programme import LAST_YEAR, PROGRAMME_FIRST_YEAR


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
        _("from year"), validators=[MinValueValidator(PROGRAMME_FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("to year"), validators=[MinValueValidator(PROGRAMME_FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
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
