"""The REST API v1, assembled at the top: one NinjaAPI, its error bodies, and the routers each app keeps in
its own api.py.

Every error has the body `{"detail": "<message for people>", "code": "<for programs>"}` (plus `errors` for
invalid parameters), in Vietnamese or English by Accept-Language. Public endpoints are throttled per IP,
authenticated ones per token; a throttled call gets 429 with Retry-After.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.renderers import JSONRenderer
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from ocop.core.errors import ApplicationError
from ocop.core.middleware import client_ip


class ClientRateThrottle(AnonRateThrottle):
    """Public calls counted per client address as the trusted proxies report it (ninja's own reading takes
    the whole X-Forwarded-For header, which any client can write)."""

    def get_ident(self, request: HttpRequest) -> str | None:
        return client_ip(request)


PUBLIC_RATE = settings.OCOP_API_RATES[0]
TOKEN_RATE = settings.OCOP_API_RATES[1]


class OcopAPI(NinjaAPI):
    """NinjaAPI whose views are public as far as the site's LoginRequiredMiddleware goes: the API checks
    its own authentication (tokens) per endpoint."""

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            callback = getattr(pattern, "callback", None)
            if callback is not None:
                login_not_required(callback)
        return urls


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Vietnamese as text, not escapes


api = OcopAPI(
    title="OCOP Connect API",
    version="1.0.0",
    description=(
        "Open data of the OCOP programme (One Commune One Product): certified products, producers, "
        "certificates, statistics, sale points and fairs. Public endpoints need no key; a personal token "
        "(profile page) gives a producer its own products and an officer the dossiers and imports of their "
        'scope. Errors: `{"detail": …, "code": …}` in the language of Accept-Language (vi, en).'
    ),
    urls_namespace="api",
    renderer=Renderer(),
    throttle=[ClientRateThrottle(PUBLIC_RATE), AuthRateThrottle(TOKEN_RATE)],
)


def _error(request: HttpRequest, status: int, detail: str, code: str, **extra) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


def _message(error: dict) -> str:
    """A pydantic error in the request's language (pydantic itself speaks English only)."""
    ctx = error.get("ctx") or {}
    messages = {
        "literal_error": lambda: (
            _("must be one of %(values)s") % {"values": str(ctx.get("expected", "")).replace(" or ", f" {_('or')} ")}
        ),
        "int_parsing": lambda: _("must be a whole number"),
        "int_from_float": lambda: _("must be a whole number"),
        "bool_parsing": lambda: _("must be true or false"),
        "date_parsing": lambda: _("must be a date written YYYY-MM-DD"),
        "date_from_datetime_parsing": lambda: _("must be a date written YYYY-MM-DD"),
        "greater_than_equal": lambda: _("must be at least %(limit)s") % {"limit": ctx.get("ge")},
        "less_than_equal": lambda: _("must be at most %(limit)s") % {"limit": ctx.get("le")},
        "string_too_long": lambda: _("must be at most %(n)s characters") % {"n": ctx.get("max_length")},
        "missing": lambda: _("is required"),
    }
    make = messages.get(error.get("type", ""))
    return make() if make else str(error.get("msg", ""))


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems, errors = [], []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        where = ".".join(loc[1:]) or ".".join(loc)
        message = _message(error)
        problems.append(f"'{where}' {message}")
        errors.append({"loc": loc, "msg": message})
    detail = _("Invalid parameters: %(problems)s") % {"problems": "; ".join(problems)}
    return _error(request, 422, detail, "invalid", errors=errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(
        request, 401, _("A valid API token is required: Authorization: Bearer ocop_…"), "not_authenticated"
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return _error(request, 429, _("Too many requests: wait a moment and try again."), "throttled")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 422: "invalid"}
    return _error(request, exc.status_code, str(exc.message), codes.get(exc.status_code, "error"))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Not found."), "not_found")


@api.exception_handler(ApplicationError)
def _refused(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return _error(request, 403 if exc.code == "forbidden" else 400, exc.message, exc.code)


def _register_routers() -> None:
    from ocop.accounts.api import router as accounts
    from ocop.catalog.api import me_router as my_products
    from ocop.catalog.api import router as catalog
    from ocop.catalog.producers_api import router as producers
    from ocop.certification.api import router as certification
    from ocop.dashboards.api import router as dashboards
    from ocop.evaluation.api import router as evaluation
    from ocop.geo.api import router as geo
    from ocop.market.api import me_router as my_inquiries
    from ocop.market.api import router as market
    from ocop.site.api import router as product_records
    from ocop.spreadsheets.api import router as spreadsheets
    from ocop.stamps.api import me_router as my_batches
    from ocop.stamps.api import router as stamps

    api.add_router("/products", catalog)
    api.add_router("/products", product_records)
    api.add_router("/producers", producers)
    api.add_router("/provinces", geo)
    api.add_router("/certificates", certification)
    api.add_router("/statistics", dashboards)
    api.add_router("/", market)
    api.add_router("/me", accounts)
    api.add_router("/me", my_products)
    api.add_router("/me", my_inquiries)
    api.add_router("/dossiers", evaluation)
    api.add_router("/imports", spreadsheets)
    api.add_router("/stamps", stamps)
    api.add_router("/me", my_batches)


_register_routers()
