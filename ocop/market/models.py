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


class SalePoint(TimeStampedModel):
    """A display-and-sale point for OCOP products ("điểm giới thiệu và bán sản phẩm OCOP", QĐ 920/QĐ-BCT)."""

    name = models.CharField(_("name"), max_length=200)
    operator = models.CharField(_("operated by"), max_length=200, blank=True)
    address = models.CharField(_("street address"), max_length=255, blank=True)
    commune = models.ForeignKey(
        "geo.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="sale_points"
    )
    province = models.ForeignKey(
        "geo.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="sale_points"
    )
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    products = models.ManyToManyField(
        "catalog.Product", verbose_name=_("products on sale"), blank=True, related_name="sale_points"
    )

    class Meta:
        verbose_name = _("display-and-sale point")
        verbose_name_plural = _("display-and-sale points")
        ordering = ["province", "name"]
        indexes = [models.Index(fields=["province", "opened_on"], name="salepoint_province_idx")]

    def __str__(self) -> str:
        return self.name


class Fair(TimeStampedModel):
    """A fair or trade event where OCOP producers show and sell their products ("hội chợ")."""

    name = models.CharField(_("name"), max_length=255)
    organiser = models.CharField(_("organiser"), max_length=200)
    place = models.CharField(_("place"), max_length=255)
    province = models.ForeignKey(
        "geo.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="fairs"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("fair")
        verbose_name_plural = _("fairs")
        ordering = ["-starts_on", "name"]
        indexes = [models.Index(fields=["province", "starts_on"], name="fair_province_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="fair_ends_after_start",
                violation_error_message=_("A fair cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name
