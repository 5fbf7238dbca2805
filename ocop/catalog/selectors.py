"""Reads for the public catalog."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import get_language

from ocop.catalog.filters import CHANNELS, Sort, apply_filters
from ocop.catalog.models import Category, CertificateStatus, Product, Regime
from ocop.catalog.search import FEW_RESULTS, ParsedQuery, correct_query, parse_query, relevance_tiers, text_filter
from ocop.catalog.versioning import catalog_version
from ocop.geo.models import Province
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


def product_related(*, product: Product, limit: int = 4) -> list[Product]:
    """Other certified products of the same criteria set, best stars first (none for an unclassified one)."""
    if product.category_id is None:
        return []
    return list(
        product_list_public()
        .filter(CERTIFIED, category_id=product.category_id)
        .exclude(pk=product.pk)
        .order_by("-stars", "-certified_on", "id")[:limit]
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

    `tiers` are lean querysets (the product table alone), each ordered, read one after the other: ordering
    thousands of matches joins nothing, and `page(start, stop)` loads just those products with what a card
    shows.
    """

    tiers: list[QuerySet[Product]]
    query: ParsedQuery
    corrected: ParsedQuery | None
    sort: str
    count: int

    @property
    def effective_query(self) -> ParsedQuery:
        return self.corrected or self.query

    @property
    def products(self) -> list[Product]:
        """Every match in order, fully loaded (for exports and tests; pages use `page`)."""
        return self.page(0, None)

    @property
    def ranked(self) -> QuerySet[Product]:
        """All matches as one queryset (unordered across tiers), e.g. for counting."""
        return self.tiers[-1] if len(self.tiers) == 1 else self.tiers[0].union(*self.tiers[1:], all=True)

    def ids(self, limit: int | None = None) -> list[int]:
        """The ids of every match in order (up to `limit`), without loading the products."""
        ids: list[int] = []
        for tier in self.tiers:
            remaining = None if limit is None else limit - len(ids)
            if remaining is not None and remaining <= 0:
                break
            ids += list(tier.values_list("pk", flat=True)[:remaining])
        return ids

    def page(self, start: int, stop: int | None) -> list[Product]:
        ids: list[int] = []
        offset = 0
        for tier in self.tiers:
            if stop is not None and offset >= stop:
                break
            wanted = None if stop is None else stop - offset
            fetched = list(tier.values_list("pk", flat=True)[:wanted])
            ids += fetched[max(0, start - offset) :]
            offset += len(fetched)
        loaded = product_list_public().in_bulk(ids)
        return [loaded[pk] for pk in ids if pk in loaded]

    def __getitem__(self, index: slice) -> list[Product]:
        return self.page(index.start or 0, index.stop)

    def __len__(self) -> int:
        return min(self.count, RESULT_CAP)


def product_search_base() -> QuerySet[Product]:
    """Public products that have been certified at least once (whatever their current status)."""
    return Product.objects.exclude(status=Product.Status.DRAFT).filter(stars__isnull=False)


def product_search(*, filters: dict[str, Any]) -> SearchResult:
    """Products matching the text and filters, in the requested order (relevance when there is text)."""
    products = apply_filters(product_search_base(), filters)
    query = parse_query(filters.get("q") or "")
    corrected = None
    matched = text_filter(products, query)
    count = capped_count(matched)
    if not query.is_empty and count < FEW_RESULTS:
        corrected = correct_query(query)
        if corrected is not None:
            matched = text_filter(products, corrected)
            count = capped_count(matched)
    sort = filters.get("sort") or (Sort.RELEVANCE if not query.is_empty else Sort.STARS)
    if sort == Sort.RELEVANCE and not query.is_empty:
        tiers = relevance_tiers(products, corrected or query)
    elif sort == Sort.NEWEST:
        tiers = [matched.order_by(F("certified_on").desc(nulls_last=True), "-id")]
    elif sort == Sort.NAME:
        tiers = [matched.order_by("sort_key", "id")]
    else:
        sort = Sort.STARS if sort == Sort.RELEVANCE else sort
        tiers = [matched.order_by("-stars", "-certified_on", "-id")]
    return SearchResult(tiers=tiers, query=query, corrected=corrected, sort=sort, count=count)


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


def _facet_rows(filters, query, skip, *values):
    products = text_filter(apply_filters(product_search_base(), filters, skip=skip), query)
    return products.order_by().values(*values).annotate(n=Count("id"))


def _compute_facets(filters: dict[str, Any], query: ParsedQuery) -> dict[str, list[FacetOption]]:
    facets: dict[str, list[FacetOption]] = {}
    rows = _facet_rows(filters, query, "province", "province__code", "province__name", "province__sort_key")
    facets["province"] = [
        FacetOption(r["province__code"], r["province__name"], r["n"])
        for r in sorted(rows, key=lambda r: r["province__sort_key"] or "")
        if r["province__code"]
    ]
    if filters.get("province") or filters.get("commune"):
        # Communes are listed once a province is chosen: 3,321 options would help nobody.
        province = filters.get("province") or filters["commune"].province
        rows = _facet_rows({**filters, "province": province}, query, "commune", "commune__code", "commune__name",
                           "commune__sort_key")  # fmt: skip
        facets["commune"] = [
            FacetOption(r["commune__code"], r["commune__name"], r["n"])
            for r in sorted(rows, key=lambda r: r["commune__sort_key"] or "")
            if r["commune__code"]
        ]
    rows = _facet_rows(filters, query, "former_province", "legacy_province__code", "legacy_province__name",
                       "legacy_province__sort_key")  # fmt: skip
    facets["former_province"] = [
        FacetOption(r["legacy_province__code"], r["legacy_province__name"], r["n"])
        for r in sorted(rows, key=lambda r: r["legacy_province__sort_key"] or "")
        if r["legacy_province__code"]
    ]
    rows = _facet_rows(filters, query, "group", "group__code", "group__name", "group__position")
    facets["group"] = [
        FacetOption(r["group__code"], r["group__name"], r["n"])
        for r in sorted(rows, key=lambda r: r["group__position"] or 0)
        if r["group__code"]
    ]
    rows = _facet_rows(filters, query, "category", "category__code", "category__name", "category__position")
    facets["category"] = [
        FacetOption(r["category__code"], r["category__name"], r["n"])
        for r in sorted(rows, key=lambda r: r["category__position"] or 0)
    ]
    rows = _facet_rows(filters, query, "stars", "stars")
    facets["stars"] = [
        FacetOption(str(r["stars"]), f"{r['stars']}★", r["n"]) for r in sorted(rows, key=lambda r: -r["stars"])
    ]
    labels = dict(CertificateStatus.choices)
    rows = _facet_rows(filters, query, "status", "certificate_status")
    facets["status"] = [
        FacetOption(r["certificate_status"], str(labels.get(r["certificate_status"], "")), r["n"])
        for r in sorted(rows, key=lambda r: list(labels).index(r["certificate_status"]))
        if r["certificate_status"] in labels
    ]
    products = text_filter(apply_filters(product_search_base(), filters, skip="year"), query)
    rows = products.order_by().annotate(y=ExtractYear("certified_on")).values("y").annotate(n=Count("id"))
    facets["year"] = [FacetOption(str(r["y"]), str(r["y"]), r["n"]) for r in sorted(rows, key=lambda r: -r["y"])]
    kinds = dict(Producer.Kind.choices)
    rows = _facet_rows(filters, query, "producer_kind", "producer_kind")
    facets["producer_kind"] = [
        FacetOption(r["producer_kind"], str(kinds.get(r["producer_kind"], r["producer_kind"])), r["n"])
        for r in sorted(rows, key=lambda r: list(kinds).index(r["producer_kind"]) if r["producer_kind"] in kinds else 9)
    ]
    products = text_filter(apply_filters(product_search_base(), filters, skip="channel"), query)
    counts = products.aggregate(
        ecommerce=Count("id", filter=Q(has_ecommerce=True)),
        retail=Count("id", filter=Q(in_retail=True)),
        export=Count("id", filter=Q(exported=True)),
    )
    facets["channel"] = [FacetOption(value, str(label), counts[value]) for value, label in CHANNELS]
    return facets
