"""Language selection: Vietnamese unless the visitor chose English with the switch."""

from __future__ import annotations

import contextvars

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Activate the language from the switch's cookie, else Vietnamese.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many Vietnamese
    officers run English browsers; the product speaks Vietnamese first. The API (/api/) follows
    Accept-Language, as programs expect.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        api = request.path_info.startswith("/api/")
        if api:  # programs say which language they want; error messages follow it
            chosen = translation.get_language_from_request(request, check_path=False)
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Accept-Language" if api else "Cookie"])
        return response


_client_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_ip", default=None)


def client_ip(request) -> str | None:
    """The address a request came from: behind our reverse proxy, the one it saw (the last X-Forwarded-For
    entry, which the proxy appends); otherwise the socket's peer."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def current_client_ip() -> str | None:
    """The address of the request being served (None outside a request: commands, tasks)."""
    return _client_ip.get()


class ClientAddressMiddleware:
    """Remember the request's address for the audit trail, so every entry says where a change came from."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)
