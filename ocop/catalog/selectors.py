"""Reads for the public catalog."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import get_language

from ocop.catalog.cards import product_cards
from ocop.catalog.filters import CHANNELS, Sort, apply_filters, filter_conditions
from ocop.catalog.models import Category, CertificateStatus, Product, Regime
from ocop.catalog.search import (
    FEW_RESULTS,
    ParsedQuery,
    Tier,
    correct_query,
    parse_query,
    relevance_tiers,
    text_filter,
    text_tier,
)
from ocop.catalog.versioning import catalog_version
from ocop.geo.models import Commune, LegacyProvince, Province
from ocop.producers.models import Producer

CERTIFIED = Q(certificate_status=CertificateStatus.VALID)


def product_list_public() -> QuerySet[Product]:
    """Products the public may see, with what a list card shows, in one query."""
    return (
        Product.objects.exclude(status=Product.Status.DRAFT)
        .select_related("producer__province", "producer__commune", "category")
        .only(
            "id", "name", "slug", "stars", "certificate_status", "certified_on", "price_min", "price_max", "unit",
            "producer__id", "producer__name", "producer__slug", "producer__kind", "producer__province__name",
            "producer__province__slug", "producer__province__code", "producer__commune__name",
            "producer__commune__code", "category__code", "category__name",
            "name_folded", "name_tone", "sort_key", "cover",
        )
    )  # fmt: skip


def products_public_in_order(ids: list[int]) -> list[Product]:
    """The public products `ids` as model instances with what a card shows, in that order (drafts left out)."""
    loaded = product_list_public().in_bulk(ids)
    return [loaded[pk] for pk in ids if pk in loaded]


def product_get_public(*, pk: int) -> Product:
    """One public product with its producer, place and category."""
    return (
        Product.objects.exclude(status=Product.Status.DRAFT)
        .select_related(
            "producer__province",
            "producer__commune",
            "producer__legacy_district",
            "category__parent",
            "category__group",
        )
        .get(pk=pk)
    )


def catalog_headline_counts() -> dict[str, int]:
    """Certified products, their producers and the provinces they come from, in one query."""
    return Product.objects.filter(CERTIFIED).aggregate(
        products=Count("id"),
        producers=Count("producer_id", distinct=True),
        provinces=Count("producer__province_id", distinct=True),
        five_stars=Count("id", filter=Q(stars=5)),
    )


def category_groups_with_counts() -> list[Category]:
    """The six groups of the 148 classification, each with its number of certified products."""
    counts = dict(
        Product.objects.filter(CERTIFIED).values_list("category__group_id").annotate(n=Count("id")).order_by()
    )
    groups = list(Category.objects.filter(regime=Regime.D148_2023, level=Category.Level.GROUP).order_by("position"))
    for group in groups:
        group.product_count = counts.get(group.pk, 0)  # type: ignore[attr-defined]
    return groups


def provinces_with_counts() -> list[Province]:
    """Today's 34 provinces in Vietnamese order, each with its number of certified products."""
    counts = dict(
        Product.objects.filter(CERTIFIED).values_list("producer__province_id").annotate(n=Count("id")).order_by()
    )
    provinces = list(Province.objects.order_by("sort_key"))
    for province in provinces:
        province.product_count = counts.get(province.pk, 0)  # type: ignore[attr-defined]
    return provinces


# --- Search -------------------------------------------------------------------------------------

RESULT_CAP = 1000  # counts stop here ("1.000+"); deeper pages are reached by narrowing the search


@dataclass
class SearchResult:
    """Matching products in order, counted up to RESULT_CAP + 1, and what the page says about the search.

    `tiers` are read one after the other: relevance tiers (`Tier`, walked by rank from the index) or, for the
    other orders, one lean queryset (the product table alone). `page(start, stop)` reads only the ids it shows and
    loads just those products with what a card shows.
    """

    tiers: list[Tier | QuerySet[Product]]
    query: ParsedQuery
    corrected: ParsedQuery | None
    sort: str
    count: int

    @property
    def effective_query(self) -> ParsedQuery:
        return self.corrected or self.query

    @property
    def products(self) -> list[Product]:
        """Every match in order, as model instances with what a card shows (for tests; pages use `page`)."""
        return products_public_in_order(self.ids())

    def ids(self, limit: int | None = None) -> list[int]:
        """The ids of every match in order (up to `limit`), without loading the products."""
        ids: list[int] = []
        for tier in self.tiers:
            remaining = None if limit is None else limit - len(ids)
            if remaining is not None and remaining <= 0:
                break
            ids += _tier_ids(tier, remaining)
        return ids

    def page(self, start: int, stop: int | None) -> list[SimpleNamespace]:
        """The cards of matches start…stop (`product_card` draws them), read in one statement."""
        return product_cards(self.ids(stop)[start:])

    def __getitem__(self, index: slice) -> list[SimpleNamespace]:
        return self.page(index.start or 0, index.stop)

    def __len__(self) -> int:
        return min(self.count, RESULT_CAP)


def _tier_ids(tier: Tier | QuerySet[Product], limit: int | None) -> list[int]:
    if isinstance(tier, Tier):
        return tier.ids(limit)
    return list(tier.values_list("pk", flat=True)[:limit])


def product_search_base() -> QuerySet[Product]:
    """Public products that have been certified at least once (whatever their current status)."""
    return Product.objects.exclude(status=Product.Status.DRAFT).filter(stars__isnull=False)


_CATEGORY_NAMES: dict[str, tuple[float, dict[tuple[str, ...], int]]] = {}


def _category_named(query: ParsedQuery) -> Category | None:
    """The classification's group or subgroup whose name is the whole query ("đồ uống", "rau củ quả tươi"):
    category names are filters, not words of the search document."""
    memo = _CATEGORY_NAMES.get("names")
    if memo is None or memo[0] < time.monotonic():  # reference data: read again at most every ten minutes
        names = {
            parse_query(name).words: pk
            for pk, name in Category.objects.filter(regime=Regime.D148_2023).values_list("pk", "name")
        }
        _CATEGORY_NAMES["names"] = memo = (time.monotonic() + 600, names)
    names = memo[1]
    pk = names.get(query.words) if len(query.words) > 1 else None  # "hoa", "chè" are words of many names
    return Category.objects.filter(pk=pk).first() if pk else None


def product_search(*, filters: dict[str, Any]) -> SearchResult:
    """Products matching the text and filters, in the requested order (relevance when there is text)."""
    query = parse_query(filters.get("q") or "")
    if not query.is_empty and not filters.get("category") and not filters.get("group"):
        category = _category_named(query)
        if category is not None:
            return product_search(filters={**filters, "q": "", "category": category, "sort": filters.get("sort")})
    products = apply_filters(product_search_base(), filters)
    corrected = None
    count = _count(products, query)
    if not query.is_empty and count < FEW_RESULTS:
        corrected = correct_query(query)
        if corrected is not None:
            count = _count(products, corrected)
    effective = corrected or query
    sort = filters.get("sort") or (Sort.RELEVANCE if not query.is_empty else Sort.STARS)
    tiers: list[Tier | QuerySet[Product]]
    if sort == Sort.RELEVANCE and not query.is_empty:
        tiers = list(relevance_tiers(products, effective, dense=count > RESULT_CAP))
    else:
        matched = text_filter(products, effective)
        if sort == Sort.NEWEST:
            tiers = [matched.order_by(F("certified_on").desc(nulls_last=True), "-id")]
        elif sort == Sort.NAME:
            tiers = [matched.order_by("sort_key", "id")]
        else:
            sort = Sort.STARS if sort == Sort.RELEVANCE else sort
            tiers = [matched.order_by("-stars", "-certified_on", "-id")]
    return SearchResult(tiers=tiers, query=query, corrected=corrected, sort=sort, count=count)


def _count(products: QuerySet[Product], query: ParsedQuery) -> int:
    """Matches counted no further than RESULT_CAP + 1 ("1.000+"), from the index when there is text."""
    return capped_count(products) if query.is_empty else text_tier(products, query).count(RESULT_CAP)


def capped_count(products: QuerySet[Product], cap: int = RESULT_CAP) -> int:
    """How many products match, counting no further than cap + 1."""
    return len(products.order_by().values_list("pk", flat=True)[: cap + 1])


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False
    url: str = ""


def product_facets(*, filters: dict[str, Any], query: ParsedQuery) -> dict[str, list[FacetOption]]:
    """Counts for each filter option, each facet ignoring its own selection; cached per catalog version."""
    key_source = repr(sorted((k, str(getattr(v, "pk", v))) for k, v in filters.items() if k not in ("sort", "page")))
    digest = hashlib.sha256((key_source + repr(query.words)).encode()).hexdigest()
    key = f"catalog:facets:{catalog_version()}:{get_language()}:{digest}"
    facets = cache.get(key)
    if facets is None:
        facets = _compute_facets(filters, query)
        cache.set(key, facets, 60)
    return facets


# Each facet's column in the match set; the year is computed there.
_FACET_COLUMNS = {
    "province": "province_id", "commune": "commune_id", "former_province": "legacy_province_id",
    "group": "group_id", "category": "category_id", "stars": "stars", "status": "certificate_status",
    "year": "y", "producer_kind": "producer_kind",
}  # fmt: skip
_CHANNEL_COLUMNS = {"ecommerce": "has_ecommerce", "retail": "in_retail", "export": "exported"}


def _facet_counts(filters: dict[str, Any], query: ParsedQuery) -> dict[str, dict[Any, int]]:
    """Every facet's counts in one statement over one materialised match set.

    The set holds the products matching the text and every filter nobody counts against (those not chosen), with
    a flag per chosen filter; each facet then counts the rows whose other chosen filters hold, so it ignores its
    own selection. One scan of the matches instead of one query (and one text match) per facet.
    """
    if filters.get("commune") and not filters.get("province"):
        filters = {**filters, "province": filters["commune"].province}  # the commune facet lists its province's
    conditions = filter_conditions(filters)
    chosen = list(conditions)
    matched = text_filter(apply_filters(product_search_base(), filters, skip=chosen), query)
    flags = {f"f_{name}": Case(When(q, then=Value(1)), default=Value(0)) for name, q in conditions.items()}
    inner = matched.order_by().annotate(y=ExtractYear("certified_on"), **flags)
    columns = [*(c for c in _FACET_COLUMNS.values() if c != "y"), *_CHANNEL_COLUMNS.values()]
    inner_sql, inner_params = inner.values(*columns, "y", *flags).query.sql_with_params()

    def others(facet: str) -> str:
        held = [f"f_{name} = 1" for name in chosen if name != facet]
        return " AND ".join(held) if held else "1 = 1"

    wanted = [name for name in _FACET_COLUMNS if name != "commune" or filters.get("province") or filters.get("commune")]
    parts = [
        f"SELECT '{name}', CAST({_FACET_COLUMNS[name]} AS TEXT), COUNT(*) FROM m WHERE {others(name)} "  # noqa: S608
        f"GROUP BY {_FACET_COLUMNS[name]}"
        for name in wanted
    ] + [
        f"SELECT 'channel', '{value}', COUNT(*) FROM m WHERE {others('channel')} AND {column}"  # noqa: S608
        for value, column in _CHANNEL_COLUMNS.items()
    ]
    sql = f"WITH m AS MATERIALIZED ({inner_sql}) " + " UNION ALL ".join(parts)
    counts: dict[str, dict[Any, int]] = {name: {} for name in [*wanted, "channel"]}
    with connection.cursor() as cursor:
        cursor.execute(sql, inner_params)
        for facet, value, n in cursor.fetchall():
            if value is not None and n:
                counts[facet][value] = n
    return counts


def _compute_facets(filters: dict[str, Any], query: ParsedQuery) -> dict[str, list[FacetOption]]:
    counts = _facet_counts(filters, query)

    def ids(name: str) -> list[int]:
        return [int(v) for v in counts.get(name, {})]

    def options(name: str, objects, key) -> list[FacetOption]:
        by_id = {str(obj.pk): obj for obj in objects}
        chosen = sorted((by_id[v] for v in counts[name] if v in by_id), key=key)
        return [FacetOption(obj.code, obj.name, counts[name][str(obj.pk)]) for obj in chosen]

    facets: dict[str, list[FacetOption]] = {
        "province": options("province", Province.objects.filter(pk__in=ids("province")), lambda o: o.sort_key),
    }
    if "commune" in counts:
        # Communes are listed once a province is chosen: 3,321 options would help nobody.
        communes = Commune.objects.filter(pk__in=ids("commune"))
        facets["commune"] = options("commune", communes, lambda o: o.sort_key)
    legacy = LegacyProvince.objects.filter(pk__in=ids("former_province"))
    facets["former_province"] = options("former_province", legacy, lambda o: o.sort_key)
    categories = list(Category.objects.filter(pk__in=ids("group") + ids("category")))
    facets["group"] = options("group", categories, lambda o: o.position)
    facets["category"] = options("category", categories, lambda o: o.position)
    facets["stars"] = [
        FacetOption(value, f"{value}★", n) for value, n in sorted(counts["stars"].items(), key=lambda i: -int(i[0]))
    ]
    labels = dict(CertificateStatus.choices)
    facets["status"] = [
        FacetOption(value, str(labels[value]), counts["status"][value]) for value in labels if value in counts["status"]
    ]
    facets["year"] = [
        FacetOption(str(int(float(value))), str(int(float(value))), n)
        for value, n in sorted(counts["year"].items(), key=lambda i: -float(i[0]))
    ]
    kinds = dict(Producer.Kind.choices)
    facets["producer_kind"] = [
        FacetOption(value, str(kinds[value]), counts["producer_kind"][value])
        for value in kinds
        if value in counts["producer_kind"]
    ]
    facets["channel"] = [FacetOption(value, str(label), counts["channel"].get(value, 0)) for value, label in CHANNELS]
    return facets
