"""The OCOP office's year beside the rounds: programmes and plans with tasks and targets, the support given to
producers, and the inspections of certified products."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ocop.accounts.scoping import ScopedQuerySet
from ocop.core.models import TimeStampedModel
from ocop.core.programme import LAST_YEAR, PROGRAMME_FIRST_YEAR
from ocop.core.storage import private_storage, random_file_name


def inspection_photo_path(instance: InspectionPhoto, filename: str) -> str:
    return random_file_name("inspections", filename)


YEARS = [MinValueValidator(PROGRAMME_FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


class PlanQuerySet(ScopedQuerySet):
    province_path = "owner_province"
    commune_path = "owner_province__communes"  # a commune officer reads the province's plans

    def visible_to(self, user: Any) -> PlanQuerySet:
        """The plans of the user's area and the nation's own."""
        return self.filter(models.Q(owner_province__isnull=True) | models.Q(pk__in=self.restrict(user).values("pk")))


class Plan(TimeStampedModel):
    """A programme, scheme or plan (chương trình, đề án, kế hoạch) of a province, a former province (plans that ran
    until 2025) or the central office (neither), with its period, legal basis, tasks and targets."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Programme")
        SCHEME = "scheme", _("Scheme")
        PLAN = "plan", _("Plan")

    objects = PlanQuerySet.as_manager()

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PLAN)
    name = models.CharField(_("name"), max_length=300)
    number = models.CharField(_("number"), max_length=60, blank=True, help_text=_("E.g. 45/KH-UBND."))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    province = models.ForeignKey(
        "geo.Province", verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="plans", help_text=_("Empty for a national plan or a former province's."),
    )  # fmt: skip
    legacy_province = models.ForeignKey(
        "geo.LegacyProvince", verbose_name=_("former province"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="plans", help_text=_("For a plan of one of the 63 former provinces (until 2025)."),
    )  # fmt: skip
    # Today's province that answers for the plan: its own, or the successor of the former province.
    owner_province = models.ForeignKey(
        "geo.Province", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    start_year = models.PositiveSmallIntegerField(_("from year"), validators=YEARS)
    end_year = models.PositiveSmallIntegerField(_("to year"), validators=YEARS)
    legal_basis = models.TextField(_("legal basis"), blank=True, max_length=3000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-start_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="office_plan_years_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(province__isnull=True) | models.Q(legacy_province__isnull=True),
                name="office_plan_one_place",
                violation_error_message=_("A plan belongs to a province or to a former province, not both."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()

    @property
    def period(self) -> str:
        return str(self.start_year) if self.start_year == self.end_year else f"{self.start_year}–{self.end_year}"

    @property
    def place(self):
        return self.province or self.legacy_province


class PlanTask(models.Model):
    """One of the plan's tasks (nhiệm vụ), in the plan's order."""

    class Area(models.TextChoices):
        RAW_MATERIALS = "raw_materials", _("Production around raw-material zones")
        VALUE_CHAINS = "value_chains", _("Products standardised along value chains")
        CYCLE = "cycle", _("The annual OCOP cycle")
        PROMOTION = "promotion", _("Training, promotion, fairs and trade connection")
        DIGITAL = "digital", _("IT and digital transformation")
        INSPECTION = "inspection", _("Inspection and supervision")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField(default=0)
    area = models.CharField(_("area"), max_length=15, choices=Area.choices, default=Area.OTHER)
    title = models.CharField(_("task"), max_length=500)

    class Meta:
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Target(models.Model):
    """A target of a plan (chỉ tiêu) for one year or the whole period; its actual comes from the records when the
    system holds them, or is entered with its source."""

    class Indicator(models.TextChoices):
        CERTIFIED = "certified", _("Products certified")
        PRODUCERS = "producers", _("New OCOP producers")
        TRAINED = "trained", _("Training participants")
        FAIRS = "fairs", _("Fair participations")
        ECOMMERCE = "ecommerce", _("Products on e-commerce platforms")
        SALE_POINTS = "sale_points", _("Display-and-sale points")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=12, choices=Indicator.choices, default=Indicator.CERTIFIED)
    stars = models.PositiveSmallIntegerField(
        _("stars"), null=True, blank=True, validators=[MinValueValidator(3), MaxValueValidator(5)],
        help_text=_("For products certified: empty for 3 stars and up, else exactly this level."),
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=YEARS, help_text=_("Empty for the whole period.")
    )
    value = models.PositiveIntegerField(_("target"), validators=[MinValueValidator(1)])
    entered_actual = models.PositiveIntegerField(
        _("actual (entered)"), null=True, blank=True,
        help_text=_("Only for what the system does not record; otherwise the actual is counted from the records."),
    )  # fmt: skip
    entered_source = models.CharField(
        _("source of the entered actual"), max_length=255, blank=True, help_text=_("E.g. Báo cáo 112/BC-UBND.")
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "year", "indicator", "stars"]
        constraints = [
            models.UniqueConstraint(  # "no stars" and "whole period" are values too: a second one is a duplicate
                "plan", "indicator", Coalesce("stars", 0), Coalesce("year", 0), name="office_target_unique",
                violation_error_message=_("The plan already has this target."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}: {self.value}"


class SupportQuerySet(ScopedQuerySet):
    province_path = "province"
    commune_path = "province__communes"  # a commune officer reads the province's support


class SupportActivity(TimeStampedModel):
    """Support given (hỗ trợ): a training course, a design, a promotion video, a funded fair place, fees,
    equipment or consulting, with its date, provider, budget by source and beneficiaries."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training course")
        PACKAGING = "packaging", _("Packaging and label design")
        VIDEO = "video", _("Promotion video")
        FAIR = "fair", _("Funded fair place")
        FEES = "fees", _("Certification or testing fees")
        EQUIPMENT = "equipment", _("Equipment")
        CONSULTING = "consulting", _("Consulting")

    objects = SupportQuerySet.as_manager()

    kind = models.CharField(_("kind of support"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("date"))
    province = models.ForeignKey("geo.Province", verbose_name=_("province"), on_delete=models.PROTECT,
                                 related_name="support_activities")  # fmt: skip
    plan = models.ForeignKey(Plan, verbose_name=_("under the plan"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="support_activities")  # fmt: skip
    provider = models.CharField(_("provider"), max_length=255, blank=True)
    participants = models.PositiveIntegerField(
        _("participants"), null=True, blank=True, help_text=_("People trained (a course); empty otherwise.")
    )
    budget_central = models.PositiveBigIntegerField(_("central budget (VND)"), default=0)
    budget_province = models.PositiveBigIntegerField(_("provincial budget (VND)"), default=0)
    budget_local = models.PositiveBigIntegerField(_("district and commune budget (VND)"), default=0)
    budget_other = models.PositiveBigIntegerField(_("other sources (VND)"), default=0)
    note = models.TextField(_("note"), blank=True, max_length=3000)
    producers = models.ManyToManyField("producers.Producer", verbose_name=_("producers supported"), blank=True,
                                       related_name="support_received")  # fmt: skip
    products = models.ManyToManyField("catalog.Product", verbose_name=_("products supported"), blank=True,
                                      related_name="support_received")  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip

    class Meta:
        verbose_name = _("support activity")
        verbose_name_plural = _("support activities")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["province", "held_on"], name="office_support_place_day")]

    def __str__(self) -> str:
        return self.title

    @property
    def budget(self) -> int:
        return self.budget_central + self.budget_province + self.budget_local + self.budget_other


class SupportRequestQuerySet(ScopedQuerySet):
    province_path = "producer__province"
    commune_path = "producer__commune"
    producer_path = "producer"


class SupportRequest(TimeStampedModel):
    """A producer asks its province for support; the office grants it (by recording an activity) or declines."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting")
        GRANTED = "granted", _("Granted")
        DECLINED = "declined", _("Declined")

    objects = SupportRequestQuerySet.as_manager()

    producer = models.ForeignKey("producers.Producer", verbose_name=_("producer"), on_delete=models.CASCADE,
                                 related_name="support_requests")  # fmt: skip
    product = models.ForeignKey("catalog.Product", verbose_name=_("product"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    kind = models.CharField(_("kind of support"), max_length=12, choices=SupportActivity.Kind.choices)
    message = models.TextField(_("what you need"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.CharField(_("answer"), max_length=500, blank=True)
    activity = models.ForeignKey(SupportActivity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")  # fmt: skip

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.producer_id}: {self.get_kind_display()}"


class InspectionQuerySet(ScopedQuerySet):
    province_path = "certificate__product__province"
    commune_path = "certificate__product__commune"


class Inspection(TimeStampedModel):
    """A check of a certified product and its producer after certification (kiểm tra, giám sát sau công nhận):
    planned or not, a checklist, findings and photos, and an outcome — passed, remedy by a deadline (checked
    again by a follow-up inspection), or a proposal to revoke that the province decides through the certificate
    revocation."""

    class Kind(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNPLANNED = "unplanned", _("Unplanned")

    class Outcome(models.TextChoices):
        OPEN = "open", _("Not finished")
        PASSED = "passed", _("Passed")
        REMEDY = "remedy", _("Remedy required")
        REVOKE = "revoke", _("Revocation proposed")

    CHECKS = (
        ("dossier", _("The product matches the dossier it was certified on")),
        ("label", _("Label, packaging and OCOP logo used as certified")),
        ("quality", _("Quality and food-safety conditions maintained")),
        ("capacity", _("Production and raw materials as declared")),
        ("records", _("Records of production and sales kept")),
    )

    objects = InspectionQuerySet.as_manager()

    certificate = models.ForeignKey("certification.Certificate", verbose_name=_("certificate"),
                                    on_delete=models.PROTECT, related_name="inspections")  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PLANNED)
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    inspectors = models.CharField(_("inspectors"), max_length=300, blank=True)
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    findings = models.TextField(_("findings"), blank=True, max_length=5000)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.OPEN)
    remedy_by = models.DateField(_("remedy by"), null=True, blank=True)
    follow_up_of = models.ForeignKey("self", verbose_name=_("follow-up of"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="follow_ups")  # fmt: skip
    revocation_decided = models.BooleanField(_("revocation decided"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-planned_on", "-pk"]
        indexes = [models.Index(fields=["inspected_on"], name="office_inspection_day")]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.inspected_on or self.planned_on}"

    def check_rows(self) -> list[tuple[str, Any, bool | None]]:
        return [(key, label, self.checklist.get(key)) for key, label in self.CHECKS]


class InspectionPhoto(models.Model):
    """A photo taken at an inspection, upright and without its metadata, in the private storage (officers only)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=inspection_photo_path, storage=private_storage)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        ordering = ["inspection", "pk"]

    def __str__(self) -> str:
        return self.caption or str(self.file.name)
