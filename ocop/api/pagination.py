"""Cursor pagination: an opaque `cursor` in, the `next` page's full URL out.

Lists ordered by stable keys page by keyset (`WHERE (keys) > (last row's keys)`), so a page costs the same
however deep it is and rows added meanwhile are neither skipped nor repeated. Search results ranked by
relevance are a capped list (ocop.catalog.selectors.RESULT_CAP), paged by position within it.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError
from pydantic import Field

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class PageQuery(Schema):
    """How many results a page holds, and where it starts (the previous page's `next` carries it)."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = Field(None, max_length=500)


class Page(Schema, Generic[T]):
    """One page of results and the URL of the next one (null on the last page)."""

    results: list[T]
    next: str | None = None


class InvalidCursor(HttpError):
    def __init__(self) -> None:
        super().__init__(400, _("The cursor is not valid: use the `next` link of the previous page as it is."))


def encode_cursor(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor from exc
    if not isinstance(data, dict):
        raise InvalidCursor
    return data


def next_url(request: HttpRequest, cursor: str) -> str:
    query = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(request.path + "?" + query.urlencode())


def _after(order: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after `values` in the order (`-field` descending): (a > x) | (a = x & b > y) | …"""
    condition = Q(pk__in=[])
    equal = Q()
    for field, value in zip(order, values, strict=True):
        name = field.lstrip("-")
        lookup = "lt" if field.startswith("-") else "gt"
        condition |= equal & Q(**{f"{name}__{lookup}": value})
        equal &= Q(**{name: value})
    return condition


def keyset_page(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    order: Sequence[str],
    limit: int,
    cursor: str | None,
    key: Callable[[Any], Sequence[Any]],
) -> tuple[list[Any], str | None]:
    """Rows after the cursor in `order` (whose last field must be unique, e.g. `id`), and the next URL.

    Ordering fields must not be null (annotate a Coalesce for nullable ones)."""
    data = decode_cursor(cursor)
    queryset = queryset.order_by(*order)
    if data is not None:
        values = data.get("k")
        if not isinstance(values, list) or len(values) != len(order):
            raise InvalidCursor
        queryset = queryset.filter(_after(order, values))
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if not more or not rows:
        return rows, None
    last = [v.isoformat() if isinstance(v, dt.date) else v for v in key(rows[-1])]
    return rows, next_url(request, encode_cursor({"k": last}))


def position_page(request: HttpRequest, total: int, cursor: str | None, limit: int) -> tuple[int, int, str | None]:
    """(start, stop, next URL) for a capped ranked list paged by position."""
    data = decode_cursor(cursor) or {"o": 0}
    start = data.get("o")
    if not isinstance(start, int) or start < 0:
        raise InvalidCursor
    stop = start + limit
    return start, stop, next_url(request, encode_cursor({"o": stop})) if stop < total else None
