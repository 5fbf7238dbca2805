"""API authentication: personal tokens sent as `Authorization: Bearer ocop_…`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from ocop.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """A personal API token (profile page); the request then acts with the token's user and role."""

    openapi_description = "Personal API token from the profile page: `Authorization: Bearer ocop_…`."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


token_auth = TokenAuth()


def lockout_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username django-axes records and locks by: as typed, cut to the length a username can have (a
    300-character "username" is a failed login like any other, not a failed database write)."""
    source = credentials if credentials is not None else request.POST
    username = (source or {}).get("username")
    if not isinstance(username, str):
        return None
    return username[:150]
