"""Who works in the programme office's pages: officers read what lies in their area; the central office and the
province offices record plans, support and inspections (each for its own province); producers ask for support."""

from __future__ import annotations

from typing import Any

import rules

from ocop.accounts.permissions import is_central, is_officer, is_province_officer, manages_province

rules.add_perm("office.view_office", is_officer)
rules.add_perm("office.manage_office", is_central | is_province_officer)


def may_manage(user: Any, province_id: int | None) -> bool:
    """The central office anywhere (and alone for national plans); a province office in its own province."""
    return bool(manages_province(user, province_id)) if province_id is not None else bool(is_central(user))
