"""Who sees which back-office dashboard."""

from __future__ import annotations

from typing import Any

from ocop.accounts.scoping import area_of
from ocop.geo.scope import Scope


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
