"""Proposals to the central council and recognition decisions, which issue the certificates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ocop.catalog.services import product_create
from ocop.certification.models import Certificate
from ocop.certification.services import certificate_issue
from ocop.core.errors import ApplicationError
from ocop.core.programme import CERTIFIED_MAX_STARS, CERTIFIED_MIN_STARS
from ocop.core.services import audit_log
from ocop.evaluation import permissions
from ocop.evaluation.models import (
    Council,
    Dossier,
    RecognitionDecision,
)
from ocop.evaluation.services.dossiers import Status, dossier_lock, dossier_transition, refused


@transaction.atomic
def dossier_propose_central(*, dossier: Dossier, by: Any) -> Dossier:
    """A province sends a dossier scoring 90 or more to the central council for 5★."""
    dossier = dossier_lock(dossier)
    if not permissions.manages_province(by, dossier.province_id):
        raise refused(_("Only the province's OCOP officers can propose its products."))
    result = getattr(dossier, "result", None)
    if dossier.status != Status.SCORED or result is None or result.stars < CERTIFIED_MAX_STARS:
        raise ApplicationError(_("Only a scored dossier of 90 points or more goes to the central council."),
                               code="state")  # fmt: skip
    dossier_transition(dossier, Status.AT_CENTRAL, by=by)
    return dossier


@transaction.atomic
def decision_record(
    *, number: str, signed_on: dt.date, signer: str, issuer: str, level: str, dossiers: list[Dossier], by: Any,
) -> RecognitionDecision:  # fmt: skip
    """Record a recognition decision for a batch of scored dossiers; each recognised product gets its certificate.

    The province certifies up to 4★ (a dossier of 90+ is certified 4★ by the province unless proposed to the
    central level); the central level certifies 5★. Below 3★ a dossier is not recognised.
    """
    if not number.strip() or not signer.strip():
        raise ApplicationError(_("Give the decision's number and signer."), code="decision")
    province_id = dossiers[0].province_id if dossiers else None
    allowed = permissions.manages_province(by, province_id) if level == Council.Level.PROVINCE else (
        permissions.is_central(by)
    )  # fmt: skip
    if not dossiers or not allowed:
        raise refused(_("You cannot record this decision."))
    decision = RecognitionDecision.objects.create(
        number=number.strip(), signed_on=signed_on, signer=signer.strip(), issuer=issuer.strip(), level=level,
        province_id=province_id if level == Council.Level.PROVINCE else None, recorded_by=by,
    )  # fmt: skip
    for dossier in (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("round", "criteria_set")
        .filter(pk__in=[d.pk for d in dossiers])
    ):
        if dossier.round.training or (dossier.criteria_set is not None and dossier.criteria_set.training):
            raise ApplicationError(
                _("“%(name)s” was scored in a training round: training dossiers are never recognised and get no "
                  "certificate.") % {"name": dossier.product_name},
                code="training",
            )  # fmt: skip
        if level == Council.Level.PROVINCE and dossier.province_id != province_id:
            raise refused(_("A provincial decision covers one province's dossiers."))
        result = getattr(dossier, "result", None)
        if dossier.status != Status.SCORED or result is None:
            raise ApplicationError(_("“%(name)s” has no final score yet.") % {"name": dossier.product_name},
                                   code="state")  # fmt: skip
        stars = result.stars if level == Council.Level.CENTRAL else min(result.stars, dossier.round.max_stars)
        decision.dossiers.add(dossier)
        if stars < CERTIFIED_MIN_STARS:
            dossier_transition(dossier, Status.NOT_RECOGNISED, by=by, reason=number)
            continue
        product = dossier.product or product_create(
            by=by, producer=dossier.producer, name=dossier.product_name, category=dossier.category,
            description=dossier.description,
        )  # fmt: skip
        certificate = certificate_issue(
            product=product, stars=stars, score=result.mean_total, decision_number=decision.number,
            issued_on=signed_on, issuer=issuer, round_label=f"Đợt {dossier.round.number}/{dossier.round.year}",
            level=Certificate.Level.CENTRAL if level == Council.Level.CENTRAL else Certificate.Level.PROVINCE, by=by,
        )  # fmt: skip
        dossier.product = product
        dossier.certificate = certificate
        dossier.save(update_fields=["product", "certificate", "updated_at"])
        dossier_transition(dossier, Status.RECOGNISED, by=by, reason=number)
    audit_log(code="evaluation.decision.recorded", obj=decision, actor=by, changes={"dossiers": len(dossiers)})
    return decision
