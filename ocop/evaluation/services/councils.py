"""Councils and score sheets: members, each member's own sheet saved all or nothing, finalising, the council's
result, reopening a flagged dossier."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.core.errors import ApplicationError
from ocop.core.notifications import notify
from ocop.core.services import audit_log
from ocop.evaluation import permissions
from ocop.evaluation.models import (
    Council,
    CouncilMember,
    Criterion,
    CriterionOption,
    Dossier,
    DossierResult,
    EvaluationRound,
    ScoreSheet,
    SheetScore,
)
from ocop.evaluation.scoring import council_result
from ocop.evaluation.selectors import criteria_info
from ocop.evaluation.services.dossiers import Status, dossier_lock, dossier_transition, refused


@transaction.atomic
def council_create(*, evaluation_round: EvaluationRound, level: str, name: str, members: list[tuple[Any, str]],
                   by: Any) -> Council:  # fmt: skip
    """A council for a round and level: one chair, scoring members, an advisory group."""
    allowed = (
        permissions.manages_province(by, evaluation_round.province_id)
        if level == Council.Level.PROVINCE
        else permissions.is_central(by)
    )
    if not allowed:
        raise refused(_("You cannot set up this council."))
    chairs = [user for user, role in members if role == CouncilMember.Role.CHAIR]
    if len(chairs) != 1:
        raise ApplicationError(_("A council has exactly one chair."), code="chair")
    council = Council.objects.create(round=evaluation_round, level=level, name=name)
    CouncilMember.objects.bulk_create(CouncilMember(council=council, user=user, role=role) for user, role in members)
    audit_log(code="evaluation.council.created", obj=council, actor=by, changes={"members": len(members)})
    notify([user for user, _role in members], kind="council",
           title=_("You sit on “%(council)s” (%(round)s).") % {"council": name, "round": evaluation_round},
           link=reverse("evaluation:dossier-list"))  # fmt: skip
    return council


def _council_level(dossier: Dossier) -> str:
    return Council.Level.CENTRAL if dossier.status == Status.AT_CENTRAL else Council.Level.PROVINCE


@transaction.atomic
def scoresheet_get_or_create(*, dossier: Dossier, by: Any) -> ScoreSheet:
    """The acting member's own sheet for a dossier in front of their council."""
    if dossier.status not in (Status.AT_PROVINCE, Status.AT_CENTRAL):
        raise ApplicationError(_("This dossier is not in front of a council."), code="state")
    member = (
        CouncilMember.objects.filter(
            council__round=dossier.round, council__level=_council_level(dossier), user=by,
            role__in=[CouncilMember.Role.CHAIR, CouncilMember.Role.MEMBER],
        )
        .select_related("council")
        .first()
    )  # fmt: skip
    if member is None:
        raise refused(_("Only the council's members score its dossiers."))
    sheet, _created = ScoreSheet.objects.get_or_create(dossier=dossier, member=member)
    return sheet


def _own_draft(sheet: ScoreSheet, by: Any) -> ScoreSheet:
    sheet = ScoreSheet.objects.select_for_update().select_related("dossier", "member").get(pk=sheet.pk)
    if sheet.member.user_id != getattr(by, "pk", None):
        raise refused(_("A member scores only their own sheet."))
    if sheet.status == ScoreSheet.Status.FINAL:
        raise ApplicationError(_("This sheet is finalised and locked."), code="final")
    if sheet.dossier.status not in (Status.AT_PROVINCE, Status.AT_CENTRAL):
        raise ApplicationError(_("This dossier is not in front of a council."), code="state")
    return sheet


@transaction.atomic
def scoresheet_save(
    *, sheet: ScoreSheet, choices: dict[int, int], by: Any, comments: dict[int, str] | None = None
) -> list[SheetScore]:
    """A member's choices on their own draft sheet, all or nothing: every (criterion, option) pair is checked
    first, and one refused choice saves none of them."""
    sheet = _own_draft(sheet, by)
    comments = comments or {}
    criteria_set_id = sheet.dossier.criteria_set_id
    options = (
        CriterionOption.objects.select_related("criterion")
        .filter(pk__in=set(choices.values()), criterion__criteria_set_id=criteria_set_id)
        .in_bulk()
    )
    headings = set(
        Criterion.objects.filter(criteria_set_id=criteria_set_id, children__isnull=False).values_list("pk", flat=True)
    )
    checked: list[tuple[Criterion, CriterionOption]] = []
    for criterion_id, option_id in choices.items():
        option = options.get(option_id)
        if option is None or option.criterion_id != criterion_id:
            raise ApplicationError(_("That option is not one of this criterion's."), code="option")
        if criterion_id in headings:
            raise ApplicationError(
                _("Score the sub-criteria of %(code)s, not the heading.") % {"code": option.criterion.code},
                code="heading",
            )
        checked.append((option.criterion, option))
    existing = {score.criterion_id: score for score in sheet.scores.select_for_update()}
    saved, created = [], []
    for criterion, option in checked:
        comment = (comments.get(criterion.pk) or "").strip()[:2000]
        score = existing.get(criterion.pk)
        if score is None:
            created.append(SheetScore(sheet=sheet, criterion=criterion, option=option, points=option.points,
                                      comment=comment))  # fmt: skip
        elif (score.option_id, score.comment) != (option.pk, comment):
            score.option, score.points, score.comment = option, option.points, comment
            saved.append(score)
    SheetScore.objects.bulk_create(created)
    if saved:
        SheetScore.objects.bulk_update(saved, ["option", "points", "comment"])
    return created + saved


@transaction.atomic
def scoresheet_finalise(*, sheet: ScoreSheet, by: Any) -> ScoreSheet:
    """Lock a complete sheet; when every member's sheet is final, the dossier's result is computed."""
    sheet = _own_draft(sheet, by)
    leaves = set(sheet.dossier.scoring_set.criteria.filter(children__isnull=True).values_list("pk", flat=True))
    scored = set(sheet.scores.values_list("criterion_id", flat=True))
    if leaves - scored:
        raise ApplicationError(_("%(n)s criteria are not scored yet.") % {"n": len(leaves - scored)}, code="incomplete")
    sheet.status = ScoreSheet.Status.FINAL
    sheet.finalised_at = timezone.now()
    sheet.save(update_fields=["status", "finalised_at", "updated_at"])
    audit_log(code="evaluation.scoresheet.finalised", obj=sheet.dossier, actor=by,
              changes={"member": sheet.member.user_id})  # fmt: skip
    dossier = dossier_lock(sheet.dossier)
    members = CouncilMember.objects.filter(
        council=sheet.member.council, role__in=[CouncilMember.Role.CHAIR, CouncilMember.Role.MEMBER]
    ).count()
    finals = dossier.sheets.filter(member__council=sheet.member.council, status=ScoreSheet.Status.FINAL).count()
    if finals == members:
        result_compute(dossier=dossier, council=sheet.member.council, by=by)
    return sheet


def result_compute(*, dossier: Dossier, council: Council, by: Any = None) -> DossierResult:
    """Mean of the members' totals, mean per part, star band, mandatory checks, spread (> 10 → discussion)."""
    sheets: dict[str, dict[int, Decimal]] = {}
    for score in SheetScore.objects.filter(
        sheet__dossier=dossier, sheet__member__council=council, sheet__status=ScoreSheet.Status.FINAL
    ).select_related("sheet__member"):
        sheets.setdefault(str(score.sheet.member.user_id), {})[score.criterion_id] = score.points
    result = council_result(criteria_info(dossier), sheets)
    stored, _created = DossierResult.objects.update_or_create(
        dossier=dossier,
        defaults={
            "mean_total": result.mean_total, "member_totals": {k: str(v) for k, v in result.member_totals.items()},
            "part_means": {k: str(v) for k, v in result.part_means.items()}, "stars": result.stars,
            "band_stars": result.band_stars, "failed_conditions": result.failed_conditions, "spread": result.spread,
            "needs_discussion": result.needs_discussion, "disputed_criteria": result.disputed_criteria,
        },
    )  # fmt: skip
    if not result.needs_discussion:
        dossier_transition(dossier, Status.SCORED, by=by, reason=f"{result.mean_total} → {result.stars}★")
    else:
        audit_log(code="evaluation.dossier.flagged", obj=dossier, actor=by,
                  changes={"spread": str(result.spread), "criteria": result.disputed_criteria})  # fmt: skip
    return stored


@transaction.atomic
def scoresheets_reopen(*, dossier: Dossier, by: Any, reason: str) -> int:
    """The chair reopens every sheet of a flagged dossier for re-scoring after the discussion."""
    dossier = dossier_lock(dossier)
    level = _council_level(dossier)
    is_chair = CouncilMember.objects.filter(
        council__round=dossier.round, council__level=level, user=by, role=CouncilMember.Role.CHAIR
    ).exists()
    if not is_chair:
        raise refused(_("Only the council's chair can reopen the sheets."))
    if not reason.strip():
        raise ApplicationError(_("Give the reason for re-scoring."), code="reason")
    result = getattr(dossier, "result", None)
    if result is None or not result.needs_discussion:
        raise ApplicationError(_("Sheets are reopened only for a dossier flagged for discussion."), code="state")
    count = 0
    for sheet in dossier.sheets.select_for_update().filter(member__council__level=level):
        sheet.status = ScoreSheet.Status.DRAFT
        sheet.finalised_at = None
        sheet.round_of_scoring += 1
        sheet.save(update_fields=["status", "finalised_at", "round_of_scoring", "updated_at"])
        count += 1
    audit_log(code="evaluation.scoresheet.reopened", obj=dossier, actor=by, reason=reason,
              changes={"previous_score": str(result.mean_total), "spread": str(result.spread)})  # fmt: skip
    result.delete()
    return count
