"""Producers and buyers sign up by themselves; anyone changes their e-mail address; both are confirmed by a link
sent to the address.

A sign-up makes an inactive account and mails a signed link (valid OCOP_SIGNUP_LINK_DAYS) that activates it. If
the address already belongs to an account, that address is told so instead and the page says the same as for a
new one: nobody learns from the form which addresses have accounts. An e-mail change is confirmed from the new
address; the old one is told of it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from ocop.accounts.models import User
from ocop.core.errors import ApplicationError
from ocop.core.mail import mail_queue, site_link
from ocop.core.services import audit_log
from ocop.core.text import plain_text as clean_text

Role = User.Role
SELF_SERVICE_ROLES = (Role.PRODUCER, Role.BUYER)
_SIGNUP_SALT = "ocop.accounts.signup"
_EMAIL_SALT = "ocop.accounts.email-change"


def _max_age() -> int:
    return int(getattr(settings, "OCOP_SIGNUP_LINK_DAYS", 3)) * 86400


def _link_read(token: str, *, salt: str, expired: str) -> dict:
    """What a signed link carries, if its signature holds and it is not older than the links' lifetime."""
    try:
        data = signing.loads(token, salt=salt, max_age=_max_age())
    except signing.SignatureExpired:
        raise ApplicationError(expired, code="expired") from None
    except signing.BadSignature:
        data = None
    if not isinstance(data, dict):
        raise ApplicationError(_("This link is not valid. Copy the whole link from the e-mail."), code="invalid")
    return data


def _password_checked(password: str, user: User, field: str = "password1") -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), code="password", field=field) from None


@transaction.atomic
def signup_start(
    *, role: str, username: str, email: str, password: str, full_name: str, phone: str = "", organisation: str = "",
) -> User | None:  # fmt: skip
    """Create an inactive producer or buyer account and mail the link that activates it.

    Returns the new account, or None when the address already has one (that address is told instead)."""
    if role not in SELF_SERVICE_ROLES:
        raise ApplicationError(_("Only producers and buyers sign up by themselves; officers are invited."),
                               code="role", field="role")  # fmt: skip
    email = User.objects.normalize_email(email.strip()).lower()
    username = clean_text(username)
    if not username or User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(_("This user name is taken; choose another."), code="username", field="username")
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        mail_queue("signup_existing", {"name": existing.display_name, "username": existing.get_username(),
                                       "reset": site_link(reverse("accounts:password-reset"))}, [email])  # fmt: skip
        return None
    user = User(username=username, email=email, role=role, full_name=clean_text(full_name), phone=clean_text(phone),
                organisation=clean_text(organisation), is_active=False)  # fmt: skip
    _password_checked(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    token = signing.dumps({"u": user.pk, "e": email}, salt=_SIGNUP_SALT)
    mail_queue("signup_confirm", {"name": user.display_name, "role": user.get_role_display(),
                                  "link": site_link(reverse("accounts:signup-confirm", args=[token])),
                                  "days": _max_age() // 86400}, [email])  # fmt: skip
    audit_log(code="accounts.user.signed_up", obj=user, actor=None)
    return user


@transaction.atomic
def signup_confirm(token: str) -> User:
    """Activate the account a sign-up link names (once; a later click finds it active and changes nothing)."""
    data = _link_read(token, salt=_SIGNUP_SALT, expired=_("This link has expired: sign up again."))
    user = User.objects.select_for_update().filter(pk=data.get("u", 0), email__iexact=data.get("e", "")).first()
    if user is None:
        raise ApplicationError(_("This link is not valid. Copy the whole link from the e-mail."), code="invalid")
    if user.last_login is not None and not user.is_active:  # deactivated by an officer: a link does not undo it
        raise ApplicationError(_("This account has been deactivated; contact your OCOP office."), code="inactive")
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_log(code="accounts.user.confirmed", obj=user, actor=user)
    return user


@transaction.atomic
def email_change_start(*, user: User, new_email: str, password: str) -> None:
    """Mail a confirmation link to the new address; nothing changes until it is opened."""
    if not user.check_password(password):
        raise ApplicationError(_("The password is not right."), code="password", field="password")
    new_email = User.objects.normalize_email(new_email.strip()).lower()
    if new_email == (user.email or "").lower():
        raise ApplicationError(_("This is already your address."), code="same", field="email")
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise ApplicationError(_("Another account uses this address."), code="taken", field="email")
    token = signing.dumps({"u": user.pk, "old": user.email, "new": new_email}, salt=_EMAIL_SALT)
    mail_queue("email_change", {"name": user.display_name, "email": new_email,
                                "link": site_link(reverse("accounts:email-confirm", args=[token])),
                                "days": _max_age() // 86400}, [new_email])  # fmt: skip


@transaction.atomic
def email_change_confirm(*, token: str) -> User:
    data = _link_read(token, salt=_EMAIL_SALT, expired=_("This link has expired: ask for the change again."))
    user = User.objects.select_for_update().filter(pk=data.get("u", 0), is_active=True).first()
    if user is None or (user.email or "") != data.get("old", ""):
        raise ApplicationError(_("This link has already been used or replaced by a newer one."), code="used")
    if User.objects.filter(email__iexact=data["new"]).exclude(pk=user.pk).exists():
        raise ApplicationError(_("Another account uses this address."), code="taken")
    user.email = data["new"]
    user.save(update_fields=["email"])
    audit_log(code="accounts.user.email_changed", obj=user, actor=user, changes={"email": [data["old"], data["new"]]})
    mail_queue("email_changed", {"name": user.display_name, "email": data["new"]}, [data["old"]])
    return user
