"""Who sees which back-office dashboard and sets which targets."""

from __future__ import annotations

from typing import Any

import rules

from ocop.accounts.permissions import manages_province
from ocop.accounts.scoping import area_of
from ocop.dashboards.scope import Scope


@rules.predicate
def may_set_target(user: Any, province_id: int | None) -> bool:
    """The central office sets national and provincial targets; a province officer their province's."""
    return manages_province(user, province_id)


def backoffice_scope(user: Any) -> Scope | None:
    """The unit an officer answers for: the nation, their province or their commune; None for others."""
    area = area_of(user)
    if area is None:
        return None
    if area.commune_id is not None:
        return Scope.of(user.commune)
    if area.province_id is not None:
        return Scope.of(user.province)
    return Scope.nation()
