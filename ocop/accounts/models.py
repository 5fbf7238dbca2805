"""Users, their role and the province or commune they act for."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with an account; what they may do follows from `role` and their scope."""

    class Role(models.TextChoices):
        PRODUCER = "producer", _("Producer")
        BUYER = "buyer", _("Buyer")
        COMMUNE_OFFICER = "commune_officer", _("Commune officer")
        PROVINCE_OFFICER = "province_officer", _("Province officer")
        COUNCIL_MEMBER = "council_member", _("Council member")
        CENTRAL_OFFICER = "central_officer", _("Central officer")
        SITE_ADMIN = "site_admin", _("Site administrator")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.BUYER)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    # Kept on the account so that the sign-in gate costs no query: set when the app is confirmed, cleared when off.
    second_factor = models.BooleanField(_("signs in with a code"), default=False, editable=False)
    province = models.ForeignKey(
        "geo.Province",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The province a province officer or council member acts for."),
    )
    commune = models.ForeignKey(
        "geo.Commune",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The commune a commune officer acts for."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="commune_officer") | models.Q(commune__isnull=False),
                name="user_commune_officer_has_commune",
                violation_error_message=_("A commune officer must have a commune."),
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=["province_officer", "council_member"]) | models.Q(province__isnull=False),
                name="user_province_role_has_province",
                violation_error_message=_("A province officer or council member must have a province."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.get_username()

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_username()


class ApiToken(models.Model):
    """A personal API token: shown once, stored as a SHA-256 hash, revocable; it acts with its user's role."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. “Sàn TMĐT X”."))
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Invitation(models.Model):
    """An e-mail invitation to an account with a role and area, chosen by the person responsible for it.

    Only the SHA-256 of the link's secret is stored; the link works once, until `expires_at`.
    """

    email = models.EmailField(_("e-mail"))
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=User.Role.choices)
    province = models.ForeignKey(
        "geo.Province", verbose_name=_("province"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    commune = models.ForeignKey(
        "geo.Commune", verbose_name=_("commune"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    producer = models.ForeignKey(
        "producers.Producer", verbose_name=_("producer"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    invited_by = models.ForeignKey(
        User, verbose_name=_("invited by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, verbose_name=_("account"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @property
    def area_label(self) -> str:
        province = self.province.name if self.province else ""
        if self.producer:
            return f"{self.producer.name}, {province}"
        if self.commune:
            return f"{self.commune.name}, {province}"
        return province or str(_("the whole country"))

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def status_label(self) -> str:
        from django.utils import timezone

        if self.accepted_at:
            return str(_("accepted"))
        if self.revoked_at:
            return str(_("withdrawn"))
        if self.expires_at <= timezone.now():
            return str(_("expired"))
        return str(_("waiting"))
