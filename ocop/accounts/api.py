"""API (token): who the token acts for, and a producer's own products."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from ocop.api.auth import token_auth
from ocop.api.schemas import AUTH_ERRORS, UnitOut
from ocop.catalog.api import ProductOut, product_out
from ocop.catalog.models import Product

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
