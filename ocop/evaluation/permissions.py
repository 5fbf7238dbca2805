"""Who may act in the OCOP cycle; services call these, views and selectors scope with them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ocop.accounts.models import User
from ocop.accounts.permissions import acts_for, is_central, manages_province, role_of

Role = User.Role
__all__ = [
    "acts_for",
    "decision_level",
    "dossier_scope",
    "is_central",
    "manages_commune",
    "manages_province",
    "may_revise_criteria",
]


def manages_commune(user: Any, commune_id: int | None) -> bool:
    """An officer of this commune (the 1489 procedure gives the pre-check to the commune)."""
    return role_of(user) == Role.COMMUNE_OFFICER and commune_id is not None and user.commune_id == commune_id


def decision_level(user: Any) -> str:
    """The level of the decisions a user records: the central office's own staff (no province) record
    central (5★) decisions, everyone else their province's."""
    return "central" if is_central(user) and not getattr(user, "province_id", None) else "province"


def may_revise_criteria(user: Any) -> bool:
    """Central and province OCOP officers complete and revise criteria sets."""
    return manages_province(user, getattr(user, "province_id", None))


def dossier_scope(user: Any) -> Q:
    """The dossiers a user may see: producers their own, communes theirs, provinces and council members
    their province's, the central office all."""
    role = role_of(user)
    if role is None:
        return Q(pk__in=[])
    if is_central(user):
        return Q()
    if role in (Role.PROVINCE_OFFICER, Role.COUNCIL_MEMBER) and user.province_id:
        return Q(province_id=user.province_id)
    if role == Role.COMMUNE_OFFICER and user.commune_id:
        return Q(commune_id=user.commune_id)
    return Q(producer__memberships__user=user)
