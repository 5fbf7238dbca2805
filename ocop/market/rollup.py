"""Sales channels in the statistics rollup: the days each certified product has a live channel.

A channel is live from `since` to `until` (both included; either may be open); it counts in the figures
only while its product is certified. `ChannelSpan` rows are, per product, the union of those days by kind
("h") and by kind and name ("n"); their starts and ends go into `certification.CertifiedCount` as events
of the facets "h" (key: the kind) and "n" (key: "kind|name"), so the nation's channel figures on a day are
sums like the certified counts (`dashboards.selectors.activity.channel_stats`).

Kept by `channel_spans_refresh`, which the market services call (through `products_sync_channels`) when
channels change and which runs when certification replaces a product's spans (`spans_replaced`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q

from ocop.certification.models import CertifiedSpan
from ocop.certification.rollup import Event, joined_spans, tally, upsert
from ocop.core.bulk import insert_rows
from ocop.market.models import ChannelSpan, SalesChannel

CHUNK = 5000
FIELDS = ("grouping", "kind", "name", "product_id", "starts_on", "ends_on")
ONE_DAY = dt.timedelta(days=1)


def channel_spans(certified: Iterable[Sequence[Any]], channels: Iterable[Sequence[Any]]) -> list[tuple]:
    """Channel spans from products' certified days (product, starts, ends) and their channels (product, kind,
    name, since, until)."""
    days: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for product, starts, ends in certified:
        if starts < ends:
            days[product].append((starts, ends))
    pieces: dict[tuple, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for product, kind, name, since, until in channels:
        stop = until + ONE_DAY if until is not None else None
        for starts, ends in days.get(product, ()):
            start = max(starts, since) if since is not None else starts
            end = min(ends, stop) if stop is not None else ends
            if start < end:
                pieces[("h", kind, "", product)].append((start, end))
                pieces[("n", kind, name, product)].append((start, end))
    return joined_spans(pieces)


def channel_span_events(span: Sequence[Any]) -> list[Event]:
    grouping, kind, name, _product, starts, ends = span
    key = kind if grouping == "h" else f"{kind}|{name}"
    return [(starts, grouping, 0, 0, key, 1), (ends, grouping, 0, 0, key, -1)]


def _compute(products: Q, models: tuple) -> list[tuple]:
    span_model, channel_model, _channel_span_model = models
    certified = span_model.objects.filter(products, starts_on__lt=F("ends_on")).values_list(
        "product_id", "starts_on", "ends_on"
    )
    channels = channel_model.objects.filter(products).values_list("product_id", "kind", "name", "since", "until")
    return channel_spans(certified.iterator(chunk_size=CHUNK), channels.iterator(chunk_size=CHUNK))


MODELS = (CertifiedSpan, SalesChannel, ChannelSpan)


def _with_channels(ids: list[int]) -> list[int]:
    """Those of these products that have a channel or channel spans."""
    return sorted(
        {*SalesChannel.objects.filter(product_id__among=ids).values_list("product_id", flat=True)}
        | {*ChannelSpan.objects.filter(product_id__among=ids).values_list("product_id", flat=True)}
    )


def channel_spans_refresh(product_ids: Iterable[int]) -> None:
    """Recompute these products' channel spans and move the rollup by the difference."""
    ids = sorted(set(product_ids))
    counts: Counter = Counter()
    with transaction.atomic(savepoint=False):
        for start in range(0, len(ids), CHUNK):
            # Only products with a channel, or channel spans to remove, have anything to redo (an import's
            # 100,000 new products have none).
            part = _with_channels(ids[start : start + CHUNK])
            if not part:
                continue
            old = ChannelSpan.objects.filter(product_id__among=part)
            for span in old.values_list(*FIELDS):
                tally(counts, channel_span_events(span), -1)
            old._raw_delete(old.db)
            new = _compute(Q(product_id__among=part), MODELS)
            for span in new:
                tally(counts, channel_span_events(span))
            insert_rows(ChannelSpan, FIELDS, new)
        upsert(counts)


def channel_spans_rebuild(*, models: tuple = MODELS) -> None:
    """All channel spans from scratch, their events added to a rollup just rebuilt without them (`models`:
    span, channel, channel span; a migration passes its historical ones)."""
    channel_span_model = models[2]
    channel_span_model.objects.all()._raw_delete(channel_span_model.objects.db)
    spans = _compute(Q(), models)
    counts: Counter = Counter()
    for span in spans:
        tally(counts, channel_span_events(span))
    insert_rows(channel_span_model, FIELDS, spans)
    upsert(counts)


def channel_counts_between(start: dt.date, end: dt.date) -> list[tuple[str, str, int]]:
    """The channel spans' events dated from `start` to `end` (both included), summed per facet and key in
    SQL: (facet, key, +starts - ends), a month's part of a sum."""
    adapt = connection.ops.adapt_datefield_value
    window = [adapt(start), adapt(end)]
    table = connection.ops.quote_name(ChannelSpan._meta.db_table)
    key = "CASE WHEN \"grouping\" = 'h' THEN kind ELSE kind || '|' || name END"
    sql = (
        f'SELECT "grouping", {key}, SUM(CASE WHEN starts_on BETWEEN %s AND %s THEN 1 ELSE 0 END) '  # noqa: S608
        f"- SUM(CASE WHEN ends_on BETWEEN %s AND %s THEN 1 ELSE 0 END) FROM {table} "
        f"WHERE starts_on BETWEEN %s AND %s OR ends_on BETWEEN %s AND %s GROUP BY 1, 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, window * 4)
        return cursor.fetchall()


def on_spans_replaced(sender: object, *, product_ids: Iterable[int], **kwargs: object) -> None:
    """Receiver of `certification.signals.spans_replaced`."""
    channel_spans_refresh(product_ids)


def on_rollup_rebuilt(sender: object, **kwargs: object) -> None:
    """Receiver of `certification.signals.rollup_rebuilt`."""
    channel_spans_rebuild()
