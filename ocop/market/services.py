"""Writes for sales channels."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q

from ocop.catalog.models import Product
from ocop.catalog.versioning import catalog_changed
from ocop.core.services import audit_log
from ocop.core.text import nfc
from ocop.market.models import SalesChannel
from ocop.market.rollup import channel_spans_refresh

Kind = SalesChannel.Kind


def active_channel(today: dt.date) -> Q:
    """Channels that have started (or have no start date) and have not ended."""
    return (Q(since__isnull=True) | Q(since__lte=today)) & (Q(until__isnull=True) | Q(until__gte=today))


def products_sync_channels(product_ids: list[int] | set[int], *, today: dt.date | None = None) -> None:
    """Copy 'listed online / in retail / exported' onto each product, for catalog filters."""
    today = today or dt.date.today()
    live = set(
        SalesChannel.objects.filter(active_channel(today), product_id__in=product_ids).values_list("product_id", "kind")
    )
    products = list(Product.objects.filter(pk__in=product_ids).only("id"))
    for product in products:
        product.has_ecommerce = (product.pk, Kind.ECOMMERCE) in live
        product.in_retail = (product.pk, Kind.RETAIL) in live
        product.exported = (product.pk, Kind.EXPORT) in live
    Product.objects.bulk_update(products, ["has_ecommerce", "in_retail", "exported"], batch_size=1000)
    channel_spans_refresh(product_ids)  # the statistics' days on each channel
    catalog_changed()


@transaction.atomic
def sales_channel_add(*, product: Product, kind: str, name: str, by: Any = None, **fields: Any) -> SalesChannel:
    """Record a new way a product is sold, and reflect it in the catalog."""
    channel = SalesChannel(product=product, kind=kind, name=nfc(name), **fields)
    channel.full_clean()
    channel.save()
    products_sync_channels([product.pk])
    audit_log(code="market.saleschannel.added", obj=channel, actor=by)
    return channel


@transaction.atomic
def sales_channel_remove(*, channel: SalesChannel, by: Any = None) -> None:
    """Remove a channel entered by mistake (to end one, set its end date instead)."""
    product_id = channel.product_id
    audit_log(code="market.saleschannel.removed", obj=channel, actor=by, changes={"name": [channel.name, None]})
    channel.delete()
    products_sync_channels([product_id])
