"""Certified products on a day (from the certification timeline), by area, stars, group and producer type; certificates
per year and those that lapsed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q

from ocop.catalog.models import Category, Product
from ocop.certification.models import CertifiedSpan
from ocop.certification.rollup import NationEvents, nation_events
from ocop.core.programme import CERTIFIED_STARS, FIRST_CERTIFICATES_YEAR
from ocop.geo.models import Commune, LegacyProvince, Province
from ocop.geo.scope import LEGACY_PROVINCE, NATION, PROVINCE, Scope
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


def sql_date(day: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(day)


def span_table() -> str:
    return CertifiedSpan._meta.db_table


def valid_span_where(scope: Scope, on: dt.date, alias: str = "s") -> tuple[str, list[Any]]:
    """SQL selecting the one span per product that is current on `on` (see `CertifiedSpan`)."""
    scope_sql, scope_params = scope.product_sql(alias)
    day = sql_date(on)
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


def certified_stats(*, scope: Scope, on: dt.date, events: NationEvents | None = None) -> Certified:
    """Certified products on `on` by stars, area, group, subgroup and producer type: nationwide from the
    rollup (`certification.rollup`), in a province or commune from its spans (as many as it has)."""
    if scope.kind == NATION:
        return certified_stats_from_rollup(scope=scope, on=on, events=events or nation_events(on))
    return certified_stats_from_spans(scope=scope, on=on)


def certified_stats_from_rollup(*, scope: Scope, on: dt.date, events: NationEvents) -> Certified:
    """The nation's figures as sums of the rollup's events; the same as `certified_stats_from_spans`."""
    legacy = scope.former
    result = Certified()
    by_area: dict[Any, Area] = {}
    for (province, legacy_id, star), count in events.upto("a").items():
        if not count:
            continue
        area_id = (legacy_id if legacy else province) or None
        row = by_area.setdefault(area_id, Area(id=area_id, name=""))
        stars = int(star)
        result.products += count
        result.stars[stars] = result.stars.get(stars, 0) + count
        row.products += count
        row.stars[stars] = row.stars.get(stars, 0) + count
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (province, legacy_id, kind), count in events.upto("l" if legacy else "p").items():
        if count:
            area_id = (legacy_id if legacy else province) or None
            by_area.setdefault(area_id, Area(id=area_id, name="")).producers += count
            result.producers += count
            kinds[kind][1] += count
    for (_p, _l, kind), count in events.upto("k").items():
        if count:
            kinds[kind][0] += count
    categories = _categories()
    groups: dict[int | None, int] = defaultdict(int)
    subgroups: dict[int | None, int] = defaultdict(int)
    for (_p, _l, key), count in events.upto("c").items():
        if count:
            category = categories.get(int(key))
            groups[category.group_id if category else None] += count
            subgroups[(category.parent_id or category.pk) if category else None] += count
    result.expiring = CertifiedSpan.objects.filter(
        starts_on__lte=on, ends_on__gt=on, ends_on__lte=on + dt.timedelta(days=EXPIRING_WITHIN_DAYS),
        run_ends_on__lte=on + dt.timedelta(days=EXPIRING_WITHIN_DAYS),
    ).count()  # fmt: skip
    result.areas = _named_areas(scope, by_area)
    result.groups = _shares(groups, categories, result.products)
    result.subgroups = _shares(subgroups, categories, result.products)
    result.kinds = _kinds(kinds, result.products)
    return result


def certified_stats_from_spans(*, scope: Scope, on: dt.date) -> Certified:
    """Certified products on `on` by stars, area, group, subgroup and producer type: one statement over the
    certification projection (products, then distinct producers), plus the categories and area names."""
    where, params = valid_span_where(scope, on)
    area = f"s.{scope.area_field or 'commune_id'}"  # a commune scope has one area: itself
    table = span_table()
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
        cursor.execute(sql, [*params, sql_date(on + dt.timedelta(days=EXPIRING_WITHIN_DAYS))])
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
    result.kinds = _kinds(kinds, result.products)
    return result


def _kinds(kinds: dict[str, list[int]], total: int) -> list[Share]:
    """Producer types ([products, producers] each) as shares, in the order of the types."""
    labels = dict(Producer.Kind.choices)
    order = list(labels)
    return [
        Share(key=kind, label=str(labels.get(kind, kind or "—")), products=p, producers=c, percent=percent(p, total))
        for kind, (p, c) in sorted(kinds.items(), key=lambda item: order.index(item[0]) if item[0] in labels else 99)
    ]


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


def certificates_stats_by_year(
    *, scope: Scope, on: dt.date, events: NationEvents | None = None, from_spans: bool = False
) -> list[YearRow]:
    """Certificates issued each year up to `on`, by stars (new, upgraded and re-evaluated alike); nationwide
    from the rollup unless `from_spans`."""
    counts: list[tuple[int, int, int]]  # year, stars, certificates
    if scope.kind == NATION and not from_spans:
        events = events or nation_events(on)
        counts = [(y, int(s), n) for y, by_stars in events.issued_by_year.items() for s, n in by_stars.items()]
        counts += [(on.year, int(s), n) for s, n in events.in_year("y").items()]
    else:
        rows = (
            CertifiedSpan.objects.filter(scope.product_q(), is_first=True, issued_on__lte=on)
            .values_list("issued_year", "stars")
            .annotate(n=Count("id"))
            .order_by()
        )
        counts = list(rows)
    years: dict[int, YearRow] = {}
    for issued_year, stars, n in counts:
        if not n:
            continue
        year = years.setdefault(issued_year, YearRow(issued_year, dict.fromkeys(STARS, 0), 0))
        year.stars[stars] += n
        year.total += n
    first = min([FIRST_CERTIFICATES_YEAR, *years])
    return [years.get(y) or YearRow(y, dict.fromkeys(STARS, 0), 0) for y in range(first, on.year + 1)]


@dataclass
class Lapsed:
    """A year's certificates that ended: expired, revoked; and those issued (for the narrative)."""

    issued: int = 0
    expired: int = 0
    revoked: int = 0
    issued_stars: dict[int, int] = field(default_factory=dict)


def certificates_stats_lapsed(
    *, scope: Scope, on: dt.date, year: int, events: NationEvents | None = None, from_spans: bool = False
) -> Lapsed:
    """Certificates issued, expired (not revoked before) and revoked from 1 January of `year` to `on`;
    nationwide for `on`'s own year from the rollup unless `from_spans`."""
    if scope.kind == NATION and year == on.year and not from_spans:
        events = events or nation_events(on)
        in_year = events.in_year("y")
        issued = {s: in_year[str(s)] for s in STARS if in_year[str(s)]}
        expired = events.in_year("e")
        expired.subtract(events.expired_new_year)  # expiring on 1 January is last year's
        return Lapsed(
            issued=sum(issued.values()),
            expired=sum(expired.values()),
            revoked=sum(events.in_year("r").values()),
            issued_stars=issued,
        )
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
        **{f"issued_{stars}": Count("id", filter=Q(issued_on__gte=start, issued_on__lte=end, stars=stars))
           for stars in STARS},
    )  # fmt: skip
    issued_stars = {stars: figures.pop(f"issued_{stars}") for stars in STARS}
    return Lapsed(**figures, issued_stars={s: n for s, n in issued_stars.items() if n})
