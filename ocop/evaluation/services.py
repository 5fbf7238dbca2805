"""Every rule-bearing write of the OCOP cycle: dossiers, pre-check, councils, score sheets, results, decisions.

Each state change checks who acts and the current state, locks what can race, saves, and writes an audit
entry and a dossier event (who, when, why). The procedure is that of Decision 1489/QĐ-TTg (2025): the
commune pre-checks, the province council certifies 3★ and 4★, products scoring 90 or more go to the
central council for 5★.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.catalog.models import Category
from ocop.catalog.services import product_create
from ocop.certification.models import Certificate
from ocop.certification.services import certificate_issue
from ocop.core.errors import ApplicationError
from ocop.core.programme import CERTIFIED_MAX_STARS, CERTIFIED_MIN_STARS
from ocop.core.services import audit_log
from ocop.evaluation import permissions, workflow
from ocop.evaluation.criteria import criteria_set_for
from ocop.evaluation.models import (
    Council,
    CouncilMember,
    Criterion,
    CriterionOption,
    Dossier,
    DossierEvent,
    DossierResult,
    EvaluationRound,
    Evidence,
    RecognitionDecision,
    ScoreSheet,
    SelfAssessment,
    SheetScore,
)
from ocop.evaluation.scoring import CriterionInfo, council_result

Status = Dossier.Status
EVIDENCE_TYPES = {b"%PDF": "application/pdf", b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def _refuse(message: str, code: str = "forbidden") -> ApplicationError:
    return ApplicationError(message, code=code)


def _transition(dossier: Dossier, to: str, *, by: Any, reason: str = "", missing: list[str] | None = None) -> None:
    """Move a dossier along the workflow table (refusing any other move), with its event and audit entry."""
    workflow.transition_check(dossier, to)
    before = dossier.status
    dossier.status = to
    dossier.save(update_fields=["status", "missing", "submitted_at", "updated_at"])
    DossierEvent.objects.create(
        dossier=dossier, from_status=before, to_status=to, by=by if getattr(by, "pk", None) else None,
        reason=reason, missing=missing or [],
    )  # fmt: skip
    audit_log(code=f"evaluation.dossier.{to}", obj=dossier, actor=by, changes={"status": [before, to]}, reason=reason)


def _locked(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


# --- Rounds -------------------------------------------------------------------------------------------------


@transaction.atomic
def round_open(
    *, province: Any, year: int, number: int, opens_on: dt.date, submission_deadline: dt.date,
    scoring_deadline: dt.date, regime: str, by: Any,
) -> EvaluationRound:  # fmt: skip
    """A province opens an evaluation round."""
    if not permissions.manages_province(by, province.pk):
        raise _refuse(_("Only the province's OCOP officers can open its rounds."))
    if not opens_on <= submission_deadline <= scoring_deadline:
        raise ApplicationError(_("The dates must follow each other: opening, dossiers due, scoring due."),
                               code="dates")  # fmt: skip
    if EvaluationRound.objects.filter(province=province, year=year, number=number).exists():
        raise ApplicationError(_("Round %(n)s of %(year)s already exists.") % {"n": number, "year": year},
                               code="duplicate")  # fmt: skip
    evaluation_round = EvaluationRound.objects.create(
        province=province, year=year, number=number, opens_on=opens_on, submission_deadline=submission_deadline,
        scoring_deadline=scoring_deadline, regime=regime,
    )  # fmt: skip
    audit_log(code="evaluation.round.opened", obj=evaluation_round, actor=by)
    return evaluation_round


# --- Dossiers -----------------------------------------------------------------------------------------------


@transaction.atomic
def dossier_create(
    *, evaluation_round: EvaluationRound, producer: Any, product_name: str, category: Category, by: Any,
    description: str = "", kind: str = Dossier.Kind.NEW, previous: Dossier | None = None,
) -> Dossier:  # fmt: skip
    """A producer starts a dossier; an upgrade or re-evaluation starts from a copy of the last one."""
    if not permissions.acts_for(by, producer.pk):
        raise _refuse(_("Only the producer's own accounts can register its products."))
    if producer.province_id != evaluation_round.province_id:
        raise _refuse(_("This round belongs to another province."))
    if kind != Dossier.Kind.NEW and previous is None:
        raise ApplicationError(_("An upgrade or re-evaluation starts from the product's last dossier."),
                               code="previous")  # fmt: skip
    if previous is not None:
        if previous.producer_id != producer.pk:
            raise _refuse(_("That dossier belongs to another producer."))
        product_name, category, description = previous.product_name, previous.category, previous.description
    criteria_set = criteria_set_for(category=category, regime=evaluation_round.regime)
    if criteria_set is None:
        raise ApplicationError(
            _("No complete criteria set exists yet for “%(group)s”; an officer must complete it first.")
            % {"group": category.name},
            code="no_criteria",
        )
    dossier = Dossier.objects.create(
        round=evaluation_round, producer=producer, product=previous.product if previous else None,
        previous=previous, kind=kind, regime=evaluation_round.regime, product_name=product_name.strip(),
        category=category, description=description, criteria_set=criteria_set,
        province_id=producer.province_id, commune_id=producer.commune_id,
    )  # fmt: skip
    if previous is not None:
        _copy_from(previous, dossier)
    DossierEvent.objects.create(dossier=dossier, to_status=Status.DRAFT, by=by)
    audit_log(code="evaluation.dossier.created", obj=dossier, actor=by)
    return dossier


def _copy_from(previous: Dossier, dossier: Dossier) -> None:
    """Evidence and self-assessment carried over, matched by criterion code when the set version changed."""
    by_code = {c.code: c for c in dossier.criteria_set.criteria.prefetch_related("options")}
    for item in previous.evidence.select_related("criterion"):
        Evidence.objects.create(
            dossier=dossier, criterion=by_code.get(item.criterion.code) if item.criterion else None,
            title=item.title, file=item.file.name, content_type=item.content_type, size=item.size,
        )  # fmt: skip
    for answer in previous.self_assessment.select_related("criterion", "option"):
        criterion = by_code.get(answer.criterion.code)
        option = (
            next((o for o in criterion.options.all() if o.label == answer.option.label), None) if criterion else None
        )
        if criterion and option:
            SelfAssessment.objects.create(dossier=dossier, criterion=criterion, option=option)


def _editable_by_producer(dossier: Dossier, by: Any) -> None:
    if not permissions.acts_for(by, dossier.producer_id):
        raise _refuse(_("Only the producer's own accounts can change this dossier."))
    if dossier.status not in (Status.DRAFT, Status.RETURNED):
        raise ApplicationError(_("A submitted dossier cannot be changed."), code="state")


def _option_of(dossier: Dossier, criterion_id: int, option_id: int) -> tuple[Criterion, CriterionOption]:
    option = (
        CriterionOption.objects.select_related("criterion")
        .filter(pk=option_id, criterion_id=criterion_id, criterion__criteria_set_id=dossier.criteria_set_id)
        .first()
    )
    if option is None:
        raise ApplicationError(_("That option is not one of this criterion's."), code="option")
    return option.criterion, option


@transaction.atomic
def dossier_self_assess(*, dossier: Dossier, choices: dict[int, int], by: Any) -> int:
    """The producer's self-assessment: one option per criterion (criterion id → option id)."""
    dossier = _locked(dossier)
    _editable_by_producer(dossier, by)
    for criterion_id, option_id in choices.items():
        criterion, option = _option_of(dossier, criterion_id, option_id)
        SelfAssessment.objects.update_or_create(dossier=dossier, criterion=criterion, defaults={"option": option})
    return dossier.self_assessment.count()


def evidence_add(*, dossier: Dossier, upload: Any, title: str, by: Any, criterion: Criterion | None = None) -> Evidence:
    """Attach a PDF or picture (checked by content, at most 10 MB) as evidence."""
    _editable_by_producer(dossier, by)
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ApplicationError(
            _("“%(name)s” is larger than 10 MB.") % {"name": upload.name}, code="too_big", field="file"
        )
    head = upload.read(8)
    upload.seek(0)
    content_type = next((kind for magic, kind in EVIDENCE_TYPES.items() if head.startswith(magic)), None)
    if content_type is None:
        raise ApplicationError(
            _("“%(name)s” is not a PDF, PNG or JPEG file.") % {"name": upload.name}, code="file_type", field="file"
        )
    if criterion is not None and criterion.criteria_set_id != dossier.criteria_set_id:
        raise ApplicationError(_("That criterion is not in this dossier's criteria set."), code="criterion")
    evidence = Evidence(dossier=dossier, criterion=criterion, title=title.strip() or upload.name,
                        content_type=content_type, size=upload.size)  # fmt: skip
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    audit_log(code="evaluation.evidence.added", obj=dossier, actor=by, changes={"title": evidence.title})
    return evidence


@transaction.atomic
def dossier_submit(*, dossier: Dossier, by: Any, today: dt.date | None = None) -> Dossier:
    """The producer sends the dossier to the commune."""
    dossier = _locked(dossier)
    _editable_by_producer(dossier, by)
    today = today or timezone.localdate()
    if today > dossier.round.submission_deadline:
        due = dossier.round.submission_deadline.strftime("%d/%m/%Y")
        raise ApplicationError(_("Dossiers for this round were due by %(day)s.") % {"day": due}, code="deadline")
    leaves = dossier.criteria_set.criteria.filter(children__isnull=True).count()
    if dossier.self_assessment.count() < leaves:
        raise ApplicationError(_("Complete the self-assessment of every criterion before submitting."),
                               code="self_assessment")  # fmt: skip
    dossier.submitted_at = timezone.now()
    dossier.missing = []
    _transition(dossier, Status.SUBMITTED, by=by)
    return dossier


@transaction.atomic
def dossier_precheck(*, dossier: Dossier, by: Any, forward: bool, missing: list[str] | None = None,
                     reason: str = "") -> Dossier:  # fmt: skip
    """The commune checks its part (origin, local raw material and labour, origin of the idea) and forwards
    the dossier to the province, or returns it with the list of what is missing."""
    dossier = _locked(dossier)
    if not permissions.manages_commune(by, dossier.commune_id):
        raise _refuse(_("Only the commune's officers can pre-check its dossiers."))
    if dossier.status != Status.SUBMITTED:
        raise ApplicationError(_("Only a submitted dossier can be pre-checked."), code="state")
    missing = [item.strip() for item in (missing or []) if item and item.strip()]
    if forward:
        dossier.missing = []
        _transition(dossier, Status.AT_PROVINCE, by=by, reason=reason)
    else:
        if not missing:
            raise ApplicationError(_("Say what is missing before returning the dossier."), code="missing")
        dossier.missing = missing
        _transition(dossier, Status.RETURNED, by=by, reason=reason, missing=missing)
    return dossier


# --- Councils and score sheets ------------------------------------------------------------------------------


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
        raise _refuse(_("You cannot set up this council."))
    chairs = [user for user, role in members if role == CouncilMember.Role.CHAIR]
    if len(chairs) != 1:
        raise ApplicationError(_("A council has exactly one chair."), code="chair")
    council = Council.objects.create(round=evaluation_round, level=level, name=name)
    CouncilMember.objects.bulk_create(CouncilMember(council=council, user=user, role=role) for user, role in members)
    audit_log(code="evaluation.council.created", obj=council, actor=by, changes={"members": len(members)})
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
        raise _refuse(_("Only the council's members score its dossiers."))
    sheet, _created = ScoreSheet.objects.get_or_create(dossier=dossier, member=member)
    return sheet


def _own_draft(sheet: ScoreSheet, by: Any) -> ScoreSheet:
    sheet = ScoreSheet.objects.select_for_update().select_related("dossier", "member").get(pk=sheet.pk)
    if sheet.member.user_id != getattr(by, "pk", None):
        raise _refuse(_("A member scores only their own sheet."))
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


def _criteria_info(dossier: Dossier) -> list[CriterionInfo]:
    criteria = (
        dossier.criteria_set.criteria.filter(children__isnull=True)
        .select_related("section__parent")
        .prefetch_related(Prefetch("options", queryset=CriterionOption.objects.order_by("points")))
    )
    return [
        CriterionInfo(
            id=c.pk,
            code=c.code,
            name=c.name,
            part=(c.section.parent or c.section).code,
            max_points=c.max_points,
            options=tuple(o.points for o in c.options.all()),
            required_points=c.required_points,
            required_from_stars=c.required_from_stars,
        )
        for c in criteria
    ]


@transaction.atomic
def scoresheet_finalise(*, sheet: ScoreSheet, by: Any) -> ScoreSheet:
    """Lock a complete sheet; when every member's sheet is final, the dossier's result is computed."""
    sheet = _own_draft(sheet, by)
    leaves = set(sheet.dossier.criteria_set.criteria.filter(children__isnull=True).values_list("pk", flat=True))
    scored = set(sheet.scores.values_list("criterion_id", flat=True))
    if leaves - scored:
        raise ApplicationError(_("%(n)s criteria are not scored yet.") % {"n": len(leaves - scored)}, code="incomplete")
    sheet.status = ScoreSheet.Status.FINAL
    sheet.finalised_at = timezone.now()
    sheet.save(update_fields=["status", "finalised_at", "updated_at"])
    audit_log(code="evaluation.scoresheet.finalised", obj=sheet.dossier, actor=by,
              changes={"member": sheet.member.user_id})  # fmt: skip
    dossier = _locked(sheet.dossier)
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
    result = council_result(_criteria_info(dossier), sheets)
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
        _transition(dossier, Status.SCORED, by=by, reason=f"{result.mean_total} → {result.stars}★")
    else:
        audit_log(code="evaluation.dossier.flagged", obj=dossier, actor=by,
                  changes={"spread": str(result.spread), "criteria": result.disputed_criteria})  # fmt: skip
    return stored


@transaction.atomic
def scoresheets_reopen(*, dossier: Dossier, by: Any, reason: str) -> int:
    """The chair reopens every sheet of a flagged dossier for re-scoring after the discussion."""
    dossier = _locked(dossier)
    level = _council_level(dossier)
    is_chair = CouncilMember.objects.filter(
        council__round=dossier.round, council__level=level, user=by, role=CouncilMember.Role.CHAIR
    ).exists()
    if not is_chair:
        raise _refuse(_("Only the council's chair can reopen the sheets."))
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


@transaction.atomic
def dossier_propose_central(*, dossier: Dossier, by: Any) -> Dossier:
    """A province sends a dossier scoring 90 or more to the central council for 5★."""
    dossier = _locked(dossier)
    if not permissions.manages_province(by, dossier.province_id):
        raise _refuse(_("Only the province's OCOP officers can propose its products."))
    result = getattr(dossier, "result", None)
    if dossier.status != Status.SCORED or result is None or result.stars < CERTIFIED_MAX_STARS:
        raise ApplicationError(_("Only a scored dossier of 90 points or more goes to the central council."),
                               code="state")  # fmt: skip
    _transition(dossier, Status.AT_CENTRAL, by=by)
    return dossier


# --- Decisions and certificates -----------------------------------------------------------------------------


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
        raise _refuse(_("You cannot record this decision."))
    decision = RecognitionDecision.objects.create(
        number=number.strip(), signed_on=signed_on, signer=signer.strip(), issuer=issuer.strip(), level=level,
        province_id=province_id if level == Council.Level.PROVINCE else None, recorded_by=by,
    )  # fmt: skip
    for dossier in Dossier.objects.select_for_update().filter(pk__in=[d.pk for d in dossiers]):
        if level == Council.Level.PROVINCE and dossier.province_id != province_id:
            raise _refuse(_("A provincial decision covers one province's dossiers."))
        result = getattr(dossier, "result", None)
        if dossier.status != Status.SCORED or result is None:
            raise ApplicationError(_("“%(name)s” has no final score yet.") % {"name": dossier.product_name},
                                   code="state")  # fmt: skip
        stars = result.stars if level == Council.Level.CENTRAL else min(result.stars, dossier.round.max_stars)
        decision.dossiers.add(dossier)
        if stars < CERTIFIED_MIN_STARS:
            _transition(dossier, Status.NOT_RECOGNISED, by=by, reason=number)
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
        _transition(dossier, Status.RECOGNISED, by=by, reason=number)
    audit_log(code="evaluation.decision.recorded", obj=decision, actor=by, changes={"dossiers": len(dossiers)})
    return decision


# --- Criteria sets ------------------------------------------------------------------------------------------


def criteria_set_revise(*, criteria_set: Any, rows: list[list[Any]], source: str, by: Any) -> tuple[Any, bool]:
    """An authorised officer completes or revises a set from its spreadsheet: a new version is stored (the
    versions dossiers were scored against stay as they were); an unchanged sheet stores nothing."""
    from ocop.evaluation.criteria import criteria_set_store
    from ocop.evaluation.criteria_sheets import as_jsonable, criteria_set_from_rows

    if not permissions.may_revise_criteria(by):
        raise _refuse(_("Only central and province OCOP officers can revise criteria sets."))
    if not source.strip():
        raise ApplicationError(_("Name the document the points come from."), code="source", field="source")
    data = criteria_set_from_rows(
        rows, code=criteria_set.code, name=criteria_set.name,
        category=criteria_set.category.code if criteria_set.category else "",
    )  # fmt: skip
    stored, created = criteria_set_store(data=as_jsonable(data), regime=criteria_set.regime, source=source, by=by)
    if created:
        audit_log(code="evaluation.criteriaset.revised", obj=stored, actor=by, reason=source,
                  changes={"version": stored.version, "complete": stored.complete})  # fmt: skip
    return stored, created
