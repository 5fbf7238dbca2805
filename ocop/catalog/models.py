"""Products and the OCOP product classification."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.core.gs1 import gtin_validate
from ocop.core.models import TimeStampedModel
from ocop.core.storage import RandomName


class Regime(models.TextChoices):
    """The legal instrument whose criteria and procedure apply."""

    D1048_2019 = "1048/2019", _("Decision 1048/QĐ-TTg (2019)")
    D148_2023 = "148/2023", _("Decision 148/QĐ-TTg (2023)")
    D1489_2025 = "1489/2025", _("Decision 148/QĐ-TTg as amended by 1489/QĐ-TTg (2025)")


class CertificateStatus(models.TextChoices):
    """A certificate's status; the product row keeps its current certificate's (`Certificate.Status` is this)."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class Category(models.Model):
    """A node of the product classification: group (I–VI), subgroup ("nhóm") or criteria-set leaf."""

    class Level(models.IntegerChoices):
        GROUP = 1, _("Group")
        SUBGROUP = 2, _("Subgroup")
        SET = 3, _("Criteria set")

    regime = models.CharField(_("regime"), max_length=10, choices=Regime.choices)
    code = models.CharField(_("code"), max_length=12)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    group = models.ForeignKey(
        "self",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The top-level group this node belongs to (itself for a group)."),
    )
    is_leaf = models.BooleanField(_("has its own criteria set"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["regime", "position"]
        constraints = [models.UniqueConstraint(fields=["regime", "code"], name="category_regime_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Product(TimeStampedModel):
    """A product registered in the OCOP programme by a producer."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("On the market")
        DISCONTINUED = "discontinued", _("Discontinued")

    producer = models.ForeignKey(
        "producers.Producer", verbose_name=_("producer"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False)
    sort_key = models.CharField(max_length=600, editable=False)
    slug = models.SlugField(_("slug"), max_length=90)
    code = models.CharField(
        _("national product code"),
        max_length=40,
        blank=True,
        help_text=_("Code in the national evaluation software, e.g. 83-832-28882-2-2022."),
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("product group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        limit_choices_to={"is_leaf": True},
        help_text=_("Empty (“chưa phân nhóm”) when an imported list did not say; officers classify such products."),
    )
    description = models.TextField(_("description"), blank=True)
    story = models.TextField(_("product story"), blank=True)
    packaging = models.CharField(_("packaging"), max_length=255, blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    gtin = models.CharField(
        _("GTIN (barcode number)"),
        max_length=14,
        blank=True,
        db_index=True,
        validators=[gtin_validate],
        help_text=_("The GS1 barcode number on the package (8, 12, 13 or 14 digits), if the product has one."),
    )
    price_min = models.PositiveIntegerField(_("lowest price (VND)"), null=True, blank=True)
    price_max = models.PositiveIntegerField(_("highest price (VND)"), null=True, blank=True)
    annual_capacity = models.PositiveIntegerField(_("annual capacity"), null=True, blank=True)
    capacity_unit = models.CharField(_("capacity unit"), max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.ACTIVE)
    text_hidden = models.BooleanField(
        _("description and story hidden"), default=False,
        help_text=_("Set by an officer when the producer's own text must not be shown (the audit trail says why)."),
    )  # fmt: skip
    # The cover photo's renditions ({"width", "height", "files"}), kept by the picture services so that a
    # card needs no second query.
    cover = models.JSONField(default=dict, blank=True, editable=False)
    # Copied from the product's latest certificate by the certification services, so that lists
    # and search filter on one table.
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True, editable=False)
    certificate_status = models.CharField(
        _("certificate status"), max_length=10, blank=True, editable=False, choices=CertificateStatus.choices
    )
    certified_on = models.DateField(_("certified on"), null=True, blank=True, editable=False)
    # The search projection, filled by product_fill_derived and the channel/certificate services:
    # one table answers every catalog filter and facet.
    name_tone = models.CharField(max_length=255, editable=False, default="")
    search_document = models.TextField(editable=False, default="")
    province = models.ForeignKey(
        "geo.Province", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    legacy_province = models.ForeignKey(
        "geo.LegacyProvince", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    commune = models.ForeignKey(
        "geo.Commune", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    group = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    producer_kind = models.CharField(max_length=20, editable=False, default="")
    has_ecommerce = models.BooleanField(default=False, editable=False)
    in_retail = models.BooleanField(default=False, editable=False)
    exported = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["sort_key"]
        indexes = [
            models.Index(fields=["certificate_status", "stars"], name="product_cert_stars_idx"),
            models.Index(fields=["-certified_on"], name="product_certified_on_idx"),
            models.Index(fields=["province", "certificate_status"], name="product_province_status_idx"),
            models.Index(fields=["group", "certificate_status"], name="product_group_status_idx"),
            models.Index(fields=["certificate_status", "-stars", "-certified_on"], name="product_listing_idx"),
            models.Index(fields=["sort_key"], name="product_sort_idx"),
            models.Index(fields=["-stars", "-certified_on", "-id"], name="product_rank_idx"),
            # A product page's related products: the best certified of its group, walked with LIMIT.
            models.Index(
                fields=["category", "-stars", "-certified_on", "id"],
                condition=models.Q(certificate_status="valid"),
                name="product_related_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_min__isnull=True)
                | models.Q(price_max__isnull=True)
                | models.Q(price_min__lte=models.F("price_max")),
                name="product_price_range_ordered",
                violation_error_message=_("The lowest price cannot exceed the highest price."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProductImage(models.Model):
    """A photo of a product; the lowest position is the cover.

    `image` is the largest JPEG rendition; `renditions` names every width's WebP and JPEG files
    ({"320": {"webp": …, "jpeg": …}, …}), written once by `ocop.core.pictures` (EXIF stripped).
    """

    MAX_PER_PRODUCT = 8

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to=RandomName("products/%Y/%m"))
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    hidden = models.BooleanField(_("hidden by an officer"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, null=True)

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name or ""

    @property
    def picture(self) -> dict:
        """What the `picture` template tag draws: {"width", "height", "files": {width: {"webp", "jpeg"}}}."""
        files = self.renditions or ({str(self.width or 1280): {"jpeg": self.image.name}} if self.image else {})
        return {"width": self.width, "height": self.height, "files": files}


class SearchWord(models.Model):
    """A word of the search index with the number of products holding it: the typo fallback's vocabulary on
    PostgreSQL, rebuilt after imports and nightly (`ocop.catalog.search.vocabulary_refresh`) instead of a scan of
    the index per process. SQLite reads its FTS5 vocabulary table directly and leaves this one empty."""

    word = models.CharField(max_length=100, primary_key=True)
    ndoc = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.word
