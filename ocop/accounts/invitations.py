"""Accounts made by the people responsible: the central office invites province officers, a province office
invites its commune officers, council members and producers. An invitation is an e-mail with a one-time link that
expires; accepting it sets the password and creates the account with the role and area the inviter chose.

The link carries a random secret; only its SHA-256 is stored, so the table alone opens nothing. Resending makes a
new secret (the old link stops working); an accepted, revoked or expired invitation opens nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.models import Invitation, User
from ocop.accounts.permissions import is_central, is_province_officer
from ocop.accounts.signals import invitation_accepted
from ocop.core.errors import ApplicationError
from ocop.core.mail import mail_queue, site_link
from ocop.core.notifications import notify
from ocop.core.services import audit_log
from ocop.core.text import plain_text as clean_text

Role = User.Role
# Who may invite whom: the central office its own people and the provinces' officers; a province office the people
# of its province. Producers and buyers may also sign up by themselves.
INVITES = {
    "central": (Role.CENTRAL_OFFICER, Role.PROVINCE_OFFICER, Role.COUNCIL_MEMBER),
    "province": (Role.COMMUNE_OFFICER, Role.COUNCIL_MEMBER, Role.PRODUCER, Role.PROVINCE_OFFICER),
}


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def roles_invitable_by(user: Any) -> tuple[str, ...]:
    if is_central(user):
        return INVITES["central"]
    if is_province_officer(user):
        return INVITES["province"]
    return ()


def _check_area(*, by: Any, role: str, province: Any, commune: Any, producer: Any) -> None:
    """The inviter gives a role they may give, within their own area, with the area the role needs."""
    if role not in roles_invitable_by(by):
        raise ApplicationError(_("You cannot invite a %(role)s.") % {"role": Role(role).label}, code="forbidden")
    if role in (Role.PROVINCE_OFFICER, Role.COUNCIL_MEMBER, Role.COMMUNE_OFFICER, Role.PRODUCER) and province is None:
        raise ApplicationError(_("Choose the province this person acts for."), code="province", field="province")
    if not is_central(by) and province is not None and province.pk != by.province_id:
        raise ApplicationError(_("You can invite people of your own province only."), code="forbidden")
    if role == Role.COMMUNE_OFFICER:
        if commune is None:
            raise ApplicationError(_("Choose the commune this officer acts for."), code="commune", field="commune")
        if commune.province_id != province.pk:
            raise ApplicationError(_("The commune is not in the chosen province."), code="commune", field="commune")
    if role == Role.PRODUCER:
        if producer is None:
            raise ApplicationError(_("Choose the producer this person acts for."), code="producer", field="producer")
        if producer.province_id != province.pk:
            raise ApplicationError(_("The producer is not in the chosen province."), code="producer",
                                   field="producer")  # fmt: skip


def _send(invitation: Invitation, secret: str) -> None:
    mail_queue(
        "invitation",
        {"name": invitation.full_name or invitation.email, "role": str(Role(invitation.role).label),
         "area": invitation.area_label, "inviter": invitation.invited_by.display_name if invitation.invited_by else "",
         "link": site_link(reverse("accounts:invitation-accept", args=[secret])),
         "expires": timezone.localtime(invitation.expires_at).strftime("%d/%m/%Y %H:%M")},
        [invitation.email],
    )  # fmt: skip


def _expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.OCOP_INVITATION_DAYS)


@transaction.atomic
def invitation_send(
    *, by: Any, email: str, role: str, full_name: str = "", province: Any = None, commune: Any = None,
    producer: Any = None,
) -> Invitation:  # fmt: skip
    """Invite someone by e-mail to an account with `role` in the given area."""
    email = User.objects.normalize_email(clean_text(email)).lower()
    if role == Role.COMMUNE_OFFICER and commune is not None and province is None:
        province = commune.province
    if role == Role.CENTRAL_OFFICER:
        province = commune = producer = None
    _check_area(by=by, role=role, province=province, commune=commune, producer=producer)
    if User.objects.filter(email__iexact=email, is_active=True).exists():
        raise ApplicationError(_("An account with this e-mail address already exists."), code="exists", field="email")
    Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )  # one open invitation per address: the newest
    secret = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email, full_name=clean_text(full_name), role=role, province=province,
        commune=commune if role == Role.COMMUNE_OFFICER else None,
        producer=producer if role == Role.PRODUCER else None, invited_by=by, secret_hash=_hash(secret),
        expires_at=_expiry(),
    )  # fmt: skip
    _send(invitation, secret)
    audit_log(code="accounts.invitation.sent", obj=invitation, actor=by, changes={"role": role, "email": email})
    invitation.link_secret = secret  # type: ignore[attr-defined]  # in memory only (the demo accepts it); never stored
    return invitation


def manages_people(user: Any) -> bool:
    """The central office and province offices manage accounts; nobody else."""
    return bool(roles_invitable_by(user))


def invitations_in_area(by: Any):
    """The invitations an inviter manages, newest first: all for the central office, its province's otherwise."""
    invitations = Invitation.objects.select_related("province", "commune", "producer").order_by("-created_at")
    return invitations if is_central(by) else invitations.filter(province_id=by.province_id)


def _may_manage(by: Any, invitation: Invitation) -> bool:
    return is_central(by) or (is_province_officer(by) and invitation.province_id == by.province_id)


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: Any) -> Invitation:
    """A new link (the old one stops working) and a new expiry."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not _may_manage(by, invitation):
        raise ApplicationError(_("This invitation belongs to another province."), code="forbidden")
    if invitation.accepted_at or invitation.revoked_at:
        raise ApplicationError(_("This invitation was accepted or withdrawn; invite again."), code="closed")
    secret = secrets.token_urlsafe(32)
    invitation.secret_hash = _hash(secret)
    invitation.expires_at = _expiry()
    invitation.save(update_fields=["secret_hash", "expires_at"])
    _send(invitation, secret)
    audit_log(code="accounts.invitation.resent", obj=invitation, actor=by)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: Any) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not _may_manage(by, invitation):
        raise ApplicationError(_("This invitation belongs to another province."), code="forbidden")
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_log(code="accounts.invitation.revoked", obj=invitation, actor=by)
    return invitation


def invitation_open(secret: str) -> Invitation:
    """The invitation a link opens, or a refusal saying why (unknown, used, withdrawn, expired)."""
    invitation = Invitation.objects.select_related("province", "commune", "producer").filter(
        secret_hash=_hash(secret)
    ).first()  # fmt: skip
    if invitation is None:
        raise ApplicationError(_("This invitation link is not valid. Ask for a new invitation."), code="unknown")
    if invitation.accepted_at:
        raise ApplicationError(_("This invitation has already been used. Sign in, or reset your password."),
                               code="used")  # fmt: skip
    if invitation.revoked_at:
        raise ApplicationError(_("This invitation was withdrawn. Ask for a new invitation."), code="revoked")
    if invitation.expires_at <= timezone.now():
        raise ApplicationError(_("This invitation has expired. Ask the person who invited you to send it again."),
                               code="expired")  # fmt: skip
    return invitation


@transaction.atomic
def invitation_accept(*, secret: str, username: str, password: str, full_name: str = "", phone: str = "") -> User:
    """Create the account the invitation describes, with the chosen password; the link is then spent."""
    invitation = invitation_open(secret)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:  # accepted by a concurrent request since it was opened
        raise ApplicationError(_("This invitation has already been used. Sign in, or reset your password."),
                               code="used")  # fmt: skip
    username = clean_text(username)
    if not username or User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(_("This user name is taken; choose another."), code="username", field="username")
    user = User(
        username=username, email=invitation.email, role=invitation.role, full_name=clean_text(full_name) or
        invitation.full_name, phone=clean_text(phone), province=invitation.province, commune=invitation.commune,
    )  # fmt: skip
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), code="password", field="password1") from None
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    invitation_accepted.send(sender=Invitation, invitation=invitation, user=user)  # producers: the membership
    audit_log(code="accounts.invitation.accepted", obj=invitation, actor=user)
    if invitation.invited_by is not None:
        accepted = _("%(name)s accepted your invitation (%(role)s, %(area)s).") % {
            "name": user.display_name, "role": Role(invitation.role).label, "area": invitation.area_label,
        }  # fmt: skip
        notify([invitation.invited_by], kind="account", link=reverse("accounts:people"), title=accepted)
    return user


def people_in_area(by: Any):
    """The accounts an inviter manages: everyone for the central office, the province's people for a province."""
    people = User.objects.exclude(role=Role.SITE_ADMIN).select_related("province", "commune").order_by(
        "role", "full_name", "username"
    )  # fmt: skip
    if is_central(by):
        return people
    return people.filter(province_id=by.province_id).exclude(pk=by.pk)


@transaction.atomic
def user_set_active(*, user: User, active: bool, by: Any) -> User:
    """Deactivate (or reactivate) an account of one's area; nobody deactivates themselves."""
    if user.pk == by.pk:
        raise ApplicationError(_("You cannot deactivate your own account."), code="self")
    if not people_in_area(by).filter(pk=user.pk).exists():
        raise ApplicationError(_("This account belongs to another province."), code="forbidden")
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_log(code="accounts.user.activated" if active else "accounts.user.deactivated", obj=user, actor=by)
    return user
