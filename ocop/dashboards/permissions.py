"""Who sees which back-office dashboard and sets which targets."""

from __future__ import annotations

from typing import Any

from ocop.accounts.models import User
from ocop.accounts.permissions import is_central, manages_province, role_of
from ocop.dashboards.scope import Scope


def may_set_target(user: Any, province_id: int | None) -> bool:
    """The central office sets national and provincial targets; a province officer their province's."""
    return manages_province(user, province_id)


def backoffice_scope(user: Any) -> Scope | None:
    """The unit an officer answers for: the nation, their province or their commune; None for others."""
    role = role_of(user)
    if is_central(user):
        return Scope.nation()
    if role in (User.Role.PROVINCE_OFFICER, User.Role.COUNCIL_MEMBER) and user.province_id:
        return Scope.of(user.province)
    if role == User.Role.COMMUNE_OFFICER and user.commune_id:
        return Scope.of(user.commune)
    return None
