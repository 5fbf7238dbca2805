"""API (token): who the token acts for, and a producer's own products."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from ocop.api.auth import token_auth
from ocop.api.pagination import Page, PageQuery, keyset_page
from ocop.api.schemas import AUTH_ERRORS, UnitOut
from ocop.catalog.api import ProductOut, product_out
from ocop.catalog.models import Product
from ocop.market.selectors import inquiries_for

router = Router(tags=["me (token)"], auth=token_auth)


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    province: UnitOut | None
    commune: UnitOut | None
    producer_ids: list[int]


@router.get("", response={200: MeOut, **AUTH_ERRORS}, summary="Who this token acts for")
def me(request: HttpRequest):
    """The token's user, role and scope."""
    user: Any = request.user  # the token's user (TokenAuth sets it)
    return {
        "username": user.get_username(), "full_name": user.full_name, "role": user.role,
        "province": {"code": user.province.code, "name": user.province.name} if user.province_id else None,
        "commune": {"code": user.commune.code, "name": user.commune.name} if user.commune_id else None,
        "producer_ids": sorted(user.memberships.values_list("producer_id", flat=True)),
    }  # fmt: skip


@router.get("/products", response={200: list[ProductOut], **AUTH_ERRORS}, summary="My producers' products")
def my_products(request: HttpRequest):
    """Every product of the producers the token's user acts for, drafts included."""
    products = (
        Product.objects.filter(producer__memberships__user_id=int(request.user.pk or 0))
        .select_related("producer__province", "producer__commune", "category")
        .order_by("sort_key", "id")
    )
    return [product_out(request, p) for p in products]


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


@router.get("/inquiries", response={200: Page[InquiryOut], **AUTH_ERRORS}, summary="My inquiries")
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
