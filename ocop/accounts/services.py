"""Writes for accounts: personal API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.models import ApiToken, User
from ocop.core.errors import ApplicationError
from ocop.core.services import audit_log
from ocop.core.text import nfc

TOKEN_PREFIX = "ocop"  # noqa: S105  (a label, not a secret)
MAX_ACTIVE_TOKENS = 10
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and its plain text, which is never stored nor shown again."""
    name = nfc(name).strip()
    if not name:
        raise ApplicationError(_("Give the token a name, e.g. the system that will use it."), field="name")
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ApplicationError(
            _("You already have %(n)s active tokens: revoke one you no longer use.") % {"n": MAX_ACTIVE_TOKENS},
            code="too_many",
        )
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:100], prefix=prefix, key_hash=_hash(secret))
    audit_log(code="accounts.apitoken.created", obj=token, actor=user)
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: Any) -> ApiToken:
    """Revoke a token at once; its owner or a site admin may."""
    if by.pk != token.user_id and getattr(by, "role", None) != User.Role.SITE_ADMIN:
        raise ApplicationError(_("You can revoke only your own tokens."), code="forbidden")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(code="accounts.apitoken.revoked", obj=token, actor=by)
    return token


def api_token_authenticate(plain: str) -> User | None:
    """The active user a presented token belongs to, or None (malformed, unknown, revoked or inactive)."""
    parts = (plain or "").strip().split("_", 2)  # the secret itself may contain "_"
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) != 8 or not 20 <= len(parts[2]) <= 64:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1], revoked_at__isnull=True).first()
    if token is None or not hmac.compare_digest(token.key_hash, _hash(parts[2])) or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # one write per few minutes, not per call
    return token.user
