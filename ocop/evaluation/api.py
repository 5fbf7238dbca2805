"""API (token): the dossiers a user may see — a producer its own, an officer those of their scope."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypeAlias

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from ocop.accounts.auth import token_auth
from ocop.api.pagination import Page, PageQuery, keyset_page
from ocop.api.schemas import AUTH_ERRORS, CategoryOut, UnitOut, choices_literal
from ocop.core.programme import LAST_YEAR, PROGRAMME_FIRST_YEAR
from ocop.evaluation import workflow
from ocop.evaluation.models import Dossier
from ocop.evaluation.selectors import dossier_get, dossier_list

router = Router(tags=["dossiers (token)"], auth=token_auth)

if TYPE_CHECKING:
    Status: TypeAlias = str
else:  # the model's choices
    Status = choices_literal(Dossier.Status.values)


class DossierQuery(PageQuery):
    status: Status | None = None
    year: int | None = Field(None, ge=PROGRAMME_FIRST_YEAR, le=LAST_YEAR, description="Year of the evaluation round.")


class DossierOut(Schema):
    id: int
    product_name: str
    producer: str
    kind: str
    status: str
    round_year: int
    round_number: int
    regime: str
    category: CategoryOut | None = Field(description="Empty on a registration imported without its group.")
    commune: UnitOut | None = Field(description="Empty on a registration imported without its commune.")
    imported: bool = Field(description="A registration of a past round loaded from a province's list.")
    submitted_at: dt.datetime | None
    score: float | None
    stars: int | None


def dossier_out(dossier: Dossier) -> dict:
    result = getattr(dossier, "result", None)
    return {
        "id": dossier.pk, "product_name": dossier.product_name, "producer": dossier.producer.name,
        "kind": dossier.kind, "status": dossier.status, "round_year": dossier.round.year,
        "round_number": dossier.round.number, "regime": dossier.regime,
        "category": dossier.category,
        "commune": dossier.commune,
        "imported": dossier.round.historic,
        "submitted_at": dossier.submitted_at,
        "score": float(result.mean_total) if result else None,
        "stars": result.stars if result else (dossier.certificate.stars if dossier.certificate is not None else None),
    }  # fmt: skip


@router.get("", response={200: Page[DossierOut], **AUTH_ERRORS}, summary="Dossiers in my scope")
def dossier_list_api(request: HttpRequest, params: Query[DossierQuery]):
    """A producer's own dossiers; a commune's, a province's (officers and council members) or all (the
    central office) — the same scope as the dossier pages."""
    dossiers = dossier_list(user=request.user, status=params.status or "")
    if params.year:
        dossiers = dossiers.filter(round__year=params.year)
    rows, next_link = keyset_page(
        request, dossiers, order=["-id"], limit=params.limit, cursor=params.cursor, key=lambda d: [d.pk]
    )
    return {"results": [dossier_out(d) for d in rows], "next": next_link}


class DossierDetailOut(DossierOut):
    actions: list[str] = Field(
        description="What the token's user may do now: " + ", ".join(workflow.ACTION_NAMES) + " (the page's buttons)."
    )


@router.get("/{int:dossier_id}", response={200: DossierDetailOut, **AUTH_ERRORS}, summary="One dossier in my scope")
def dossier_detail_api(request: HttpRequest, dossier_id: int):
    """A dossier the token's user may see (otherwise 404, as on the pages), with what the user may do to it."""
    dossier = dossier_get(user=request.user, pk=dossier_id)
    if dossier is None:
        raise Http404
    return {**dossier_out(dossier), "actions": workflow.available_actions(dossier, request.user)}
