"""Statistics of the OCOP programme for any scope and date, computed in SQL (GROUP BY), never row by row.

"As of a date" (`on`): a product counts when it held a valid certificate on that date — issued on or
before it, expiring after it, not revoked on or before it — at the highest level among its valid
certificates (an upgraded product counts once, at its new level). A year's figures (registrations, new,
expired and revoked certificates, fairs) cover 1 January of that year up to `on`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q

from ocop.catalog.models import Category, Product
from ocop.catalog.versioning import catalog_version
from ocop.certification.models import CertifiedSpan
from ocop.core.programme import CERTIFIED_STARS, FIRST_CERTIFICATES_YEAR
from ocop.dashboards.models import PlanTarget
from ocop.dashboards.scope import COMMUNE, LEGACY_PROVINCE, NATION, PROVINCE, Scope
from ocop.evaluation.models import Dossier
from ocop.geo.models import Commune, LegacyProvince, Province
from ocop.market.models import Fair, SalesChannel
from ocop.market.selectors import sale_points_open
from ocop.producers.models import Producer

STARS = tuple(reversed(CERTIFIED_STARS))  # 5, 4, 3: the order reports list them in
EXPIRING_WITHIN_DAYS = 90


def percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in percent to one decimal (half up, as reports round), None when `whole` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Area:
    """One row of the breakdown table: a province, former province or commune."""

    id: int | None
    name: str
    slug: str = ""
    code: str = ""
    products: int = 0
    producers: int = 0
    stars: dict[int, int] = field(default_factory=lambda: dict.fromkeys(STARS, 0))

    @property
    def star_counts(self) -> list[int]:
        """3★, 4★, 5★ counts in that order (for tables)."""
        return [self.stars.get(s, 0) for s in sorted(STARS)]


@dataclass
class Share:
    """A labelled count (a group, a producer type, a platform…)."""

    key: str
    label: str
    products: int = 0
    producers: int | None = None
    percent: Decimal | None = None


@dataclass
class Certified:
    """Products holding a valid certificate on a date, and their breakdowns."""

    products: int = 0
    producers: int = 0
    stars: dict[int, int] = field(default_factory=lambda: dict.fromkeys(STARS, 0))
    areas: list[Area] = field(default_factory=list)
    groups: list[Share] = field(default_factory=list)
    subgroups: list[Share] = field(default_factory=list)
    kinds: list[Share] = field(default_factory=list)
    expiring: int = 0

    def star_percent(self, stars: int) -> Decimal | None:
        return percent(self.stars[stars], self.products)

    @property
    def star_rows(self) -> list[tuple[int, int, Decimal | None]]:
        """(stars, products, percent) for 3★, 4★, 5★."""
        return [(s, self.stars[s], self.star_percent(s)) for s in sorted(STARS)]


def _adapt(day: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(day)


def _span_table() -> str:
    return CertifiedSpan._meta.db_table


def _valid_where(scope: Scope, on: dt.date, alias: str = "s") -> tuple[str, list[Any]]:
    """SQL selecting the one span per product that is current on `on` (see `CertifiedSpan`)."""
    scope_sql, scope_params = scope.product_sql(alias)
    day = _adapt(on)
    return f"{alias}.starts_on <= %s AND {alias}.ends_on > %s{scope_sql}", [day, day, *scope_params]


def certified_product_ids(
    *, scope: Scope, on: dt.date, stars: int | None = None, limit: int | None = None
) -> list[int]:
    """The products `certified_stats` counts on `on` (optionally those counted at `stars`), in Vietnamese
    order of their names: the list behind a dashboard's figures, read from the same projection."""
    spans = CertifiedSpan.objects.filter(scope.product_q(), starts_on__lte=on, ends_on__gt=on)
    if stars is not None:
        spans = spans.filter(stars=stars)
    products = Product.objects.filter(pk__in=spans.values("product_id")).order_by("sort_key", "pk")
    return list(products.values_list("pk", flat=True)[:limit])


def _categories() -> dict[int, Category]:
    return {c.pk: c for c in Category.objects.select_related("parent", "group")}


def certified_stats(*, scope: Scope, on: dt.date) -> Certified:
    """Certified products on `on` by stars, area, group, subgroup and producer type: one statement over the
    certification projection (products, then distinct producers), plus the categories and area names."""
    where, params = _valid_where(scope, on)
    area = f"s.{scope.area_field or 'commune_id'}"  # a commune scope has one area: itself
    table = _span_table()
    # Table and column names come from the models; every value is a parameter. The current spans are read
    # once (a materialised CTE) and aggregated twice: products by (area, stars, category, type), then
    # producers — a producer's products share its place and type, so distinct (area, type, producer)
    # rows count each producer once, in its own area and type.
    sql = (
        f"WITH v AS MATERIALIZED (SELECT {area} AS area, s.stars, s.category_id, s.producer_kind, "  # noqa: S608
        f"s.producer_id, s.run_ends_on FROM {table} s WHERE {where}) "
        f"SELECT 'p', v.area, v.stars, v.category_id, v.producer_kind, COUNT(*), "
        f"SUM(CASE WHEN v.run_ends_on <= %s THEN 1 ELSE 0 END) FROM v "
        f"GROUP BY v.area, v.stars, v.category_id, v.producer_kind "
        f"UNION ALL "
        f"SELECT 'c', d.area, 0, 0, d.producer_kind, COUNT(*), 0 FROM ("
        f"SELECT DISTINCT v.area, v.producer_kind, v.producer_id FROM v) d "
        f"GROUP BY d.area, d.producer_kind"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, _adapt(on + dt.timedelta(days=EXPIRING_WITHIN_DAYS))])
        rows = cursor.fetchall()
    categories = _categories()
    result = Certified()
    by_area: dict[Any, Area] = {}
    groups: dict[int | None, int] = defaultdict(int)
    subgroups: dict[int | None, int] = defaultdict(int)
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for section, area_id, stars, category_id, kind, count, expiring in rows:
        row = by_area.setdefault(area_id, Area(id=area_id, name=""))
        if section == "p":
            stars = int(stars)
            result.products += count
            result.stars[stars] = result.stars.get(stars, 0) + count
            result.expiring += int(expiring or 0)
            row.products += count
            row.stars[stars] = row.stars.get(stars, 0) + count
            category = categories.get(category_id)
            groups[category.group_id if category else None] += count
            subgroups[(category.parent_id or category.pk) if category else None] += count
            kinds[kind or ""][0] += count
        else:
            result.producers += count
            row.producers += count
            kinds[kind or ""][1] += count
    result.areas = _named_areas(scope, by_area)
    result.groups = _shares(groups, categories, result.products)
    result.subgroups = _shares(subgroups, categories, result.products)
    labels = dict(Producer.Kind.choices)
    result.kinds = [
        Share(
            key=kind,
            label=str(labels.get(kind, kind or "—")),
            products=p,
            producers=c,
            percent=percent(p, result.products),
        )
        for kind, (p, c) in sorted(
            kinds.items(), key=lambda item: list(labels).index(item[0]) if item[0] in labels else 99
        )
    ]
    return result


def _shares(counts: dict[int | None, int], categories: dict[int, Category], total: int) -> list[Share]:
    shares = []
    for category_id, count in counts.items():
        category = categories.get(category_id) if category_id else None
        label = f"{category.code}. {category.name}" if category else "—"
        shares.append(Share(key=category.code if category else "", label=label, products=count))
    shares.sort(key=lambda s: (-s.products, s.label))
    for share in shares:
        share.percent = percent(share.products, total)
    return shares


def _named_areas(scope: Scope, by_area: dict[Any, Area]) -> list[Area]:
    """Every unit of the breakdown (zero rows included for provinces, so the table is complete), named and
    in Vietnamese order; communes only where something is counted (a province has about a hundred)."""
    kind = scope.area_kind
    if kind is None:
        return []
    units: Any
    if kind == PROVINCE:
        units = Province.objects.order_by("sort_key").values_list("pk", "name", "slug", "code")
    elif kind == LEGACY_PROVINCE:
        units = LegacyProvince.objects.order_by("sort_key").values_list("pk", "name", "code", "code")
    else:
        units = (
            Commune.objects.filter(pk__in=[k for k in by_area if k])
            .order_by("sort_key")
            .values_list("pk", "name", "code", "code")
        )
    areas = []
    for pk, name, slug, code in units:
        area = by_area.pop(pk, None) or Area(id=pk, name=name)
        area.name, area.slug, area.code = name, slug, code
        areas.append(area)
    leftover = by_area.pop(None, None)
    if leftover and leftover.products:
        leftover.name = "—"
        areas.append(leftover)
    return areas


@dataclass
class YearRow:
    year: int
    stars: dict[int, int]
    total: int


def certificates_stats_by_year(*, scope: Scope, on: dt.date) -> list[YearRow]:
    """Certificates issued each year up to `on`, by stars (new, upgraded and re-evaluated alike)."""
    rows = (
        CertifiedSpan.objects.filter(scope.product_q(), is_first=True, issued_on__lte=on)
        .values("issued_year", "stars")
        .annotate(n=Count("id"))
        .order_by()
    )
    years: dict[int, YearRow] = {}
    for row in rows:
        year = years.setdefault(row["issued_year"], YearRow(row["issued_year"], dict.fromkeys(STARS, 0), 0))
        year.stars[row["stars"]] += row["n"]
        year.total += row["n"]
    first = min([FIRST_CERTIFICATES_YEAR, *years])
    return [years.get(y) or YearRow(y, dict.fromkeys(STARS, 0), 0) for y in range(first, on.year + 1)]


@dataclass
class Lapsed:
    """A year's certificates that ended: expired, revoked; and those issued (for the narrative)."""

    issued: int = 0
    expired: int = 0
    revoked: int = 0


def certificates_stats_lapsed(*, scope: Scope, on: dt.date, year: int) -> Lapsed:
    """Certificates issued, expired (not revoked before) and revoked from 1 January of `year` to `on`."""
    start = dt.date(year, 1, 1)
    end = min(on, dt.date(year, 12, 31))
    figures = CertifiedSpan.objects.filter(scope.product_q(), is_first=True).aggregate(
        issued=Count("id", filter=Q(issued_on__gte=start, issued_on__lte=end)),
        expired=Count(
            "id",
            filter=Q(expires_on__gt=start, expires_on__lte=end)
            & (Q(revoked_on__isnull=True) | Q(revoked_on__gte=F("expires_on"))),
        ),
        revoked=Count("id", filter=Q(revoked_on__gte=start, revoked_on__lte=end)),
    )
    return Lapsed(**figures)


@dataclass
class Registrations:
    """Dossiers submitted in a year's rounds, by kind and by outcome."""

    year: int
    total: int = 0
    kinds: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Dossier.Kind.values, 0))
    recognised: int = 0
    not_recognised: int = 0
    in_progress: int = 0
    rounds: list[dict[str, Any]] = field(default_factory=list)


def dossier_scope_q(scope: Scope) -> Q:
    if scope.kind == NATION:
        return Q()
    if scope.kind == PROVINCE:
        return Q(province_id=scope.unit_id)
    if scope.kind == COMMUNE:
        return Q(commune_id=scope.unit_id)
    return Q(producer__legacy_province_id=scope.unit_id)


def dossier_stats_by_status(*, scope: Scope) -> dict[str, int]:
    """Dossiers of every round by status (the officers' pipeline), one query."""
    rows = Dossier.objects.filter(dossier_scope_q(scope)).values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}


def registration_stats(*, scope: Scope, year: int) -> Registrations:
    """Products registered in the rounds of `year` (dossiers sent to the commune), by kind and outcome."""
    rows = (
        Dossier.objects.filter(dossier_scope_q(scope), round__year=year, submitted_at__isnull=False)
        .values("round__number", "kind", "status")
        .annotate(n=Count("id"))
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
    return result


@dataclass
class PlanRow:
    """A target and what was done: products certified in the period (at that level, or 3★+)."""

    target: PlanTarget
    actual: int
    percent: Decimal | None
    difference: int


def plan_stats(*, scope: Scope, on: dt.date) -> list[PlanRow]:
    """Each target of the scope (a province's own, or the nation's) against the products certified in its
    period up to `on`, in count and percent; one query for the targets and one for all actuals."""
    if scope.kind not in (NATION, PROVINCE):
        return []
    targets = list(
        PlanTarget.objects.filter(
            Q(province__isnull=True) if scope.kind == NATION else Q(province_id=scope.unit_id)
        ).order_by("start_year", "end_year", F("stars").asc(nulls_first=True))
    )
    if not targets:
        return []
    aggregates = {}
    for index, target in enumerate(targets):
        start, end = dt.date(target.start_year, 1, 1), min(on, dt.date(target.end_year, 12, 31))
        condition = Q(issued_on__gte=start, issued_on__lte=end)
        if target.stars:
            condition &= Q(stars=target.stars)
        aggregates[f"t{index}"] = Count("product_id", filter=condition, distinct=True)
    actuals = CertifiedSpan.objects.filter(scope.product_q(), is_first=True).aggregate(**aggregates)
    rows = []
    for index, target in enumerate(targets):
        actual = actuals[f"t{index}"]
        rows.append(PlanRow(target, actual, percent(actual, target.target), actual - target.target))
    return rows


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


def channel_stats(*, scope: Scope, on: dt.date) -> Channels:
    """Sales channels of the products certified on `on` (each product once per kind, and per name)."""
    where, params = _valid_where(scope, on, "v")
    channel, table = SalesChannel._meta.db_table, _span_table()
    day = _adapt(on)
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


@dataclass
class Dashboard:
    """Everything a dashboard, a report and the narrative need, for one scope and date."""

    scope: Scope
    on: dt.date
    year: int
    certified: Certified
    by_year: list[YearRow]
    lapsed: Lapsed
    registrations: Registrations
    plans: list[PlanRow]
    channels: Channels

    @property
    def star_percents(self) -> dict[int, Decimal | None]:
        return {s: self.certified.star_percent(s) for s in STARS}


CACHE_SECONDS = 600


def dashboard_stats(*, scope: Scope, on: dt.date, year: int | None = None, use_cache: bool = True) -> Dashboard:
    """The figures of a dashboard: a fixed, small number of queries whatever the amount of data.

    The figures over certificates, products and channels are cached under the catalog version, which every
    service that changes them bumps, so a cached figure is never stale; registrations, plan targets, sale
    points and fairs are cheap indexed counts and always read live.
    """
    year = year or on.year
    key = f"stats:{catalog_version()}:{scope.key}:{on.isoformat()}:{year}"
    heavy = cache.get(key) if use_cache else None
    if heavy is None:
        heavy = (
            certified_stats(scope=scope, on=on),
            certificates_stats_by_year(scope=scope, on=on),
            certificates_stats_lapsed(scope=scope, on=on, year=year),
            channel_stats(scope=scope, on=on),
        )
        if use_cache:
            cache.set(key, heavy, CACHE_SECONDS)
    certified, by_year, lapsed, channels = heavy
    channels = replace(channels)  # the cached object stays as cached
    trade_stats(scope=scope, on=on, year=year, channels=channels)
    return Dashboard(
        scope=scope,
        on=on,
        year=year,
        certified=certified,
        by_year=by_year,
        lapsed=lapsed,
        registrations=registration_stats(scope=scope, year=year),
        plans=plan_stats(scope=scope, on=on),
        channels=channels,
    )
