"""API (token): who the token acts for."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from ocop.accounts.auth import token_auth
from ocop.api.schemas import AUTH_ERRORS, UnitOut

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
        "province": user.province,
        "commune": user.commune,
        "producer_ids": sorted(user.memberships.values_list("producer_id", flat=True)),
    }  # fmt: skip
