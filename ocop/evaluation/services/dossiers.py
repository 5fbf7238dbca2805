"""Rounds and dossiers: opening a round, registering, self-assessing, evidence, submitting, the commune's pre-check;
the workflow move every service makes (`dossier_transition`), and criteria set revisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocop.catalog.models import Category
from ocop.core.errors import ApplicationError
from ocop.core.notifications import notify
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
    EvaluationRound,
    Evidence,
    SelfAssessment,
)

Status = Dossier.Status


EVIDENCE_TYPES = {b"%PDF": "application/pdf", b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}
EVIDENCE_EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def refused(message: str, code: str = "forbidden") -> ApplicationError:
    return ApplicationError(message, code=code)


def dossier_transition(
    dossier: Dossier, to: str, *, by: Any, reason: str = "", missing: list[str] | None = None
) -> None:
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
    dossier_announce(dossier, to, reason=reason)


# Who hears of each step, and what: (kind, audience, sentence). Audiences: the producer's accounts, the commune's
# officers, the members of the council that scores next, the province's officers.
ANNOUNCEMENTS: dict[str, list[tuple[str, str, Any]]] = {
    "submitted": [("dossier", "commune",
                   gettext_lazy("“%(name)s” was submitted: it waits for the commune's pre-check."))],
    "returned": [("dossier", "producer",
                  gettext_lazy("“%(name)s” was returned for completion: see what is missing."))],
    "at_province": [
        ("dossier", "producer",
         gettext_lazy("“%(name)s” passed the commune's pre-check and is with the province council.")),
        ("council", "council", gettext_lazy("A dossier to score: “%(name)s”.")),
    ],
    "scored": [
        ("dossier", "producer", gettext_lazy("The council has scored “%(name)s”; the decision follows.")),
        ("dossier", "province", gettext_lazy("“%(name)s” is scored: it waits for the recognition decision.")),
    ],
    "at_central": [("council", "council",
                    gettext_lazy("A dossier to score at the central council: “%(name)s”."))],
    "recognised": [("certificate", "producer",
                    gettext_lazy("“%(name)s” is recognised as an OCOP product; its certificate is issued."))],
    "not_recognised": [("dossier", "producer",
                        gettext_lazy("“%(name)s” was not recognised this time (below 3 stars): see how to improve."))],
}  # fmt: skip


def dossier_announce(dossier: Dossier, to: str, *, reason: str = "") -> None:
    """Tell the people concerned by a dossier's new step (in-app and by e-mail, as each one chose)."""
    from ocop.accounts.models import User

    link = reverse("evaluation:dossier-detail", args=[dossier.pk])
    for kind, audience, sentence in ANNOUNCEMENTS.get(to, []):
        people = User.objects.filter(is_active=True)
        if audience == "producer":
            people = people.filter(memberships__producer_id=dossier.producer_id)
        elif audience == "commune":
            people = people.filter(role=User.Role.COMMUNE_OFFICER, commune_id=dossier.commune_id or 0)
        elif audience == "province":
            people = people.filter(role=User.Role.PROVINCE_OFFICER, province_id=dossier.province_id)
        else:
            level = Council.Level.CENTRAL if to == Status.AT_CENTRAL else Council.Level.PROVINCE
            people = people.filter(council_seats__council__round_id=dossier.round_id,
                                   council_seats__council__level=level).exclude(
                council_seats__role=CouncilMember.Role.ADVISOR)  # fmt: skip
        title = str(sentence) % {"name": dossier.product_name}
        if reason and audience == "producer":
            title = f"{title} {reason}"[:300]
        notify(people.distinct(), kind=kind, title=title, link=link)


def dossier_lock(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


@transaction.atomic
def round_open(
    *, province: Any, year: int, number: int, opens_on: dt.date, submission_deadline: dt.date,
    scoring_deadline: dt.date, regime: str, by: Any, training: bool = False,
) -> EvaluationRound:  # fmt: skip
    """A province opens an evaluation round (a training round: for practice, never recognising anything)."""
    if not permissions.manages_province(by, province.pk):
        raise refused(_("Only the province's OCOP officers can open its rounds."))
    if not opens_on <= submission_deadline <= scoring_deadline:
        raise ApplicationError(_("The dates must follow each other: opening, dossiers due, scoring due."),
                               code="dates")  # fmt: skip
    if EvaluationRound.objects.filter(
        province=province, year=year, number=number, historic=False, training=training
    ).exists():
        raise ApplicationError(_("Round %(n)s of %(year)s already exists.") % {"n": number, "year": year},
                               code="duplicate")  # fmt: skip
    evaluation_round = EvaluationRound.objects.create(
        province=province, year=year, number=number, opens_on=opens_on, submission_deadline=submission_deadline,
        scoring_deadline=scoring_deadline, regime=regime, training=training,
    )  # fmt: skip
    audit_log(code="evaluation.round.opened", obj=evaluation_round, actor=by)
    return evaluation_round


@transaction.atomic
def dossier_create(
    *, evaluation_round: EvaluationRound, producer: Any, product_name: str, category: Category, by: Any,
    description: str = "", kind: str = Dossier.Kind.NEW, previous: Dossier | None = None,
) -> Dossier:  # fmt: skip
    """A producer starts a dossier; an upgrade or re-evaluation starts from a copy of the last one."""
    if not permissions.acts_for(by, producer.pk):
        raise refused(_("Only the producer's own accounts can register its products."))
    if producer.province_id != evaluation_round.province_id:
        raise refused(_("This round belongs to another province."))
    if kind != Dossier.Kind.NEW and previous is None:
        raise ApplicationError(_("An upgrade or re-evaluation starts from the product's last dossier."),
                               code="previous")  # fmt: skip
    if previous is not None:
        if previous.producer_id != producer.pk:
            raise refused(_("That dossier belongs to another producer."))
        product_name, description = previous.product_name, previous.description
        category = previous.category or category  # an imported registration may not know its group
    if category is None:
        raise ApplicationError(_("Choose the product group."), code="category", field="category")
    if producer.commune_id is None:
        raise ApplicationError(
            _("The producer's address has no commune yet (an imported list did not give it): the province's "
              "OCOP officers complete it before a dossier goes to the commune."),
            code="commune",
        )  # fmt: skip
    criteria_set = criteria_set_for(category=category, regime=evaluation_round.regime,
                                    training=evaluation_round.training)  # fmt: skip
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
    by_code = {c.code: c for c in dossier.scoring_set.criteria.prefetch_related("options")}
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
        raise refused(_("Only the producer's own accounts can change this dossier."))
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
    dossier = dossier_lock(dossier)
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
    # Stored under the extension of what the file is, not of what the client called it ("x.exe", "x.html").
    evidence.file.save(f"evidence{EVIDENCE_EXTENSIONS[content_type]}", upload, save=False)
    evidence.save()
    audit_log(code="evaluation.evidence.added", obj=dossier, actor=by, changes={"title": evidence.title})
    return evidence


@transaction.atomic
def dossier_submit(*, dossier: Dossier, by: Any, today: dt.date | None = None) -> Dossier:
    """The producer sends the dossier to the commune."""
    dossier = dossier_lock(dossier)
    _editable_by_producer(dossier, by)
    today = today or timezone.localdate()
    if today > dossier.round.submission_deadline:
        due = dossier.round.submission_deadline.strftime("%d/%m/%Y")
        raise ApplicationError(_("Dossiers for this round were due by %(day)s.") % {"day": due}, code="deadline")
    leaves = dossier.scoring_set.criteria.filter(children__isnull=True).count()
    if dossier.self_assessment.count() < leaves:
        raise ApplicationError(_("Complete the self-assessment of every criterion before submitting."),
                               code="self_assessment")  # fmt: skip
    dossier.submitted_at = timezone.now()
    dossier.missing = []
    dossier_transition(dossier, Status.SUBMITTED, by=by)
    return dossier


@transaction.atomic
def dossier_precheck(*, dossier: Dossier, by: Any, forward: bool, missing: list[str] | None = None,
                     reason: str = "") -> Dossier:  # fmt: skip
    """The commune checks its part (origin, local raw material and labour, origin of the idea) and forwards
    the dossier to the province, or returns it with the list of what is missing."""
    dossier = dossier_lock(dossier)
    if not permissions.manages_commune(by, dossier.commune_id):
        raise refused(_("Only the commune's officers can pre-check its dossiers."))
    if dossier.status != Status.SUBMITTED:
        raise ApplicationError(_("Only a submitted dossier can be pre-checked."), code="state")
    missing = [item.strip() for item in (missing or []) if item and item.strip()]
    if forward:
        dossier.missing = []
        dossier_transition(dossier, Status.AT_PROVINCE, by=by, reason=reason)
    else:
        if not missing:
            raise ApplicationError(_("Say what is missing before returning the dossier."), code="missing")
        dossier.missing = missing
        dossier_transition(dossier, Status.RETURNED, by=by, reason=reason, missing=missing)
    return dossier


def criteria_set_revise(*, criteria_set: Any, rows: list[list[Any]], source: str, by: Any) -> tuple[Any, bool]:
    """An authorised officer completes or revises a set from its spreadsheet: a new version is stored (the
    versions dossiers were scored against stay as they were); an unchanged sheet stores nothing."""
    from ocop.evaluation.criteria import criteria_set_store
    from ocop.evaluation.criteria_sheets import as_jsonable, criteria_set_from_rows

    if not permissions.may_revise_criteria(by):
        raise refused(_("Only central and province OCOP officers can revise criteria sets."))
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
