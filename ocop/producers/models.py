"""Producers ("chủ thể OCOP"): the enterprises, cooperatives and households behind products."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel


class Producer(TimeStampedModel):
    """An OCOP producer ("chủ thể") with its legal form, contact and address."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        COOPERATIVE = "cooperative", _("Cooperative")
        COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group")
        HOUSEHOLD = "household", _("Household business")

    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False)
    sort_key = models.CharField(max_length=600, editable=False)
    slug = models.SlugField(_("slug"), max_length=90)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    tax_code = models.CharField(_("tax code"), max_length=14, null=True, blank=True, unique=True)
    representative = models.CharField(_("representative"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("street address"), max_length=255, blank=True)
    commune = models.ForeignKey(
        "geo.Commune",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="producers",
        help_text=_("Unknown (“chưa rõ”) when an imported list named only a district or the province."),
    )
    legacy_district = models.ForeignKey(
        "geo.LegacyDistrict",
        verbose_name=_("former district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="producers",
        help_text=_("The district or town of the address before 1 July 2025, where a list named one."),
    )
    province = models.ForeignKey(
        "geo.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="producers"
    )
    legacy_province = models.ForeignKey(
        "geo.LegacyProvince",
        verbose_name=_("former province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="producers",
        help_text=_("The province of the producer's address before 1 July 2025, where known."),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    members = models.PositiveIntegerField(_("members"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ProducerMembership",
        related_name="producers",
        verbose_name=_("users"),
        blank=True,
    )

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["sort_key"]
        indexes = [models.Index(fields=["province", "kind"], name="producer_province_kind_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def place(self) -> str:
        """Where the producer is, as deep as known: "Xã X, Tỉnh Y", "Huyện Z (cũ), Tỉnh Y", "Tỉnh Y"."""
        return place_name(
            commune=self.commune.name if self.commune is not None else None,
            legacy_district=self.legacy_district.name if self.legacy_district is not None else None,
            province=self.province.name,
        )


def place_name(*, commune: str | None, legacy_district: str | None, province: str) -> str:
    """A place as deep as known, from its names: the commune, else the former district, then the province."""
    if commune:
        return f"{commune}, {province}"
    if legacy_district:
        return f"{gettext('%(name)s (former)') % {'name': legacy_district}}, {province}"
    return province


class ProducerMembership(models.Model):
    """A user who may act for a producer (a user can belong to several producers)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("producer membership")
        verbose_name_plural = _("producer memberships")
        constraints = [models.UniqueConstraint(fields=["user", "producer"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.producer}"


class ProducerClaim(TimeStampedModel):
    """A signed-up account asks to act for a producer, found by its tax code or described anew; the commune or
    province office confirms (the membership, and the producer when it is new, are made then) or refuses."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the office")
        CONFIRMED = "confirmed", _("Confirmed")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="producer_claims")
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), null=True, blank=True, on_delete=models.CASCADE, related_name="claims",
        help_text=_("Empty when the producer is not in the programme's records yet."),
    )  # fmt: skip
    tax_code = models.CharField(_("tax code"), max_length=14)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("type"), max_length=20, choices=Producer.Kind.choices)
    province = models.ForeignKey("geo.Province", verbose_name=_("province"), on_delete=models.PROTECT,
                                 related_name="+")  # fmt: skip
    commune = models.ForeignKey("geo.Commune", verbose_name=_("commune"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")  # fmt: skip
    address = models.CharField(_("street address"), max_length=255, blank=True)
    position = models.CharField(_("your position"), max_length=100, blank=True,
                                help_text=_("E.g. director, chair of the cooperative, household head."))  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("producer claim")
        verbose_name_plural = _("producer claims")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "tax_code"], condition=models.Q(status="pending"), name="claim_one_pending_per_tax_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.name} ({self.tax_code})"
