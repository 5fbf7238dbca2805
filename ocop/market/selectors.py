"""Reads for trade connection."""

from __future__ import annotations

import datetime as dt

from ocop.catalog.models import Product
from ocop.market.models import SalesChannel
from ocop.market.services import active_channel


def product_channels(*, product: Product, today: dt.date | None = None) -> dict[str, list[SalesChannel]]:
    """A product's live sales channels grouped by kind (e-commerce, retail, export), for "where to buy"."""
    grouped: dict[str, list[SalesChannel]] = {}
    for channel in product.sales_channels.filter(active_channel(today or dt.date.today())).order_by("kind", "name"):
        grouped.setdefault(channel.kind, []).append(channel)
    return grouped
