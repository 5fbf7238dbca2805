"""The programme's activity around the certificates: registrations and dossiers, plan targets, sales channels,
sale points and fairs."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Q

from ocop.certification.rollup import NationEvents, nation_events
from ocop.core.programme import CERTIFIED_STARS
from ocop.dashboards.selectors.certified import Share, span_table, sql_date, valid_span_where
from ocop.evaluation.models import Dossier
from ocop.geo.scope import COMMUNE, LEGACY_PROVINCE, NATION, PROVINCE, Scope
from ocop.market.models import Fair, SalesChannel
from ocop.market.rollup import channel_counts_between
from ocop.market.selectors import sale_points_open
from ocop.office.selectors import TargetRow, plan_reports, plans_for


@dataclass
class Registrations:
    """Dossiers submitted in a year's rounds, by kind and by outcome."""

    year: int
    total: int = 0
    kinds: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Dossier.Kind.values, 0))
    recognised: int = 0
    recognised_producers: int = 0
    recognised_stars: dict[int, int] = field(default_factory=dict)  # by the stars of the certificate given
    not_recognised: int = 0
    in_progress: int = 0
    rounds: list[dict[str, Any]] = field(default_factory=list)


def dossier_scope_q(scope: Scope) -> Q:
    """The dossiers of an area; training rounds' dossiers are practice and never count in the figures."""
    real = Q(round__training=False)
    if scope.kind == NATION:
        return real
    if scope.kind == PROVINCE:
        return real & Q(province_id=scope.unit_id)
    if scope.kind == COMMUNE:
        return real & Q(commune_id=scope.unit_id)
    return real & Q(producer__legacy_province_id=scope.unit_id)


def dossier_stats_by_status(*, scope: Scope) -> dict[str, int]:
    """Dossiers of every round by status (the officers' pipeline), one query."""
    rows = Dossier.objects.filter(dossier_scope_q(scope)).values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}


def registration_stats(*, scope: Scope, year: int) -> Registrations:
    """Products registered in the rounds of `year` (dossiers sent to the commune), by kind and outcome; rounds run
    in the system and rounds imported from a province's list alike."""
    registered = Dossier.objects.filter(dossier_scope_q(scope), round__year=year, submitted_at__isnull=False)
    rows = (
        registered.values("round__number", "kind", "status")  # no join: certificates only for the recognised
        .annotate(n=Count("*"))  # COUNT(*): the registered dossiers' index answers alone
        .order_by("round__number")
    )
    result = Registrations(year=year)
    rounds: dict[int, dict[str, Any]] = {}
    for row in rows:
        n, status = row["n"], row["status"]
        result.total += n
        result.kinds[row["kind"]] = result.kinds.get(row["kind"], 0) + n
        outcome = (
            "recognised"
            if status == Dossier.Status.RECOGNISED
            else "not_recognised"
            if status == Dossier.Status.NOT_RECOGNISED
            else "in_progress"
        )
        setattr(result, outcome, getattr(result, outcome) + n)
        number = row["round__number"]
        bucket = rounds.setdefault(
            number, {"number": number, "total": 0, **dict.fromkeys(Dossier.Kind.values, 0), "recognised": 0}
        )
        bucket["total"] += n
        bucket[row["kind"]] += n
        bucket["recognised"] += n if outcome == "recognised" else 0
    result.rounds = list(rounds.values())
    if result.recognised:  # their producers and the stars of the certificates given, in one statement
        recognised = registered.filter(status=Dossier.Status.RECOGNISED).aggregate(
            producers=Count("producer_id", distinct=True),
            **{f"stars_{s}": Count("producer_id", filter=Q(certificate__stars=s)) for s in CERTIFIED_STARS},
        )
        result.recognised_producers = recognised["producers"]
        result.recognised_stars = {s: recognised[f"stars_{s}"] for s in CERTIFIED_STARS if recognised[f"stars_{s}"]}
    return result


def plan_stats(*, scope: Scope, on: dt.date) -> list[TargetRow]:
    """Every target of the scope's plans begun by `on` (a province's own and its former provinces'; the nation's
    own) against what was done, from the programme office's records."""
    plans = list(plans_for(scope).filter(start_year__lte=on.year).order_by("start_year", "pk"))
    if not plans:
        return []
    return [row for report in plan_reports(plans, on=on) for row in report.rows]


def year_span(*, on: dt.date, year: int) -> tuple[dt.date, dt.date]:
    """1 January of `year` up to `on` (or the year's end)."""
    return dt.date(year, 1, 1), min(on, dt.date(year, 12, 31))


@dataclass
class Channels:
    """Certified products reaching buyers on `on`: platforms, retail chains, export markets."""

    ecommerce: int = 0
    retail: int = 0
    export: int = 0
    platforms: list[Share] = field(default_factory=list)
    chains: list[Share] = field(default_factory=list)
    markets: list[Share] = field(default_factory=list)
    sale_points: int = 0
    fairs: int = 0


def channel_stats(
    *, scope: Scope, on: dt.date, events: NationEvents | None = None, from_spans: bool = False
) -> Channels:
    """Sales channels of the products certified on `on` (each product once per kind, and per name);
    nationwide from the rollup unless `from_spans`."""
    if scope.kind == NATION and not from_spans:
        return _channels_from_rollup(on, events or nation_events(on))
    where, params = valid_span_where(scope, on, "v")
    channel, table = SalesChannel._meta.db_table, span_table()
    day = sql_date(on)
    live = "(c.since IS NULL OR c.since <= %s) AND (c.until IS NULL OR c.until >= %s)"
    # The live channels of current products are joined once (a materialised CTE), then counted per kind
    # (a product on two platforms counts once) and per platform, chain or country.
    sql = (
        f"WITH x AS MATERIALIZED (SELECT DISTINCT c.kind, c.name, c.product_id FROM {channel} c "  # noqa: S608
        f"JOIN {table} v ON v.product_id = c.product_id WHERE {live} AND {where}) "
        f"SELECT x.kind, '', COUNT(DISTINCT x.product_id) FROM x GROUP BY x.kind "
        f"UNION ALL SELECT x.kind, x.name, COUNT(*) FROM x GROUP BY x.kind, x.name"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [day, day, *params])
        rows = cursor.fetchall()
    return _channels(rows)


def _channels_from_rollup(on: dt.date, events: NationEvents) -> Channels:
    """The rollup's channel facets up to `on`'s month, and the channel spans' events in it up to `on`."""
    counts: Counter = Counter()
    for facet in ("h", "n"):
        for (_p, _l, key), n in events.upto(facet).items():
            counts[(facet, key)] += n
    for facet, key, n in channel_counts_between(on.replace(day=1), on):
        counts[(facet, key)] += n
    rows = []
    for (facet, key), n in counts.items():
        if n:
            kind, _, name = key.partition("|") if facet == "n" else (key, "", "")
            rows.append((kind, name, n))
    return _channels(rows)


def _channels(rows: list[tuple[str, str, int]]) -> Channels:
    """Channels from (kind, "", products of the kind) and (kind, name, products on the name) rows."""
    result = Channels()
    named: dict[str, list[Share]] = {"ecommerce": result.platforms, "retail": result.chains, "export": result.markets}
    for kind, name, count in rows:
        if not name:
            setattr(result, kind, count)
        elif kind in named:
            named[kind].append(Share(key=name, label=name, products=count))
    for shares in named.values():
        shares.sort(key=lambda s: (-s.products, s.label))
    return result


def trade_stats(*, scope: Scope, on: dt.date, year: int, channels: Channels) -> None:
    """Display-and-sale points open on `on` and fairs held in `year` (cheap counts, never cached)."""
    result = channels
    result.sale_points = sale_points_open(on=on).filter(_place_q(scope, commune=True)).count()
    result.fairs = Fair.objects.filter(_place_q(scope), starts_on__year=year, starts_on__lte=on).count()


def _place_q(scope: Scope, *, commune: bool = False) -> Q:
    """Sale points and fairs are placed by today's province (a sale point also by its commune)."""
    if scope.kind == COMMUNE and commune:
        return Q(commune_id=scope.unit_id)
    if scope.kind == PROVINCE:
        return Q(province_id=scope.unit_id)
    if scope.kind == LEGACY_PROVINCE:
        return Q(province_id=scope.unit.successor_id)
    if scope.kind == COMMUNE:
        return Q(province_id=scope.unit.province_id)
    return Q()
