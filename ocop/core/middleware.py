"""Language selection: Vietnamese unless the visitor chose English with the switch."""

from __future__ import annotations

import contextvars
import functools
import ipaddress
import re

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


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


@functools.lru_cache(maxsize=8)
def _trusted_networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address: str, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request) -> str | None:
    """The address a request came from. When the socket's peer is a trusted proxy (`OCOP_TRUSTED_PROXIES`), the
    X-Forwarded-For chain is read from the right, past every trusted proxy, to the first address that is not
    one: what a client writes into the header itself lies further left and is never believed. With no trusted
    proxy, the socket's peer. Used by the audit log, the login lockout (django-axes), flood limits and the API
    throttles."""
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _trusted_networks(tuple(settings.OCOP_TRUSTED_PROXIES))
    if remote is None or not networks or not _is_trusted(remote, networks):
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(chain):
        if not _is_trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # not an address: the proxy's own view is all we know
    return chain[0] if chain else remote


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


_HUGE_NUMBER = re.compile(r"(?<![0-9])[0-9]{19,}(?![0-9])")


class RefuseBadTextMiddleware:
    """A 400 with its reason for text no field can hold: a NUL byte (PostgreSQL refuses it in text) in the path,
    the query string, a form or a JSON body, or bytes that are not UTF-8 in the path or query string. Refused
    before any view or database sees it, in the language of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _HUGE_NUMBER.search(request.path_info):
            from django.http import Http404

            raise Http404  # an id no table can hold (beyond 64 bits): nothing there, and no database to ask
        problem = self._problem(request)
        if problem is None:
            return self.get_response(request)
        from django.http import JsonResponse
        from django.shortcuts import render

        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": problem, "code": "bad_text"}, status=400,
                                json_dumps_params={"ensure_ascii": False})  # fmt: skip
        return render(request, "400.html", {"reason": problem}, status=400)

    @staticmethod
    def _problem(request) -> str | None:
        from urllib.parse import unquote_to_bytes

        raw_path = request.META.get("PATH_INFO", "")
        query = request.META.get("QUERY_STRING", "")
        # PATH_INFO arrives decoded once (WSGI: the bytes as latin-1); the query string still percent-encoded.
        checks = ((_("the address"), raw_path.encode("latin-1", "replace")),
                  (_("the address's parameters"), unquote_to_bytes(query.replace("+", " "))))  # fmt: skip
        for where, data in checks:
            if b"\x00" in data:
                return _("A NUL character in %(where)s: remove it and try again.") % {"where": where}
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                return _("%(where)s is not valid UTF-8 text.") % {"where": where[:1].upper() + where[1:]}
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method in ("POST", "PUT", "PATCH") and content_type.startswith(
            ("application/x-www-form-urlencoded", "application/json")
        ):
            body = request.body
            if b"\x00" in body or b"\\u0000" in body or b"%00" in body:
                return _("A NUL character in the form: remove it and try again.")
        elif (
            request.method == "POST"
            and content_type.startswith("multipart/form-data")
            # The form's text fields (files are files: their content is checked by what reads them).
            and any("\x00" in key or any("\x00" in v for v in values) for key, values in request.POST.lists())
        ):
            return _("A NUL character in the form: remove it and try again.")
        return None


class SiteAddressMiddleware:
    """Links written while a request runs (e-mails, QR codes) use the address the site was reached at, unless
    OCOP_SITE_URL says it; after CommonMiddleware, so the host is already checked against ALLOWED_HOSTS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from ocop.core.mail import site_address_forget, site_address_record

        token = site_address_record(request.build_absolute_uri("/").rstrip("/"))
        try:
            return self.get_response(request)
        finally:
            site_address_forget(token)
