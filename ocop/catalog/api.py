"""API: the public catalog, through the same filter form and search selector as the catalog page."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.db.models import F
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from ocop.api.pagination import Page, PageQuery, keyset_page, position_page
from ocop.api.schemas import ERRORS, CategoryOut, ProducerRef, UnitOut, form_errors, last_modified
from ocop.catalog.filters import ProductFilterForm, Sort
from ocop.catalog.models import Product
from ocop.catalog.selectors import product_certificates, product_get_public, product_list_public, product_search
from ocop.market.selectors import product_channels

router = Router(tags=["products"])


class ProductQuery(PageQuery):
    """The catalog page's filters (same names, same rules)."""

    q: str | None = Field(None, max_length=200, description="Words, with or without accents.")
    province: str | None = Field(None, description="Today's province code, e.g. 04.")
    former_province: str | None = Field(None, description="Former (pre-2025) province code.")
    commune: str | None = Field(None, description="Commune code.")
    group: str | None = Field(None, description="Product group code (I–VI).")
    category: str | None = Field(None, description="Subgroup or criteria-set code, e.g. I.1.a.")
    stars: int | None = Field(None, ge=3, le=5)
    status: Literal["valid", "expired", "revoked"] | None = None
    year: int | None = Field(None, ge=2018, le=2100, description="Year of the current certificate.")
    producer_kind: Literal["enterprise", "cooperative", "cooperative_group", "household"] | None = None
    channel: Literal["ecommerce", "retail", "export"] | None = None
    sort: Literal["relevance", "stars", "newest", "name"] | None = None


class ProductOut(Schema):
    id: int
    name: str
    url: str
    producer: ProducerRef
    province: UnitOut | None
    commune: UnitOut | None
    category: CategoryOut
    stars: int | None
    certificate_status: str
    certified_on: dt.date | None
    price_min: int | None
    price_max: int | None
    unit: str


class ProductPage(Page[ProductOut]):
    count: int = Field(description="Matches, counted up to 1,001 (more than 1,000 reads as 1001).")
    corrected_query: str | None = Field(None, description="The query used instead, when a word was misspelt.")


class CertificateOut(Schema):
    number: str
    verification_code: str
    stars: int
    score: float | None
    status: str
    decision_number: str
    issued_on: dt.date
    expires_on: dt.date
    revoked_on: dt.date | None


class ChannelOut(Schema):
    kind: str
    name: str
    url: str
    since: dt.date | None


class ProductDetailOut(ProductOut):
    description: str
    story: str
    packaging: str
    annual_capacity: int | None
    capacity_unit: str
    certificates: list[CertificateOut]
    channels: list[ChannelOut]


def product_out(request: HttpRequest, product: Product) -> dict:
    producer = product.producer
    return {
        "id": product.pk,
        "name": product.name,
        "url": request.build_absolute_uri(reverse("catalog:product-detail", args=[product.pk, product.slug])),
        "producer": {"id": producer.pk, "name": producer.name, "kind": producer.kind},
        "province": {"code": producer.province.code, "name": producer.province.name},
        "commune": {"code": producer.commune.code, "name": producer.commune.name},
        "category": {"code": product.category.code, "name": product.category.name},
        "stars": product.stars,
        "certificate_status": product.certificate_status,
        "certified_on": product.certified_on,
        "price_min": product.price_min,
        "price_max": product.price_max,
        "unit": product.unit,
    }


# Keyset orders for the listings that are not ranked by relevance (the last key is unique).
_KEYSET = {
    Sort.STARS: ["-stars", "-cert_key", "-id"],
    Sort.NEWEST: ["-cert_key", "-id"],
    Sort.NAME: ["sort_key", "id"],
}


@router.get("", response={200: ProductPage, **ERRORS}, summary="Search and filter products")
def product_list(request: HttpRequest, params: Query[ProductQuery]):
    """Certified products, filtered and searched exactly as on the catalog page (one selector serves both).

    With `q`, results are ranked by relevance and paged within the first 1,000; without it they are listed
    by stars, newest certificate or name, and paged by keyset as deep as needed."""
    data = params.dict(exclude={"limit", "cursor"}, exclude_none=True)
    form = ProductFilterForm({k: str(v) for k, v in data.items()})
    if not form.is_valid():
        raise form_errors(form)
    result = product_search(filters=form.cleaned_data)
    corrected = " ".join(result.corrected.words) if result.corrected else None
    if result.sort in _KEYSET and len(result.tiers) == 1:
        queryset = result.tiers[0].annotate(cert_key=Coalesce(F("certified_on"), dt.date(1900, 1, 1)))
        order = _KEYSET[result.sort]
        rows, next_link = keyset_page(
            request, queryset.values("pk", *[o.lstrip("-") for o in order]),
            order=order, limit=params.limit, cursor=params.cursor,
            key=lambda row: [row[o.lstrip("-")] for o in order],
        )  # fmt: skip
        ids = [row["pk"] for row in rows]
    else:
        start, stop, next_link = position_page(request, len(result), params.cursor, params.limit)
        ids = result.ids(limit=stop)[start:stop]
    loaded = product_list_public().in_bulk(ids)
    products = [product_out(request, loaded[pk]) for pk in ids if pk in loaded]
    return {"results": products, "next": next_link, "count": result.count, "corrected_query": corrected}


@router.get("/{int:product_id}", response={200: ProductDetailOut, **ERRORS}, summary="One product")
def product_detail(request: HttpRequest, product_id: int, response: HttpResponse):
    """A product with its certificates (newest first) and where it is sold."""
    try:
        product = product_get_public(pk=product_id)
    except Product.DoesNotExist:
        raise Http404 from None
    out = product_out(request, product)
    out.update(
        description=product.description, story=product.story, packaging=product.packaging,
        annual_capacity=product.annual_capacity, capacity_unit=product.capacity_unit,
        certificates=[
            {"number": c.number, "verification_code": c.verification_code, "stars": c.stars,
             "score": float(c.score) if c.score is not None else None, "status": c.status_on(dt.date.today())
             or c.status, "decision_number": c.decision_number, "issued_on": c.issued_on, "expires_on": c.expires_on,
             "revoked_on": c.revoked_on}
            for c in product_certificates(product=product)
        ],
        channels=[
            {"kind": ch.kind, "name": ch.name, "url": ch.url, "since": ch.since}
            for channels in product_channels(product=product).values()
            for ch in channels
        ],
    )  # fmt: skip
    last_modified(response, product.updated_at)
    return out
