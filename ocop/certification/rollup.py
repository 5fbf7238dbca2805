"""The statistics rollup: certification events counted by month and year, kept as the spans change.

Every `CertifiedSpan` is a handful of dated events — the product counts from `starts_on` (+1) and stops on
`ends_on` (-1) under its province, former province, stars, category and producer type; its certificate was
issued, expired or revoked on a day — and every `CertifiedProducerSpan` (a producer's products' spans joined)
two more. `CertifiedCount` holds their sums per month and per year. Whatever the size of the programme,
"certified on D" nationwide is then the year rows before D's year, the month rows of D's year before D's
month and the events of the spans dated in D's month (`events_by_year`): a few thousand rows instead of every
span, with exactly the same result (a property test holds the two to each other on random histories).

`spans_changed` is called by the projection with the span rows it removed and the ones it wrote, in the
same transaction; `rollup_rebuild` recomputes everything from the spans (after a bulk load or to repair).
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import F

from ocop.certification.models import CertifiedCount, CertifiedProducerSpan, CertifiedSpan
from ocop.certification.signals import rollup_rebuilt
from ocop.core.bulk import insert_rows

# What an event needs of a span, in this order.
SPAN_FIELDS = (
    "producer_id", "province_id", "legacy_province_id", "stars", "category_id", "producer_kind",
    "starts_on", "ends_on", "is_first", "issued_on", "expires_on", "revoked_on",
)  # fmt: skip
PRODUCER_SPAN_FIELDS = ("grouping", "area_id", "producer_kind", "producer_id", "starts_on", "ends_on")
CHUNK = 5000

Key = tuple[str, int, int, str]  # facet, province, former province, key
Event = tuple[dt.date, str, int, int, str, int]  # day, facet, province, former province, key, +1/-1


def span_events(row: Sequence[Any]) -> list[Event]:
    """The dated events of one span (a tuple in `SPAN_FIELDS` order)."""
    _producer, province, legacy, stars, category, kind, starts, ends, first, issued, expires, revoked = row
    province, legacy, kind, star = province or 0, legacy or 0, kind or "", str(stars)
    events: list[Event] = []
    if starts < ends:  # a shadowed certificate's empty span counts nobody
        for facet, p, lp, key in (("a", province, legacy, star), ("c", 0, 0, str(category or 0)), ("k", 0, 0, kind)):
            events.append((starts, facet, p, lp, key, 1))
            events.append((ends, facet, p, lp, key, -1))
    if first:
        events.append((issued, "y", 0, 0, star, 1))
        if revoked is None or revoked >= expires:
            events.append((expires, "e", 0, 0, star, 1))
        if revoked is not None:
            events.append((revoked, "r", 0, 0, star, 1))
    return events


def producer_spans(rows: Iterable[Sequence[Any]]) -> list[tuple]:
    """Producers' spans from their products' spans (producer, province, former province, type, starts, ends):
    per producer, type and area — today's province ("p") and the former one ("l") — the union of the days."""
    days: dict[tuple, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for producer, province, legacy, kind, starts, ends in rows:
        if starts < ends:
            days[("p", province or 0, kind or "", producer)].append((starts, ends))
            days[("l", legacy or 0, kind or "", producer)].append((starts, ends))
    return joined_spans(days)


def joined_spans(days: dict[tuple, list[tuple[dt.date, dt.date]]]) -> list[tuple]:
    """Per key, its [start, end) intervals joined where they overlap or touch (one stays counted across):
    `(*key, start, end)` rows."""
    spans = []
    for key, intervals in days.items():
        intervals.sort()
        start, end = intervals[0]
        for s, e in intervals[1:]:
            if s <= end:
                end = max(end, e)
            else:
                spans.append((*key, start, end))
                start, end = s, e
        spans.append((*key, start, end))
    return spans


def producer_span_events(span: Sequence[Any]) -> list[Event]:
    grouping, area, kind, _producer, starts, ends = span
    province, legacy = (area, 0) if grouping == "p" else (0, area)
    facet = "p" if grouping == "p" else "l"
    return [(starts, facet, province, legacy, kind, 1), (ends, facet, province, legacy, kind, -1)]


def tally(counts: Counter, events: Iterable[Event], sign: int = 1) -> None:
    """Add events to their months' sums: (month, facet, province, former province, key) -> n."""
    for day, facet, province, legacy, key, n in events:
        counts[(day.replace(day=1), facet, province, legacy, key)] += sign * n


def _rows(counts: Counter) -> list[tuple]:
    """The count rows of month sums: each month's (grain "m") and each year's (grain "y"), zeros left out."""
    years: Counter = Counter()
    for (month, *rest), n in counts.items():
        years[(month.replace(month=1), *rest)] += n
    return [("m", *k, n) for k, n in counts.items() if n] + [("y", *k, n) for k, n in years.items() if n]


_deferred: contextvars.ContextVar[Counter | None] = contextvars.ContextVar("rollup_deferred", default=None)


@contextmanager
def rollup_deferred() -> Iterator[None]:
    """Within it (inside a transaction), the rollup's changes are summed and written once when it ends: an
    import of 100,000 rows writes each month's row once, not once per chunk. Nothing in it reads the rollup."""
    if _deferred.get() is not None:
        yield
        return
    counts: Counter = Counter()
    token = _deferred.set(counts)
    try:
        yield
    finally:
        _deferred.reset(token)
    upsert(counts)


def upsert(counts: Counter) -> None:
    """Add month sums (`tally`) to the rollup (or to the pending sums inside `rollup_deferred`)."""
    pending = _deferred.get()
    if pending is not None:
        pending.update(counts)
        return
    rows = _rows(counts)
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(CertifiedCount._meta.db_table)
    columns = ("grain", "period", "facet", "province_id", "legacy_province_id", "key")
    names = ", ".join(quote(c) for c in columns)
    conflict = f"ON CONFLICT ({names}) DO UPDATE SET {quote('n')} = {table}.{quote('n')} + excluded.{quote('n')}"
    rows.sort()  # concurrent writers lock the rows they share in one order
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one statement for all rows, not a round trip per row
            types = ("varchar", "date", "varchar", "integer", "integer", "varchar", "integer")
            arrays = ", ".join(f"%s::{t}[]" for t in types)
            cursor.execute(
                f"INSERT INTO {table} ({names}, {quote('n')}) SELECT * FROM UNNEST({arrays}) {conflict}",  # noqa: S608
                [list(column) for column in zip(*rows, strict=True)],
            )
        else:
            adapt = connection.ops.adapt_datefield_value
            cursor.executemany(
                f"INSERT INTO {table} ({names}, {quote('n')}) VALUES (%s, %s, %s, %s, %s, %s, %s) {conflict}",  # noqa: S608
                [(g, adapt(p), f, pr, lp, k, n) for g, p, f, pr, lp, k, n in rows],
            )


def _producer_rows(producer_ids: Sequence[int]) -> list[tuple]:
    return list(
        CertifiedSpan.objects.filter(producer_id__among=producer_ids).values_list(
            "producer_id", "province_id", "legacy_province_id", "producer_kind", "starts_on", "ends_on"
        )
    )


def spans_changed(removed: Iterable[Sequence[Any]], written: Iterable[Sequence[Any]]) -> None:
    """Bring the rollup up to date after the projection replaced span rows (tuples in `SPAN_FIELDS` order):
    subtract the removed rows' events, add the written ones', and redo the spans of the producers concerned."""
    counts: Counter = Counter()
    producers: set[int] = set()
    for sign, rows in ((-1, removed), (1, written)):
        for row in rows:
            tally(counts, span_events(row), sign)
            producers.add(row[0])
    ids = sorted(producers)
    with transaction.atomic(savepoint=False):
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            old = CertifiedProducerSpan.objects.filter(producer_id__among=part)
            for span in old.values_list(*PRODUCER_SPAN_FIELDS):
                tally(counts, producer_span_events(span), -1)
            old._raw_delete(old.db)
            new = producer_spans(_producer_rows(part))
            for span in new:
                tally(counts, producer_span_events(span))
            insert_rows(CertifiedProducerSpan, PRODUCER_SPAN_FIELDS, new)
        upsert(counts)


@transaction.atomic
def rollup_rebuild(*, models: tuple | None = None) -> int:
    """Recompute the producers' spans and the rollup from the whole projection; returns the count rows.
    `models` (span, producer span, count) lets a migration pass its historical models."""
    span_model, producer_span_model, count_model = models or (CertifiedSpan, CertifiedProducerSpan, CertifiedCount)
    count_model.objects.all()._raw_delete(count_model.objects.db)
    producer_span_model.objects.all()._raw_delete(producer_span_model.objects.db)
    counts: Counter = Counter()
    for row in span_model.objects.values_list(*SPAN_FIELDS).iterator(chunk_size=CHUNK):
        tally(counts, span_events(row))
    spans = producer_spans(
        span_model.objects.filter(starts_on__lt=F("ends_on"))
        .values_list("producer_id", "province_id", "legacy_province_id", "producer_kind", "starts_on", "ends_on")
        .iterator(chunk_size=CHUNK)
    )
    for span in spans:
        tally(counts, producer_span_events(span))
    insert_rows(producer_span_model, PRODUCER_SPAN_FIELDS, spans)
    written = insert_rows(
        count_model,
        ("grain", "period", "facet", "province_id", "legacy_province_id", "key", "n"),
        _rows(counts),
    )
    if models is None:  # a migration's apps add their part in their own migrations
        rollup_rebuilt.send(sender=CertifiedCount)
    return written


@dataclass
class NationEvents:
    """The nation's events up to a day: those before its year, those of its year up to it, and the
    certificates issued per earlier year by stars — what the national dashboard's figures are sums of."""

    on: dt.date
    before: Counter = field(default_factory=Counter)  # Key -> events dated before 1 January of on's year
    this_year: Counter = field(default_factory=Counter)  # Key -> events dated 1 January to on
    issued_by_year: dict[int, Counter] = field(default_factory=dict)  # earlier year -> stars -> issued
    expired_new_year: Counter = field(default_factory=Counter)  # stars -> expiries dated 1 January itself

    def upto(self, facet: str) -> Counter:
        """(province, former province, key) -> sum of the facet's events dated up to `on`."""
        total: Counter = Counter()
        for counts in (self.before, self.this_year):
            for (f, province, legacy, key), n in counts.items():
                if f == facet:
                    total[(province, legacy, key)] += n
        return total

    def in_year(self, facet: str) -> Counter:
        """key -> the facet's events dated from 1 January of on's year to `on`."""
        total: Counter = Counter()
        for (f, _province, _legacy, key), n in self.this_year.items():
            if f == facet:
                total[key] += n
        return total


def nation_events(on: dt.date) -> NationEvents:
    """Three reads: the rollup's year rows before `on`'s year and month rows before its month (summed in
    the database), then the spans and producers' spans with an event dated in `on`'s month up to `on`."""
    new_year, month = on.replace(month=1, day=1), on.replace(day=1)
    result = NationEvents(on=on)
    quote = connection.ops.quote_name
    table = quote(CertifiedCount._meta.db_table)
    adapt = connection.ops.adapt_datefield_value
    sql = (
        f"SELECT grain, CASE WHEN grain = 'y' AND facet = 'y' THEN period END, facet, province_id, "  # noqa: S608
        f"legacy_province_id, {quote('key')}, SUM(n) FROM {table} "
        f"WHERE (grain = 'y' AND period < %s) OR (grain = 'm' AND period >= %s AND period < %s) "
        f"GROUP BY grain, 2, facet, province_id, legacy_province_id, {quote('key')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [adapt(new_year), adapt(new_year), adapt(month)])
        rows = cursor.fetchall()
    for grain, period, facet, province, legacy, key, n in rows:
        if grain == "m":
            result.this_year[(facet, province, legacy, key)] += n
        else:
            result.before[(facet, province, legacy, key)] += n
            if period is not None:
                year = int(str(period)[:4])
                result.issued_by_year.setdefault(year, Counter())[key] += n
    window = [adapt(month), adapt(on)]
    with connection.cursor() as cursor:
        cursor.execute(*_span_window_sql(window, adapt(new_year)))
        _add_window(result, cursor.fetchall())
        cursor.execute(*_producer_window_sql(window))
        for facet, area, key, n in cursor.fetchall():
            result.this_year[(facet, area, 0, key) if facet == "p" else (facet, 0, area, key)] += n
    return result


def _span_window_sql(window: list[Any], new_year: Any) -> tuple[str, list[Any]]:
    """The spans with an event dated in `window` (first, last day), grouped by what the facets key on, with
    per group: spans started, spans ended, certificates issued, expired (not revoked before), expired on
    `new_year` itself, revoked in the window — the events of `span_events`, counted where the rows are."""
    table = connection.ops.quote_name(CertifiedSpan._meta.db_table)
    between = "BETWEEN %s AND %s"
    dates = ("starts_on", "ends_on", "issued_on", "expires_on", "revoked_on")
    kept = "(revoked_on IS NULL OR revoked_on >= expires_on)"
    sums = [
        (f"starts_on < ends_on AND starts_on {between}", window),
        (f"starts_on < ends_on AND ends_on {between}", window),
        (f"is_first AND issued_on {between}", window),
        (f"is_first AND {kept} AND expires_on {between}", window),
        (f"is_first AND {kept} AND expires_on = %s", [new_year]),
        (f"is_first AND revoked_on {between}", window),
    ]
    columns = ", ".join(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)" for condition, _p in sums)
    where = " OR ".join(f"{column} {between}" for column in dates) + " OR expires_on = %s"
    sql = (
        f"SELECT province_id, legacy_province_id, stars, category_id, producer_kind, {columns} "  # noqa: S608
        f"FROM {table} WHERE {where} GROUP BY 1, 2, 3, 4, 5"
    )
    params = [p for _c, values in sums for p in values] + window * len(dates) + [new_year]
    return sql, params


def _add_window(result: NationEvents, rows: Iterable[Sequence[Any]]) -> None:
    """Add the grouped window rows of `_span_window_sql` to the year's events, facet by facet (summed in
    plain dicts first: a month can hold thousands of groups)."""
    areas: dict[tuple, int] = defaultdict(int)
    categories: dict[Any, int] = defaultdict(int)
    kinds: dict[Any, int] = defaultdict(int)
    certificates: dict[tuple[str, Any], int] = defaultdict(int)
    for province, legacy, stars, category, kind, started, ended, issued, expired, new_year, revoked in rows:
        moved = started - ended
        if moved:
            areas[(province, legacy, stars)] += moved
            categories[category] += moved
            kinds[kind] += moved
        if issued:
            certificates[("y", stars)] += issued
        if expired:
            certificates[("e", stars)] += expired
        if revoked:
            certificates[("r", stars)] += revoked
        if new_year:
            certificates[("E", stars)] += new_year
    this_year = result.this_year
    for (province, legacy, stars), n in areas.items():
        this_year[("a", province or 0, legacy or 0, str(stars))] += n
    for category, n in categories.items():
        this_year[("c", 0, 0, str(category or 0))] += n
    for kind, n in kinds.items():
        this_year[("k", 0, 0, kind or "")] += n
    for (facet, stars), n in certificates.items():
        if facet == "E":
            result.expired_new_year[str(stars)] += n
        else:
            this_year[(facet, 0, 0, str(stars))] += n


def _producer_window_sql(window: list[Any]) -> tuple[str, list[Any]]:
    """The producers' spans' events dated in `window`, summed per grouping, area and type."""
    table = connection.ops.quote_name(CertifiedProducerSpan._meta.db_table)
    sql = (
        f'SELECT "grouping", area_id, producer_kind, SUM(CASE WHEN starts_on BETWEEN %s AND %s THEN 1 ELSE 0 END) '  # noqa: S608
        f"- SUM(CASE WHEN ends_on BETWEEN %s AND %s THEN 1 ELSE 0 END) FROM {table} "
        f"WHERE starts_on BETWEEN %s AND %s OR ends_on BETWEEN %s AND %s GROUP BY 1, 2, 3"
    )
    return sql, window * 4
