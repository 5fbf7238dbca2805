"""API: the public catalog, through the same filter form and search selector as the catalog page."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypeAlias

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from ocop.accounts.auth import token_auth
from ocop.api.pagination import Page, PageQuery, keyset_page, position_page
from ocop.api.schemas import AUTH_ERRORS, ERRORS, CategoryOut, ProducerRef, UnitOut, choices_literal, form_errors
from ocop.catalog.filters import CHANNEL_FIELDS, ProductFilterForm, Sort
from ocop.catalog.models import CertificateStatus, Product
from ocop.catalog.selectors import product_search, products_public_in_order
from ocop.core.programme import LAST_YEAR, PROGRAMME_FIRST_YEAR
from ocop.producers.models import Producer

if TYPE_CHECKING:
    StatusValue: TypeAlias = str
    ProducerKindValue: TypeAlias = str
    ChannelValue: TypeAlias = str
    SortValue: TypeAlias = str
else:  # the allowed values of the catalog form's fields, which the models define
    StatusValue = choices_literal(CertificateStatus.values)
    ProducerKindValue = choices_literal(Producer.Kind.values)
    ChannelValue = choices_literal(CHANNEL_FIELDS)
    SortValue = choices_literal(value for value, _label in Sort.CHOICES)

router = Router(tags=["products"])
me_router = Router(tags=["me (token)"], auth=token_auth)


class ProductQuery(PageQuery):
    """The catalog page's filters (same names, same rules)."""

    q: str | None = Field(None, max_length=200, description="Words, with or without accents.")
    province: str | None = Field(None, description="Today's province code, e.g. 04.")
    former_province: str | None = Field(None, description="Former (pre-2025) province code.")
    commune: str | None = Field(None, description="Commune code.")
    group: str | None = Field(None, description="Product group code (I–VI).")
    category: str | None = Field(None, description="Subgroup or criteria-set code, e.g. I.1.a.")
    stars: int | None = Field(None, ge=3, le=5)
    status: StatusValue | None = None
    year: int | None = Field(
        None, ge=PROGRAMME_FIRST_YEAR, le=LAST_YEAR, description="Year of the current certificate."
    )
    producer_kind: ProducerKindValue | None = None
    channel: ChannelValue | None = None
    sort: SortValue | None = None


class ProductOut(Schema):
    id: int
    name: str
    url: str
    producer: ProducerRef
    province: UnitOut | None
    commune: UnitOut | None
    category: CategoryOut | None = Field(description="Empty while the product is not yet classified.")
    stars: int | None
    certificate_status: str
    certified_on: dt.date | None
    price_min: int | None
    price_max: int | None
    unit: str


class ProductPage(Page[ProductOut]):
    count: int = Field(description="Matches, counted up to 1,001 (more than 1,000 reads as 1001).")
    corrected_query: str | None = Field(None, description="The query used instead, when a word was misspelt.")


def product_out(request: HttpRequest, product: Product) -> dict:
    producer = product.producer
    return {
        "id": product.pk,
        "name": product.name,
        "url": request.build_absolute_uri(reverse("site:product-detail", args=[product.pk, product.slug])),
        "producer": {"id": producer.pk, "name": producer.name, "kind": producer.kind},
        "province": producer.province,
        "commune": producer.commune,
        "category": product.category,
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
    if result.sort in _KEYSET and len(result.tiers) == 1 and isinstance(result.tiers[0], QuerySet):
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
    products = [product_out(request, product) for product in products_public_in_order(ids)]
    return {"results": products, "next": next_link, "count": result.count, "corrected_query": corrected}


@me_router.get(
    "/products", response={200: list[ProductOut], **AUTH_ERRORS}, summary="My producers' products",
    operation_id="ocop_accounts_api_my_products",  # as published before the router moved here
)  # fmt: skip
def my_products(request: HttpRequest):
    """Every product of the producers the token's user acts for, drafts included."""
    products = (
        Product.objects.filter(producer__memberships__user_id=int(request.user.pk or 0))
        .select_related("producer__province", "producer__commune", "category")
        .order_by("sort_key", "id")
    )
    return [product_out(request, p) for p in products]
