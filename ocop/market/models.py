"""Where OCOP products are sold: e-commerce listings, retail contracts, export markets."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel


class SalesChannel(TimeStampedModel):
    """One way a product reaches buyers: a platform listing, a retail chain contract or an export market."""

    class Kind(models.TextChoices):
        ECOMMERCE = "ecommerce", _("E-commerce platform")
        RETAIL = "retail", _("Supermarket or retail chain")
        EXPORT = "export", _("Export")

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="sales_channels"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(
        _("platform, chain or country"), max_length=120, help_text=_("e.g. Shopee, Co.opmart, Nhật Bản")
    )
    url = models.URLField(_("link"), blank=True)
    stores = models.PositiveIntegerField(_("stores"), null=True, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("sales channel")
        verbose_name_plural = _("sales channels")
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["kind", "product"], name="channel_kind_product_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"
