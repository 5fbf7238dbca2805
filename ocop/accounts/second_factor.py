"""An optional second factor at sign-in: a time-based code (TOTP, RFC 6238) from an authenticator app, with ten
single-use backup codes, through django-otp. When `OCOP_OTP_REQUIRED_ROLES` names a role (the central and province
offices, in production), its accounts must set one up before they can do anything else.

The password alone signs a person in; until the code is given, `SecondFactorMiddleware` sends every page to the
code page (or, for a role that must have one, to the set-up page). Whether the account has a device is looked up
on the account itself (`User.second_factor`), so the gate costs no query."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ocop.core.errors import ApplicationError
from ocop.core.services import audit_log

BACKUP_CODES = 10
ISSUER = "OCOP Connect"


def required_for(user: Any) -> bool:
    return getattr(user, "role", None) in set(getattr(settings, "OCOP_OTP_REQUIRED_ROLES", ()))


def has_device(user: Any) -> bool:
    return bool(getattr(user, "second_factor", False))


def _mark(user: Any, on: bool) -> None:
    user.second_factor = on
    get_user_model().objects.filter(pk=user.pk).update(second_factor=on)


# --- Setting up, checking and turning off ---------------------------------------------------------


def pending_device(user: Any) -> TOTPDevice:
    """The account's unconfirmed device (made once, kept until confirmed, so the QR code stays the same)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


def qr_svg(device: TOTPDevice, user: Any) -> str:
    """The provisioning address (otpauth://) as an inline SVG QR code, labelled with the site and the account."""
    label = f"{ISSUER}:{user.username}"
    url = f"otpauth://totp/{label}?" + urlencode({"secret": secret_text(device), "issuer": ISSUER,
                                                 "digits": device.digits, "period": device.step})  # fmt: skip
    return segno.make(url, error="m").svg_inline(scale=4, dark="#1b1b1b", light="#ffffff")


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, for typing into an app that cannot scan."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def _clean(code: str) -> str:
    return "".join(str(code or "").split()).replace("-", "")


@transaction.atomic
def device_confirm(*, request: Any, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the app with a first code; returns the new backup codes (shown once)."""
    if device.user_id != request.user.pk or device.confirmed:
        raise ApplicationError(_("This set-up has expired; open the page again."), code="stale")
    if not device.verify_token(_clean(code)):
        raise ApplicationError(_("This code is not right. Check the time on your phone and type the six digits "
                                 "your app shows now."), field="code", code="wrong_code")  # fmt: skip
    TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = backup_codes_renew(request.user)
    otp_login(request, device)
    _mark(request.user, True)
    audit_log(code="accounts.second_factor.enabled", obj=request.user, actor=request.user)
    return codes


def backup_codes_renew(user: Any) -> list[str]:
    """Ten new single-use codes; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def code_check(*, request: Any, code: str) -> bool:
    """The code from the app, or an unused backup code; a right one verifies this session."""
    token = _clean(code)
    if not token:
        return False
    # Six digits come from the app, anything else is a backup code: each kind is tried (and throttled) alone.
    kind = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    devices: list[Any] = list(kind.objects.filter(user=request.user, confirmed=True))
    for device in devices:
        allowed, _data = device.verify_is_allowed()
        if not allowed:
            raise ApplicationError(_("Too many wrong codes: wait a minute, then try again."), field="code",
                                   code="throttled")  # fmt: skip
        with transaction.atomic():
            if device.verify_token(token):
                otp_login(request, device)
                return True
    return False


@transaction.atomic
def second_factor_disable(*, request: Any, code: str) -> None:
    """Turn the second factor off, with a current code; not for a role that must have one."""
    if required_for(request.user):
        raise ApplicationError(_("Your role must sign in with a second factor; it cannot be turned off."),
                               code="required")  # fmt: skip
    if not code_check(request=request, code=code):
        raise ApplicationError(_("This code is not right."), field="code", code="wrong_code")
    devices_remove(request.user, by=request.user)


def devices_remove(user: Any, *, by: Any) -> None:
    """The account's app and backup codes are gone; it signs in with its password (and sets codes up again if
    its role requires them)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _mark(user, False)
    audit_log(code="accounts.second_factor.disabled", obj=user, actor=by)


def backup_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- The gate --------------------------------------------------------------------------------------


class SecondFactorMiddleware:
    """Until the code is given, a signed-in account with a device reaches only the code page (and sign-out);
    an account whose role requires one reaches only the set-up page until it has one."""

    OPEN = ("accounts:otp-verify", "accounts:otp-setup", "accounts:logout", "set_language", "core:ping",
            "core:healthz", "core:readyz")  # fmt: skip

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response
        self._open: tuple[str, ...] | None = None

    def _open_paths(self) -> tuple[str, ...]:
        if self._open is None:
            self._open = (*(reverse(name) for name in self.OPEN), settings.STATIC_URL, settings.MEDIA_URL)
        return self._open

    def __call__(self, request: Any) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified() or request.path.startswith(
                self._open_paths()):  # fmt: skip
            return self.get_response(request)
        if user.second_factor:
            target = "accounts:otp-verify"
        elif required_for(user):
            target = "accounts:otp-setup"
        else:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Give your sign-in code first."), "code": "second_factor"}, status=403)
        return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


def next_page(request: Any, default: str) -> str:
    """Where to go after the code: the page asked for, if it is a path of this site (never a view name)."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):  # fmt: skip
        return wanted
    return default
