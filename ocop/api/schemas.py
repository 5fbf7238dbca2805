"""Schemas shared by every router: the error body and the references endpoints embed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError


class ErrorOut(Schema):
    """Every error: a message for people (Vietnamese or English by Accept-Language) and a code for programs."""

    detail: str
    code: str
    errors: list[dict[str, Any]] | None = None


ERRORS: dict[int, Any] = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
AUTH_ERRORS: dict[int, Any] = {**ERRORS, 401: ErrorOut, 403: ErrorOut}


class UnitOut(Schema):
    """A province, former province or commune."""

    code: str
    name: str


class CategoryOut(Schema):
    code: str
    name: str


class ProducerRef(Schema):
    id: int
    name: str
    kind: str


def choices_literal(values: Iterable[str]) -> Any:
    """The `Literal` of a model's or form's allowed values (`Model.Status.values`), so that the API's enum, its
    validation and its message come from the one list the models and forms use. Annotate through a name that
    reads `str` for the type checker (see the routers)."""
    return Literal[tuple(values)]


def form_errors(form, names: dict[str, str] | None = None) -> HttpError:
    """A Django form's errors as one 422 message naming each field (by its API name, when `names` maps the
    form's field names to the parameters') and its problem."""
    names = names or {}
    problems = "; ".join(
        f"{names.get(field, field)}: {' '.join(str(m) for m in messages)}" for field, messages in form.errors.items()
    )
    error = HttpError(422, _("Invalid parameters: %(problems)s") % {"problems": problems})
    return error


def last_modified(response, moment: dt.datetime | None) -> None:
    """Last-Modified from the object's own change time (ETags come from ConditionalGetMiddleware)."""
    if moment is not None:
        from django.utils.http import http_date

        response["Last-Modified"] = http_date(moment.timestamp())


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)
