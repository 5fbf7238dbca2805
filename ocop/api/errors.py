"""Django's error pages, answered as the API's JSON error body for paths under /api/."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

# Seconds a client is asked to wait before trying again when the database cannot be reached.
RETRY_AFTER = "30"


def _api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _json(detail: str, code: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status, json_dumps_params={"ensure_ascii": False})


def page_not_found(request: HttpRequest, exception: Exception):
    if _api(request):  # e.g. /api/v1/products/-1: no route matches, still a JSON answer
        return _json(_("Not found."), "not_found", 404)
    return defaults.page_not_found(request, exception)


def _database_unavailable() -> bool:
    """Whether the error being handled is the database going away (connection dropped, server restarting,
    SQLite busy past its timeout) rather than a fault of ours. Django calls this handler inside its
    `except`, so the exception is at hand."""
    return isinstance(sys.exc_info()[1], OperationalError | InterfaceError)


def server_error(request: HttpRequest):
    if _database_unavailable():
        # Drop the broken connections now, so the next request opens fresh ones (the request_finished
        # handler would too, but only for persistent connections past their checks).
        for conn in connections.all(initialized_only=True):
            conn.close_if_unusable_or_obsolete()
        if _api(request):
            response: HttpResponse = _json(
                _("The database cannot be reached just now; nothing was changed. Try again in a minute."),
                "unavailable", 503,
            )  # fmt: skip
        else:
            # A page of its own, rendered without the request: the usual context (the signed-in user, the
            # session) would need the database that just failed.
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = RETRY_AFTER
        return response
    if _api(request):
        return _json(_("The server could not answer; the error is logged."), "server_error", 500)
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception):
    if _api(request):
        return _json(_("The request is malformed."), "bad_request", 400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception):
    if _api(request):
        return _json(_("You may not do this."), "forbidden", 403)
    return defaults.permission_denied(request, exception)
