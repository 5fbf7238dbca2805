"""Who manages a product's batches and stamps: its producer's accounts and the officers of its place (the same
people who edit the product)."""

from __future__ import annotations

from typing import Any

import rules

from ocop.accounts.permissions import acts_for_producer, has_area, manages_location, role_of


@rules.predicate
def is_producer(user: Any) -> bool:
    return role_of(user) == "producer"


rules.add_perm("stamps.manage_stamps", acts_for_producer | manages_location)
# The stamps pages: a producer's own batches and scans, an officer's area (council members see their province).
rules.add_perm("stamps.view_stamps", is_producer | has_area)
