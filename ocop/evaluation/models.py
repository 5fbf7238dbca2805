"""The OCOP cycle: criteria sets, evaluation rounds, dossiers, councils, score sheets, results, decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.accounts.scoping import ScopedQuerySet
from ocop.catalog.models import Regime
from ocop.core.models import TimeStampedModel
from ocop.core.storage import private_storage, random_file_name

# ---------------------------------------------------------------------------------------------------------
# Criteria sets: versioned data, a tree part → section → criterion (→ sub-criterion) → options with points.


class CriteriaSet(TimeStampedModel):
    """One version of one criteria set ("bộ tiêu chí") of a regime; only a complete set can be used."""

    code = models.CharField(_("code"), max_length=40, help_text=_("e.g. 148-I.1.a"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    regime = models.CharField(_("regime"), max_length=10, choices=Regime.choices)
    category = models.ForeignKey(
        "catalog.Category", verbose_name=_("product group"), null=True, blank=True, on_delete=models.PROTECT
    )
    source = models.TextField(_("source"), help_text=_("The legal text or document the points come from."))
    complete = models.BooleanField(_("complete"), default=False)
    training = models.BooleanField(
        _("training set"), default=False,
        help_text=_("Invented points for training and demonstration: used only by training rounds, never for a "
                    "recognition."),
    )  # fmt: skip
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["regime", "code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="criteria_set_version_unique")]

    def __str__(self) -> str:
        return f"{self.code} v{self.version} — {self.name}"


class CriteriaPart(models.Model):
    """A part (A, B, C) or a section within it (A1, A2 …), with its maximum points."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="parts")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=2, null=True, blank=True)
    is_bonus = models.BooleanField(_("bonus points"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        ordering = ["criteria_set", "order"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="criteria_part_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Criterion(models.Model):
    """A criterion scored by choosing one of its options; a criterion with children is only a heading."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    section = models.ForeignKey(CriteriaPart, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=2)
    # A mandatory condition: the council's mean on this criterion must reach `required_points` for a product
    # to be ranked at `required_from_stars` or above (781/2020 minimum requirements; [gap] under 148).
    required_points = models.DecimalField(_("required points"), max_digits=5, decimal_places=2, null=True, blank=True)
    required_from_stars = models.PositiveSmallIntegerField(_("required from stars"), default=1)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "order"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CriterionOption(models.Model):
    """One answer to a criterion and the points it is worth."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("option"), max_length=300)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["criterion", "order"]

    def __str__(self) -> str:
        return f"{self.label} ({self.points})"


# ---------------------------------------------------------------------------------------------------------
# Rounds and dossiers.


class EvaluationRound(TimeStampedModel):
    """A province's evaluation round ("đợt đánh giá"): when dossiers are received and scored."""

    province = models.ForeignKey("geo.Province", verbose_name=_("province"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("round"), default=1)
    regime = models.CharField(_("regime"), max_length=10, choices=Regime.choices, default=Regime.D1489_2025)
    opens_on = models.DateField(_("opens on"))
    submission_deadline = models.DateField(_("dossiers by"))
    scoring_deadline = models.DateField(_("scoring by"))
    max_stars = models.PositiveSmallIntegerField(_("highest level certified by the province"), default=4)
    training = models.BooleanField(
        _("training round"), default=False,
        help_text=_("For practice: dossiers go through every step with the training criteria set, but no decision "
                    "recognises them and no certificate is issued."),
    )  # fmt: skip
    historic = models.BooleanField(
        _("imported from a published list"),
        default=False,
        help_text=_("A past round loaded from a province's list of registrations and outcomes; nothing is "
                    "submitted to it."),
    )  # fmt: skip
    legacy_province = models.ForeignKey(
        "geo.LegacyProvince",
        verbose_name=_("former province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For an imported round before 1 July 2025: the province that ran it."),
    )

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "number", "training"],
                condition=models.Q(historic=False),
                name="round_province_year_unique",
            )
        ]

    def __str__(self) -> str:
        label = f"Đợt {self.number}/{self.year} — {self.legacy_province or self.province}"
        return f"{label} (tập huấn)" if self.training else label


class DossierQuerySet(ScopedQuerySet):
    """A dossier is where its producer is."""

    province_path = "province"
    commune_path = "commune"
    producer_path = "producer"


class Dossier(TimeStampedModel):
    """A producer's registration of one product for evaluation ("hồ sơ")."""

    objects = DossierQuerySet.as_manager()

    class Kind(models.TextChoices):
        NEW = "new", _("New")
        UPGRADE = "upgrade", _("Upgrade")
        REEVALUATION = "reevaluation", _("Re-evaluation at expiry")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the commune")
        RETURNED = "returned", _("Returned to the producer")
        AT_PROVINCE = "at_province", _("With the province council")
        SCORED = "scored", _("Scored")
        AT_CENTRAL = "at_central", _("Proposed to the central council")
        RECOGNISED = "recognised", _("Recognised")
        NOT_RECOGNISED = "not_recognised", _("Not recognised")

    round = models.ForeignKey(EvaluationRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="+")
    producer = models.ForeignKey("producers.Producer", verbose_name=_("producer"), on_delete=models.PROTECT)
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), null=True, blank=True, on_delete=models.PROTECT
    )
    previous = models.ForeignKey(
        "self", verbose_name=_("previous dossier"), null=True, blank=True, on_delete=models.SET_NULL
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices, default=Kind.NEW)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    regime = models.CharField(_("regime"), max_length=10, choices=Regime.choices)
    product_name = models.CharField(_("product name"), max_length=255)
    # Empty only on the records of an imported round (`EvaluationRound.historic`), which a list gives
    # without group, criteria set or commune.
    category = models.ForeignKey(
        "catalog.Category", verbose_name=_("product group"), null=True, blank=True, on_delete=models.PROTECT
    )
    description = models.TextField(_("description"), blank=True)
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    province = models.ForeignKey("geo.Province", verbose_name=_("province"), on_delete=models.PROTECT)
    commune = models.ForeignKey(
        "geo.Commune", verbose_name=_("commune"), null=True, blank=True, on_delete=models.PROTECT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    missing = models.JSONField(_("missing items"), default=list, blank=True)
    certificate = models.OneToOneField(
        "certification.Certificate", verbose_name=_("certificate"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="dossier",
    )  # fmt: skip

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["province", "status"], name="dossier_province_status_idx"),
            # A year's registrations (dashboards' `registration_stats`) read from the index alone.
            models.Index(
                fields=["round", "status", "kind", "producer", "certificate"],
                condition=models.Q(submitted_at__isnull=False),
                name="dossier_registered_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_name} ({self.get_kind_display()})"

    @property
    def scoring_set(self) -> CriteriaSet:
        """The criteria set the dossier is scored against: every dossier run in the system has one (only the
        registrations of an imported round have none, and they are never scored)."""
        if self.criteria_set is None:
            raise ValueError(f"dossier {self.pk} is an imported registration: it has no criteria set")
        return self.criteria_set


class DossierEvent(models.Model):
    """One transition of a dossier: from, to, who, when, why (its history, kept when it is returned)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)
    missing = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["dossier", "at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.from_status} → {self.to_status}"

    @property
    def to_label(self) -> str:
        return str(Dossier.Status(self.to_status).label) if self.to_status in Dossier.Status.values else self.to_status


def evidence_path(instance: Evidence, filename: str) -> str:
    """A random name (the uploaded name is kept only as the title): nothing guessable, nothing overwritten."""
    return random_file_name(f"evidence/{instance.dossier_id}", filename)


class Evidence(TimeStampedModel):
    """A document or picture proving a criterion (a test report, a label, a certificate …)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="evidence")
    criterion = models.ForeignKey(Criterion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=evidence_path, storage=private_storage)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.title


class SelfAssessment(models.Model):
    """The producer's own choice of option on a criterion."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="self_assessment")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey(CriterionOption, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "criterion"], name="self_assessment_criterion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}/{self.criterion_id}: {self.option_id}"


# ---------------------------------------------------------------------------------------------------------
# Councils and scoring.


class Council(TimeStampedModel):
    """The council of a round at one level (province: 3–4★; central: 5★)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CENTRAL = "central", _("Central")

    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="councils")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.PROVINCE)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        constraints = [models.UniqueConstraint(fields=["round", "level"], name="council_round_level_unique")]

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    """A person on a council: the chair, a member who scores, or the advisory group (prepares, no score)."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")
        ADVISOR = "advisor", _("Advisory group")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats")
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "user"], name="council_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def scores(self) -> bool:
        return self.role in (self.Role.CHAIR, self.Role.MEMBER)


class ScoreSheet(TimeStampedModel):
    """One member's scoring of one dossier; locked once finalised."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being scored")
        FINAL = "final", _("Finalised")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="sheets")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="sheets")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    round_of_scoring = models.PositiveSmallIntegerField(_("scoring round"), default=1)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [models.UniqueConstraint(fields=["dossier", "member"], name="sheet_dossier_member_unique")]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.member}"


class SheetScore(models.Model):
    """A member's chosen option (and comment) on one criterion of their sheet."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(CriterionOption, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(max_digits=5, decimal_places=2)
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="sheet_score_criterion_unique")]

    def __str__(self) -> str:
        return f"{self.sheet_id}/{self.criterion_id}: {self.points}"


class DossierResult(models.Model):
    """The council's result, computed when every sheet is final."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="result")
    mean_total = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    member_totals = models.JSONField(_("members' totals"), default=dict)
    part_means = models.JSONField(_("mean per part"), default=dict)
    stars = models.PositiveSmallIntegerField(_("stars"))
    band_stars = models.PositiveSmallIntegerField(_("stars from the score alone"))
    failed_conditions = models.JSONField(_("mandatory conditions not met"), default=list)
    spread = models.DecimalField(_("spread of members' totals"), max_digits=5, decimal_places=2)
    needs_discussion = models.BooleanField(_("needs discussion"), default=False)
    disputed_criteria = models.JSONField(_("criteria members disagree on"), default=list)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"{self.dossier}: {self.mean_total} → {self.stars}★"


class RecognitionDecision(TimeStampedModel):
    """A decision recognising a batch of products ("quyết định công nhận")."""

    number = models.CharField(_("decision number"), max_length=40)
    signed_on = models.DateField(_("signed on"))
    signer = models.CharField(_("signed by"), max_length=150)
    issuer = models.CharField(_("issuing body"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Council.Level.choices, default=Council.Level.PROVINCE)
    province = models.ForeignKey("geo.Province", null=True, blank=True, on_delete=models.PROTECT)
    dossiers = models.ManyToManyField(Dossier, related_name="decisions", verbose_name=_("dossiers"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("recognition decision")
        verbose_name_plural = _("recognition decisions")
        ordering = ["-signed_on"]

    def __str__(self) -> str:
        return self.number
