"""Generated over every URL pattern: hostile path parameters and query parameters (a NUL byte, 10,000
characters, bytes that are not UTF-8, a number no column holds, negative ids) never get a 5xx answer.

Like the access matrix, a new URL is covered the day it is added: the routes are read from the resolver."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.tests.helpers import certified_product

pytestmark = pytest.mark.django_db

HOSTILE = ["%00", "x" * 10_000, "%FF%FE", "9" * 25, "-1", "0", "%C0%AF", "1e308", "%F0%9F%92%A9"]
# Query parameters the pages and the API read (filters, paging, scopes, periods).
PARAMS = ["q", "page", "sao", "tinh", "nhom", "xa", "sort", "status", "level", "format", "facets", "thieu", "ngay",
          "nam", "cursor", "limit", "scope", "code", "on", "year", "former", "kind", "product", "loai", "next",
          "stars", "province", "category", "commune", "producer_kind", "channel"]  # fmt: skip
_CONVERTER = re.compile(r"<(?:[a-z_]+:)?[a-z_]+>")


def _routes(patterns=None, prefix: str = "") -> list[str]:
    """Every route as written ("thong-ke/tinh/<slug:key>/"), the admin's left out (Django's own)."""
    routes = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(pattern.pattern)
        if route.startswith("^") or "(?P" in route:
            continue  # regular expressions: the development media server
        if isinstance(pattern, URLResolver):
            if getattr(pattern, "namespace", None) == "admin":
                continue
            routes += _routes(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            routes.append(prefix + route)
    return sorted(set(routes))


def _fill(route: str, value: str) -> str:
    return "/" + _CONVERTER.sub(value, route)


@pytest.fixture
def central(client):
    certified_product("Miến dong Nguyên Bình", stars=4)
    client.force_login(UserFactory(username="trung-uong-hostile", role=User.Role.CENTRAL_OFFICER))
    return client


def test_routes_are_found():
    routes = _routes()
    assert len(routes) > 100 and "thong-ke/xa/<str:key>/" in routes


def test_hostile_path_and_query_parameters_never_get_a_server_error(central):
    failures = []
    for route in _routes():
        urls = [_fill(route, value) for value in HOSTILE] if _CONVERTER.search(route) else [_fill(route, "")]
        benign = _fill(route, "1")
        urls += [f"{benign}?{'&'.join(f'{name}={value}' for name in PARAMS)}" for value in HOSTILE]
        for url in urls:
            response = central.get(url)
            if response.status_code >= 500:
                failures.append(f"{response.status_code} GET {url[:160]}")
    assert not failures, "\n".join(failures[:40])


@pytest.mark.parametrize(
    "url",
    ["/api/v1/producers?q=%00", "/api/v1/provinces/%00/communes", "/giao-thuong/diem-ban/?tinh=%00",
     "/thong-ke/xa/%00/", "/thong-ke/tinh-cu/%00/"],
)  # fmt: skip
def test_the_reported_nul_bytes_are_a_400_with_the_reason(client, url):
    response = client.get(url)
    assert response.status_code == 400
    body = response.content.decode()
    assert "NUL" in body


def test_a_nul_byte_in_a_form_or_json_body_is_refused_before_the_database(client):
    response = client.post("/tai-khoan/dang-nhap/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400
    response = client.post("/api/v1/products", '{"q": "a\\u0000"}', content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "bad_text"


def test_an_overlong_username_is_a_form_error_not_a_server_error(client):
    response = client.post("/tai-khoan/dang-nhap/", {"username": "u" * 300, "password": "x"})
    assert response.status_code in (200, 403)
