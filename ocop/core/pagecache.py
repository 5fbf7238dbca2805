"""Whole public pages for anonymous visitors from the shared cache, under keys versioned by the data they show.

A view opts in with `@public_page("catalog:version")`, naming the cache key of the version number its data
bumps on every change (`ocop.catalog.versioning`). A visitor without a session or pending messages then gets
the page as rendered for the first such visitor of that version, language, host, address and kind of request
(htmx fragment or whole page): one or two cache reads instead of the queries and the templates. A change bumps
the version, so the next request renders afresh — a page is never stale. The response keeps its ETag (a repeat
with If-None-Match is a 304) and says `Cache-Control: public, max-age=…` so a proxy may serve repeats for a
moment; signed-in pages are never stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

PAGE_SECONDS = 60 * 60  # kept at most an hour (a newer version makes it unreachable at once)
PROXY_SECONDS = 30  # what a proxy or browser may reuse without asking


def public_page(version_key: str) -> Callable:
    """Mark a view whose anonymous responses depend only on the address and the data behind `version_key`."""

    def decorate(view: Callable) -> Callable:
        view.public_page_version = version_key  # type: ignore[attr-defined]
        return view

    return decorate


def mark_public(response: HttpResponse) -> HttpResponse:
    """Let a proxy or browser reuse an anonymous visitor's page for a moment (`PROXY_SECONDS`)."""
    patch_cache_control(response, public=True, max_age=PROXY_SECONDS)
    return response


def _version_key(request: HttpRequest) -> str | None:
    if request.method not in ("GET", "HEAD"):
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return None  # perhaps signed in, or a message to show: this visitor's own page
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return getattr(match.func, "public_page_version", None)


class PublicPageCacheMiddleware:
    """Serves and stores the pages `public_page` marks (after the language is chosen and bad text refused)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        version_key = _version_key(request)
        if version_key is None:
            return self.get_response(request)
        version = cache.get(version_key) or 1
        address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        htmx = "h" if request.headers.get("HX-Request") else "p"
        key = f"page:{version_key}:{version}:{get_language()}:{request.get_host()}:{htmx}:{address}"
        stored = cache.get(key)
        if stored is not None:
            return self._replay(request, stored)
        response = self.get_response(request)
        if request.method == "GET" and self._storable(response):
            mark_public(response)
            patch_vary_headers(response, ["HX-Request"])
            cache.set(key, (response.status_code, list(response.items()), response.content), PAGE_SECONDS)
        return response

    @staticmethod
    def _storable(response: HttpResponse) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies  # a response that sets a cookie is someone's own
            and "private" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def _replay(request: HttpRequest, stored: tuple[int, list[tuple[str, str]], bytes]) -> HttpResponse:
        status, headers, content = stored
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        conditional: Any = get_conditional_response(request, etag=response.get("ETag"), response=response)
        return conditional
