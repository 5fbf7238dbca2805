"""Administrative units: today's 34 provinces and 3,321 communes, and the units before 1 July 2025."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    """A province or centrally-run city in force since 1 July 2025 (Resolution 202/2025/QH15)."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=80)
    full_name = models.CharField(_("full name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    sort_key = models.CharField(max_length=200, db_index=True, editable=False)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A commune, ward or special zone (xã, phường, đặc khu) in force since 1 July 2025."""

    class Kind(models.TextChoices):
        COMMUNE = "xa", _("Commune")
        WARD = "phuong", _("Ward")
        SPECIAL_ZONE = "dac_khu", _("Special zone")

    code = models.CharField(_("code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="communes"
    )
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)
    sort_key = models.CharField(max_length=250, editable=False)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["province__sort_key", "sort_key"]
        indexes = [models.Index(fields=["province", "sort_key"], name="commune_province_sort_idx")]

    def __str__(self) -> str:
        return f"{self.name}, {self.province.name}"


class LegacyProvince(models.Model):
    """One of the 63 provinces in force until 30 June 2025, and the province that absorbed it."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=80)
    name_folded = models.CharField(max_length=80, editable=False)
    sort_key = models.CharField(max_length=200, db_index=True, editable=False)
    successor = models.ForeignKey(
        Province,
        verbose_name=_("today's province"),
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    class Meta:
        verbose_name = _("former province")
        verbose_name_plural = _("former provinces")
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return self.name


class LegacyDistrict(models.Model):
    """A district-level unit abolished on 1 July 2025; kept to read old addresses."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)
    province = models.ForeignKey(
        LegacyProvince, verbose_name=_("former province"), on_delete=models.PROTECT, related_name="districts"
    )

    class Meta:
        verbose_name = _("former district")
        verbose_name_plural = _("former districts")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}, {self.province.name}"


class LegacyCommune(models.Model):
    """A commune before 1 July 2025 and the commune(s) it became part of."""

    code = models.CharField(_("code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)
    district = models.ForeignKey(
        LegacyDistrict, verbose_name=_("former district"), on_delete=models.PROTECT, related_name="communes"
    )
    successor = models.ForeignKey(
        Commune,
        verbose_name=_("today's commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("Empty when the commune was split between several new communes."),
    )
    split_into = models.ManyToManyField(
        Commune, verbose_name=_("split into"), blank=True, related_name="split_predecessors"
    )

    class Meta:
        verbose_name = _("former commune")
        verbose_name_plural = _("former communes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
