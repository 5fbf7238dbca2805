"""API: display-and-sale points and fairs; a token's inquiries."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from ocop.accounts.auth import token_auth
from ocop.api.pagination import Page, PageQuery, keyset_page
from ocop.api.schemas import AUTH_ERRORS, ERRORS, UnitOut
from ocop.market.models import Fair
from ocop.market.selectors import inquiries_for, sale_points_open

router = Router(tags=["trade"])
me_router = Router(tags=["me (token)"], auth=token_auth)


class PlaceQuery(PageQuery):
    province: str | None = Field(None, max_length=2, description="Today's province code.")


class FairQuery(PlaceQuery):
    since: dt.date | None = Field(None, description="Fairs ending on or after this date (default: all).")


class SalePointOut(Schema):
    id: int
    name: str
    operator: str
    address: str
    commune: UnitOut
    province: UnitOut
    opening_hours: str
    phone: str
    email: str
    lat: float | None
    lon: float | None
    product_ids: list[int]


class FairOut(Schema):
    id: int
    name: str
    organiser: str
    place: str
    province: UnitOut
    starts_on: dt.date
    ends_on: dt.date
    description: str


@router.get("sale-points", response={200: Page[SalePointOut], **ERRORS}, summary="Display-and-sale points")
def sale_point_list(request: HttpRequest, params: Query[PlaceQuery]):
    """OCOP display-and-sale points open today, with the products on sale there."""
    today = timezone.localdate()
    points = sale_points_open(on=today).select_related("commune", "province").prefetch_related("products")
    if params.province:
        points = points.filter(province__code=params.province)
    rows, next_link = keyset_page(
        request, points, order=["id"], limit=params.limit, cursor=params.cursor, key=lambda p: [p.pk]
    )
    return {
        "results": [
            {
                "id": p.pk,
                "name": p.name,
                "operator": p.operator,
                "address": p.address,
                "commune": p.commune,
                "province": p.province,
                "opening_hours": p.opening_hours,
                "phone": p.phone,
                "email": p.email,
                "lat": p.lat,
                "lon": p.lon,
                "product_ids": sorted(product.pk for product in p.products.all()),
            }
            for p in rows
        ],
        "next": next_link,
    }


@router.get("events", response={200: Page[FairOut], **ERRORS}, summary="Fairs and events")
def fair_list(request: HttpRequest, params: Query[FairQuery]):
    """Fairs, latest first."""
    fairs = Fair.objects.select_related("province")
    if params.province:
        fairs = fairs.filter(province__code=params.province)
    if params.since:
        fairs = fairs.filter(ends_on__gte=params.since)
    rows, next_link = keyset_page(
        request, fairs, order=["-starts_on", "-id"], limit=params.limit, cursor=params.cursor,
        key=lambda f: [f.starts_on, f.pk],
    )  # fmt: skip
    return {
        "results": [
            {
                "id": f.pk,
                "name": f.name,
                "organiser": f.organiser,
                "place": f.place,
                "province": f.province,
                "starts_on": f.starts_on,
                "ends_on": f.ends_on,
                "description": f.description,
            }
            for f in rows
        ],
        "next": next_link,
    }


class InquiryOut(Schema):
    id: int
    product_id: int
    product: str
    producer: str
    name: str
    organisation: str
    quantity: float
    unit: str
    status: str
    messages: int
    created_at: dt.datetime
    updated_at: dt.datetime


@me_router.get(
    "/inquiries", response={200: Page[InquiryOut], **AUTH_ERRORS}, summary="My inquiries",
    operation_id="ocop_accounts_api_my_inquiries",  # as published before the router moved here
)  # fmt: skip
def my_inquiries(request: HttpRequest, params: Query[PageQuery]):
    """Inquiries the token's user may read: sent (a buyer), received (a producer's members), or those of the
    province (its officers) — the same scope as the inbox page."""
    inquiries = inquiries_for(user=request.user)
    rows, next_link = keyset_page(
        request, inquiries, order=["-id"], limit=params.limit, cursor=params.cursor, key=lambda i: [i.pk]
    )
    return {
        "results": [
            {
                "id": i.pk,
                "product_id": i.product_id,
                "product": i.product.name,
                "producer": i.producer.name,
                "name": i.name,
                "organisation": i.organisation,
                "quantity": float(i.quantity),
                "unit": i.unit,
                "status": i.status,
                "messages": i.replies,
                "created_at": i.created_at,
                "updated_at": i.updated_at,
            }
            for i in rows
        ],
        "next": next_link,
    }
