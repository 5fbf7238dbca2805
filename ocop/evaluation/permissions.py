"""Who may act in the OCOP cycle; services call these, views and selectors scope with them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ocop.accounts.models import User

Role = User.Role


def _role(user: Any) -> str | None:
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def is_central(user: Any) -> bool:
    return _role(user) in (Role.CENTRAL_OFFICER, Role.SITE_ADMIN)


def manages_province(user: Any, province_id: int | None) -> bool:
    """The central office, or an officer of this province."""
    return is_central(user) or (
        _role(user) == Role.PROVINCE_OFFICER and province_id is not None and user.province_id == province_id
    )


def manages_commune(user: Any, commune_id: int | None) -> bool:
    """An officer of this commune (the 1489 procedure gives the pre-check to the commune)."""
    return _role(user) == Role.COMMUNE_OFFICER and commune_id is not None and user.commune_id == commune_id


def acts_for(user: Any, producer_id: int) -> bool:
    return bool(_role(user)) and user.memberships.filter(producer_id=producer_id).exists()


def dossier_scope(user: Any) -> Q:
    """The dossiers a user may see: producers their own, communes theirs, provinces and council members
    their province's, the central office all."""
    role = _role(user)
    if role is None:
        return Q(pk__in=[])
    if is_central(user):
        return Q()
    if role in (Role.PROVINCE_OFFICER, Role.COUNCIL_MEMBER) and user.province_id:
        return Q(province_id=user.province_id)
    if role == Role.COMMUNE_OFFICER and user.commune_id:
        return Q(commune_id=user.commune_id)
    return Q(producer__memberships__user=user)
