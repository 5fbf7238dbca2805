"""API (token): the import sessions of an officer's scope and their outcome."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from ocop.accounts.auth import token_auth
from ocop.api.pagination import Page, PageQuery, keyset_page
from ocop.api.schemas import AUTH_ERRORS
from ocop.spreadsheets.models import ImportSession

router = Router(tags=["imports (token)"], auth=token_auth)


class ImportQuery(PageQuery):
    """Paging only: the scope comes from the token."""


class ImportOut(Schema):
    id: int
    file_name: str
    province: str | None
    status: str
    progress: int
    counts: dict
    decision_number: str
    year: int | None
    created_at: dt.datetime


@router.get("", response={200: Page[ImportOut], **AUTH_ERRORS}, summary="Imports in my scope")
def import_list_api(request: HttpRequest, params: Query[ImportQuery]):
    """Imports of published lists: a province officer's province, the central office's all; nobody else's."""
    if not request.user.has_perm("spreadsheets.add_importsession"):
        raise HttpError(403, _("Imports are for province officers and the central office."))
    sessions = ImportSession.objects.restrict(request.user).select_related("province")
    rows, next_link = keyset_page(
        request, sessions, order=["-id"], limit=params.limit, cursor=params.cursor, key=lambda s: [s.pk]
    )
    return {
        "results": [
            {
                "id": s.pk,
                "file_name": s.original_name,
                "province": s.province.code if s.province else None,
                "status": s.status,
                "progress": s.progress,
                "counts": s.counts,
                "decision_number": s.decision_number,
                "year": s.year,
                "created_at": s.created_at,
            }
            for s in rows
        ],
        "next": next_link,
    }
