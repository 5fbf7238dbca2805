"""Who may act in the OCOP cycle (django-rules predicates); services call these. Which dossiers a user sees is
`Dossier.objects.restrict(user)`."""

from __future__ import annotations

from typing import Any

import rules

from ocop.accounts.models import User
from ocop.accounts.permissions import acts_for, is_central, manages_province, role_of

Role = User.Role
__all__ = [
    "acts_for",
    "decision_level",
    "is_central",
    "manages_commune",
    "manages_province",
    "may_revise_criteria",
]


@rules.predicate
def manages_commune(user: Any, commune_id: int | None) -> bool:
    """An officer of this commune (the 1489 procedure gives the pre-check to the commune)."""
    return role_of(user) == Role.COMMUNE_OFFICER and commune_id is not None and user.commune_id == commune_id


def decision_level(user: Any) -> str:
    """The level of the decisions a user records: the central office's own staff (no province) record
    central (5★) decisions, everyone else their province's."""
    return "central" if is_central(user) and not getattr(user, "province_id", None) else "province"


@rules.predicate
def may_revise_criteria(user: Any) -> bool:
    """Central and province OCOP officers complete and revise criteria sets."""
    return manages_province(user, getattr(user, "province_id", None))
