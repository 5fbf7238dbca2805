"""Writes for the dashboards: plan targets."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ocop.core.errors import ApplicationError
from ocop.core.services import audit_log
from ocop.dashboards.models import PlanTarget
from ocop.dashboards.permissions import may_set_target


@transaction.atomic
def plan_target_create(*, by: Any, **fields: Any) -> PlanTarget:
    """Record a province's (or the nation's) target for a period; one per scope, period and level."""
    target = PlanTarget(created_by=by if getattr(by, "is_authenticated", False) else None, **fields)
    if not may_set_target(by, target.province_id):
        raise ApplicationError(_("You may set targets only for your own province."), code="forbidden")
    target.full_clean()
    duplicate = PlanTarget.objects.filter(
        Q(province__isnull=True) if target.province_id is None else Q(province_id=target.province_id),
        Q(stars__isnull=True) if target.stars is None else Q(stars=target.stars),
        start_year=target.start_year,
        end_year=target.end_year,
    )
    if duplicate.exists():
        raise ApplicationError(
            _("This scope already has a target for that period and level: change or delete it instead."),
            code="duplicate",
        )
    target.save()
    audit_log(code="dashboards.plantarget.created", obj=target, actor=by, changes={"target": [None, target.target]})
    return target


@transaction.atomic
def plan_target_delete(*, target: PlanTarget, by: Any) -> None:
    """Remove a target entered by mistake (the audit trail keeps what it said)."""
    if not may_set_target(by, target.province_id):
        raise ApplicationError(_("You may change targets only for your own province."), code="forbidden")
    audit_log(
        code="dashboards.plantarget.deleted",
        obj=target,
        actor=by,
        changes={"target": [target.target, None], "period": f"{target.start_year}-{target.end_year}"},
    )
    target.delete()
