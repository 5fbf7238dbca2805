"""Where OCOP products are sold: e-commerce listings, retail contracts, export markets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.accounts.models import User
from ocop.accounts.scoping import NATIONAL_ROLES, ScopedQuerySet
from ocop.core.models import TimeStampedModel
from ocop.core.storage import RandomName


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


class ChannelSpan(models.Model):
    """A stretch of days during which a certified product has a live sales channel of a kind ("h") or of a
    kind and name ("n"): the union of its channels' days and its certified spans' days. The statistics
    count products on these (`market.rollup`), so a product on two platforms counts once for e-commerce."""

    grouping = models.CharField(max_length=1)
    kind = models.CharField(max_length=10)
    name = models.CharField(max_length=120, blank=True)
    product_id = models.IntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        verbose_name = "channel span"
        indexes = [
            models.Index(fields=["product_id"], name="cspan_product_idx"),
            models.Index(fields=["starts_on"], name="cspan_starts_idx"),
            models.Index(fields=["ends_on"], name="cspan_ends_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.kind} {self.name}: {self.starts_on}–{self.ends_on}"


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
    registration_until = models.DateField(_("booth requests until"), null=True, blank=True)
    first_come = models.BooleanField(
        _("first come, first served"), default=False,
        help_text=_("Accept booth requests at once while booths remain; otherwise the organiser decides."),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

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


class InquiryQuerySet(ScopedQuerySet):
    """An inquiry is read by its buyer, the producer's members, the province's trade officers and the central office."""

    province_path = "province"
    producer_path = "producer"
    owner_path = "buyer"
    area_roles = NATIONAL_ROLES | {User.Role.PROVINCE_OFFICER}


class Inquiry(TimeStampedModel):
    """A buyer's request for a quote on a product ("hỏi mua"), answered by the producer in a thread."""

    objects = InquiryQuerySet.as_manager()

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a reply")
        REPLIED = "replied", _("Replied")
        WON = "won", _("Deal made")
        LOST = "lost", _("No deal")

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="inquiries"
    )
    producer = models.ForeignKey(
        "producers.Producer", verbose_name=_("producer"), on_delete=models.CASCADE, related_name="inquiries"
    )
    province = models.ForeignKey(
        "geo.Province", verbose_name=_("producer's province"), on_delete=models.PROTECT, related_name="+"
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("buyer"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="inquiries",
    )  # fmt: skip
    name = models.CharField(_("your name"), max_length=120)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30)
    target_price = models.PositiveBigIntegerField(_("target price per unit (VND)"), null=True, blank=True)
    delivery_province = models.ForeignKey(
        "geo.Province", verbose_name=_("deliver to"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    message = models.TextField(_("message to the producer"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["producer", "-created_at"], name="inquiry_producer_idx"),
            models.Index(fields=["province", "-created_at"], name="inquiry_province_idx"),
            models.Index(fields=["ip_address", "created_at"], name="inquiry_ip_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="inquiry_quantity_positive"),
            models.CheckConstraint(
                condition=~models.Q(phone="", email=""), name="inquiry_has_contact",
                violation_error_message=_("Give a phone number or an e-mail address so the producer can answer."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.name} → {self.product}"


class InquiryMessage(models.Model):
    """One message of an inquiry's thread, from the buyer or the producer."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    from_producer = models.BooleanField(default=False)
    body = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inquiry message")
        verbose_name_plural = _("inquiry messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class BuyerDemand(TimeStampedModel):
    """What a buyer organisation wants to buy ("cần mua"), matched to products."""

    class Frequency(models.TextChoices):
        ONCE = "once", _("Once")
        MONTHLY = "monthly", _("Every month")
        QUARTERLY = "quarterly", _("Every quarter")
        YEARLY = "yearly", _("Every year")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("buyer"), on_delete=models.CASCADE,
                              related_name="demands")  # fmt: skip
    organisation = models.CharField(_("organisation"), max_length=200)
    title = models.CharField(_("what you want to buy"), max_length=200)
    description = models.TextField(_("details"), max_length=3000, blank=True)
    category = models.ForeignKey(
        "catalog.Category", verbose_name=_("product group"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30)
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices, default=Frequency.ONCE)
    min_stars = models.PositiveSmallIntegerField(_("minimum stars"), default=3)
    certifications = models.CharField(_("other certifications required"), max_length=200, blank=True,
                                      help_text=_("e.g. VietGAP, HACCP, organic"))  # fmt: skip
    delivery_province = models.ForeignKey(
        "geo.Province", verbose_name=_("deliver to"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    deadline = models.DateField(_("offers by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("buyer demand")
        verbose_name_plural = _("buyer demands")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="demand_quantity_positive"),
            models.CheckConstraint(condition=models.Q(min_stars__gte=3, min_stars__lte=5), name="demand_stars_3_5"),
        ]

    def __str__(self) -> str:
        return self.title


class DemandOffer(TimeStampedModel):
    """A producer's answer to a demand: which product, at what price, and a message."""

    demand = models.ForeignKey(BuyerDemand, on_delete=models.CASCADE, related_name="offers")
    producer = models.ForeignKey("producers.Producer", on_delete=models.CASCADE, related_name="offers")
    product = models.ForeignKey("catalog.Product", verbose_name=_("product"), on_delete=models.CASCADE,
                                related_name="offers")  # fmt: skip
    price = models.PositiveBigIntegerField(_("price per unit (VND)"), null=True, blank=True)
    message = models.TextField(_("message"), max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["demand", "product"], name="offer_demand_product_unique")]

    def __str__(self) -> str:
        return f"{self.producer} → {self.demand}"


class BoothType(models.Model):
    """A kind of booth at a fair (standard 3×3 m, corner, OCOP pavilion…) and how many there are."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="booth_types")
    name = models.CharField(_("booth type"), max_length=100)
    count = models.PositiveSmallIntegerField(_("number of booths"))
    price = models.PositiveBigIntegerField(_("price (VND)"), default=0)

    class Meta:
        verbose_name = _("booth type")
        verbose_name_plural = _("booth types")
        ordering = ["fair", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.count})"


class BoothBooking(TimeStampedModel):
    """A producer's request for a booth, with the products it will show; accepted within capacity only."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the organiser")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    booth_type = models.ForeignKey(BoothType, on_delete=models.CASCADE, related_name="bookings")
    producer = models.ForeignKey("producers.Producer", on_delete=models.CASCADE, related_name="booth_bookings")
    products = models.ManyToManyField("catalog.Product", verbose_name=_("products shown"), related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    booth_number = models.PositiveSmallIntegerField(_("booth number"), null=True, blank=True)
    deals = models.PositiveIntegerField(_("deals made"), null=True, blank=True)
    sales_value = models.PositiveBigIntegerField(_("sales (VND)"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("booth booking")
        verbose_name_plural = _("booth bookings")
        ordering = ["booth_type", "booth_number", "created_at"]
        constraints = [
            # One booth number is given to one accepted booking only: the database refuses a double booking.
            models.UniqueConstraint(
                fields=["booth_type", "booth_number"], condition=models.Q(status="accepted"),
                name="booking_booth_number_unique",
            ),
            models.UniqueConstraint(
                fields=["booth_type", "producer"], condition=~models.Q(status="cancelled"),
                name="booking_one_per_producer",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.producer} @ {self.booth_type}"


class PromotionMaterial(TimeStampedModel):
    """A video link or a brochure (PDF) about a product or a producer."""

    class Kind(models.TextChoices):
        VIDEO = "video", _("Video")
        BROCHURE = "brochure", _("Brochure (PDF)")

    producer = models.ForeignKey("producers.Producer", on_delete=models.CASCADE, related_name="materials")
    product = models.ForeignKey("catalog.Product", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="materials")  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("video link"), blank=True)
    file = models.FileField(_("brochure"), upload_to=RandomName("brochures/%Y/%m"), blank=True)
    hidden = models.BooleanField(_("hidden by an officer"), default=False)

    class Meta:
        verbose_name = _("promotion material")
        verbose_name_plural = _("promotion materials")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="video") & ~models.Q(url=""))
                | (models.Q(kind="brochure") & ~models.Q(file="")),
                name="material_has_content",
            )
        ]

    def __str__(self) -> str:
        return self.title


class RetailContract(TimeStampedModel):
    """A supply contract with a supermarket or retail chain, followed as a pipeline ("ký kết tiêu thụ với hệ thống
    bán lẻ"): negotiating → signed → supplying → ended. From signing until it ends, the product counts as sold
    in that chain (a retail sales channel the contract keeps in step)."""

    class Stage(models.TextChoices):
        NEGOTIATING = "negotiating", _("Negotiating")
        SIGNED = "signed", _("Signed")
        SUPPLYING = "supplying", _("Supplying")
        ENDED = "ended", _("Ended")

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="retail_contracts"
    )
    chain = models.CharField(_("retail chain"), max_length=120, help_text=_("e.g. Co.opmart, WinMart, MM Mega Market"))
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.NEGOTIATING)
    stores = models.PositiveIntegerField(_("stores"), null=True, blank=True)
    volume = models.DecimalField(_("volume"), max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=30, blank=True, help_text=_("e.g. tấn/năm, thùng/tháng"))
    value = models.PositiveBigIntegerField(_("value (VND)"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    supply_from = models.DateField(_("supplying from"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    channel = models.OneToOneField(
        SalesChannel, null=True, blank=True, on_delete=models.SET_NULL, related_name="contract", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("retail contract")
        verbose_name_plural = _("retail contracts")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["stage", "product"], name="contract_stage_product_idx")]

    def __str__(self) -> str:
        return f"{self.chain}: {self.product}"
