"""API: producers with certified products (public), in Vietnamese order."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from ocop.api.pagination import Page, PageQuery, keyset_page
from ocop.api.schemas import ERRORS, UnitOut, choices_literal, last_modified
from ocop.catalog.api import ProductOut, product_out
from ocop.catalog.selectors import product_list_public, product_search_base
from ocop.core.text import vn_fold
from ocop.producers.models import Producer

if TYPE_CHECKING:
    KindValue: TypeAlias = str
else:  # the model's choices
    KindValue = choices_literal(Producer.Kind.values)

router = Router(tags=["producers"])


class ProducerQuery(PageQuery):
    q: str | None = Field(None, max_length=200, description="Part of the name, with or without accents.")
    province: str | None = Field(None, max_length=2, description="Today's province code.")
    kind: KindValue | None = None


class ProducerOut(Schema):
    id: int
    name: str
    kind: str
    url: str
    province: UnitOut
    commune: UnitOut | None = Field(description="Empty while an imported list's address is completed (“chưa rõ”).")
    former_district: UnitOut | None = Field(None, description="The former district, when only that is known.")
    former_province: UnitOut | None


class ProducerDetailOut(ProducerOut):
    representative: str
    phone: str
    email: str
    website: str
    address: str
    description: str
    products: list[ProductOut]


def producers_public():
    """Producers with at least one product in the public catalog."""
    listed = product_search_base().filter(producer=OuterRef("pk"))
    return Producer.objects.filter(Exists(listed)).select_related(
        "province", "commune", "legacy_province", "legacy_district"
    )


def producer_out(request: HttpRequest, producer: Producer) -> dict:
    legacy = producer.legacy_province
    return {
        "id": producer.pk, "name": producer.name, "kind": producer.kind,
        "url": request.build_absolute_uri(reverse("site:producer-detail", args=[producer.pk, producer.slug])),
        "province": producer.province,
        "commune": producer.commune,
        "former_district": producer.legacy_district if producer.legacy_district_id else None,
        "former_province": legacy,
    }  # fmt: skip


@router.get(
    "", response={200: Page[ProducerOut], **ERRORS}, summary="List producers",
    operation_id="ocop_producers_api_producer_list",  # as published before the router moved here
)  # fmt: skip
def producer_list(request: HttpRequest, params: Query[ProducerQuery]):
    """Producers ("chủ thể") with certified products, in Vietnamese alphabetical order."""
    producers = producers_public()
    if params.province:
        producers = producers.filter(province__code=params.province)
    if params.kind:
        producers = producers.filter(kind=params.kind)
    if params.q and vn_fold(params.q).strip():
        producers = producers.filter(name_folded__contains=vn_fold(params.q).strip())
    rows, next_link = keyset_page(
        request, producers, order=["sort_key", "id"], limit=params.limit, cursor=params.cursor,
        key=lambda p: [p.sort_key, p.pk],
    )  # fmt: skip
    return {"results": [producer_out(request, p) for p in rows], "next": next_link}


@router.get(
    "/{int:producer_id}", response={200: ProducerDetailOut, **ERRORS}, summary="One producer",
    operation_id="ocop_producers_api_producer_detail",  # as published before the router moved here
)  # fmt: skip
def producer_detail(request: HttpRequest, producer_id: int, response: HttpResponse):
    """A producer with its contact and its products in the catalog."""
    producer = producers_public().filter(pk=producer_id).first()
    if producer is None:
        raise Http404
    products = product_list_public().filter(producer=producer).order_by("-stars", "sort_key")
    out = producer_out(request, producer)
    out.update(
        representative=producer.representative, phone=producer.phone, email=producer.email,
        website=producer.website, address=producer.address, description=producer.description,
        products=[product_out(request, p) for p in products],
    )  # fmt: skip
    last_modified(response, producer.updated_at)
    return out
