"""Django's error pages, answered as the API's JSON error body for paths under /api/."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _json(detail: str, code: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status, json_dumps_params={"ensure_ascii": False})


def page_not_found(request: HttpRequest, exception: Exception):
    if _api(request):  # e.g. /api/v1/products/-1: no route matches, still a JSON answer
        return _json(_("Not found."), "not_found", 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest):
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
