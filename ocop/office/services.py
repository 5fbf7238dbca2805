"""Writes of the programme office: plans with tasks and targets, support given and asked for, inspections."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.certification.models import Certificate
from ocop.certification.services import certificate_revoke
from ocop.core.errors import ApplicationError
from ocop.core.notifications import notify
from ocop.core.pictures import picture_jpeg
from ocop.core.services import audit_log, model_changes
from ocop.core.text import plain_text, vn_fold
from ocop.office.models import Inspection, InspectionPhoto, Plan, PlanTask, SupportActivity, SupportRequest, Target
from ocop.office.permissions import may_manage

PLAN_FIELDS = ("kind", "name", "number", "signed_on", "province", "legacy_province", "start_year", "end_year",
               "legal_basis")  # fmt: skip
MAX_PHOTOS = 12


def _clean(value: Any) -> Any:
    return plain_text(value) if isinstance(value, str) else value


def _owner(fields: dict[str, Any]) -> int | None:
    if fields.get("legacy_province") is not None:
        return fields["legacy_province"].successor_id
    return fields["province"].pk if fields.get("province") is not None else None


@transaction.atomic
def plan_save(*, by: Any, plan: Plan | None = None, tasks: list[str] | None = None, **fields: Any) -> Plan:
    """Create or change a plan; its tasks are given as lines in order (each line one task, its area guessed from
    its words when it names one of the programme's six core tasks)."""
    if fields.get("province") is not None and fields.get("legacy_province") is not None:
        raise ApplicationError(_("A plan belongs to a province or to a former province, not both."),
                               field="legacy_province", code="place")  # fmt: skip
    owner = _owner(fields)
    if not may_manage(by, owner) or (plan is not None and not may_manage(by, plan.owner_province_id)):
        raise ApplicationError(_("Only the central office and the plan's own province office record its plans."),
                               code="forbidden")  # fmt: skip
    created = plan is None
    plan = Plan(created_by=by) if plan is None else Plan.objects.select_for_update().get(pk=plan.pk)
    before = {} if created else {key: getattr(plan, key) for key in PLAN_FIELDS}
    for key in PLAN_FIELDS:
        setattr(plan, key, _clean(fields.get(key, getattr(plan, key, None))))
    plan.owner_province_id = owner
    plan.full_clean(exclude=["created_by"])
    plan.save()
    if tasks is not None:
        plan.tasks.all().delete()
        PlanTask.objects.bulk_create(
            PlanTask(plan=plan, position=i, title=title, area=task_area(title))
            for i, title in enumerate(t for t in (_clean(line).strip() for line in tasks) if t)
        )
    audit_log(code="office.plan.created" if created else "office.plan.updated", obj=plan, actor=by,
              changes={} if created else model_changes(before, {k: getattr(plan, k) for k in PLAN_FIELDS}))  # fmt: skip
    return plan


TASK_WORDS = (
    (PlanTask.Area.INSPECTION, ("kiem tra", "giam sat", "inspect", "supervis")),
    (PlanTask.Area.DIGITAL, ("cong nghe thong tin", "chuyen doi so", "digital", "information technology")),
    (PlanTask.Area.PROMOTION, ("tap huan", "xuc tien", "hoi cho", "ket noi cung cau", "training", "promot", "fair")),
    (PlanTask.Area.CYCLE, ("chu trinh", "danh gia, phan hang", "cycle")),
    (PlanTask.Area.VALUE_CHAINS, ("chuoi gia tri", "tieu chuan hoa", "value chain", "standardis")),
    (PlanTask.Area.RAW_MATERIALS, ("vung nguyen lieu", "raw-material", "raw material")),
)


def task_area(title: str) -> str:
    """The core task a plan's line is about, from its words (accents and case ignored)."""
    folded = vn_fold(title)
    for area, words in TASK_WORDS:
        if any(word in folded for word in words):
            return area
    return PlanTask.Area.OTHER


@transaction.atomic
def target_save(*, by: Any, plan: Plan, target: Target | None = None, **fields: Any) -> Target:
    """Add or change one of a plan's targets; a year must lie in the plan's period."""
    if not may_manage(by, plan.owner_province_id):
        raise ApplicationError(_("Only the central office and the plan's own province office set its targets."),
                               code="forbidden")  # fmt: skip
    year = fields.get("year")
    if year is not None and not plan.start_year <= year <= plan.end_year:
        raise ApplicationError(_("The year %(year)s lies outside the plan's period %(period)s.")
                               % {"year": year, "period": plan.period}, field="year", code="year")  # fmt: skip
    if fields.get("indicator") != Target.Indicator.CERTIFIED:
        fields["stars"] = None
    if fields.get("entered_actual") is not None and not (fields.get("entered_source") or "").strip():
        raise ApplicationError(_("Name the report or document the entered actual comes from."),
                               field="entered_source", code="source")  # fmt: skip
    target = target or Target(plan=plan)
    before = {"value": target.value, "entered_actual": target.entered_actual} if target.pk else {}
    for key, value in fields.items():
        setattr(target, key, _clean(value))
    target.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        raise ApplicationError(_("The plan already has this target: change that one instead."),
                               code="duplicate") from None  # fmt: skip
    audit_log(code="office.target.saved", obj=plan, actor=by,
              changes=model_changes(before, {"value": target.value, "entered_actual": target.entered_actual})
              if before else {"target": [None, target.value]})  # fmt: skip
    return target


@transaction.atomic
def target_delete(*, by: Any, target: Target) -> None:
    if not may_manage(by, target.plan.owner_province_id):
        raise ApplicationError(_("Only the central office and the plan's own province office set its targets."),
                               code="forbidden")  # fmt: skip
    audit_log(code="office.target.deleted", obj=target.plan, actor=by, changes={"target": [target.value, None]})
    target.delete()


SUPPORT_FIELDS = ("kind", "title", "held_on", "province", "plan", "provider", "participants", "budget_central",
                  "budget_province", "budget_local", "budget_other", "note")  # fmt: skip


@transaction.atomic
def support_save(
    *, by: Any, activity: SupportActivity | None = None, producers: list[Any], products: list[Any], **fields: Any
) -> SupportActivity:
    """Record support given in a province (or change it): its beneficiaries are producers and products of that
    province; a request it answers is marked granted."""
    province = fields.get("province")
    if (
        province is None
        or not may_manage(by, province.pk)
        or (activity is not None and not may_manage(by, activity.province_id))
    ):
        raise ApplicationError(_("Only the central office and the province's own office record its support."),
                               code="forbidden")  # fmt: skip
    if fields.get("held_on") and fields["held_on"] > timezone.localdate() + dt.timedelta(days=366):
        raise ApplicationError(_("The date lies more than a year ahead; check it."), field="held_on", code="date")
    strangers = [p.name for p in producers if p.province_id != province.pk]
    strangers += [p.name for p in products if p.province_id != province.pk]
    if strangers:
        raise ApplicationError(_("Only producers and products of the province: %(names)s.")
                               % {"names": ", ".join(strangers)}, field="producers", code="place")  # fmt: skip
    plan = fields.get("plan")
    if plan is not None and plan.owner_province_id not in (None, province.pk):
        raise ApplicationError(_("Choose one of the province's plans or a national one."), field="plan", code="plan")
    if fields.get("kind") == SupportActivity.Kind.TRAINING and not fields.get("participants"):
        fields["participants"] = len(producers) or None
    created = activity is None
    activity = SupportActivity(created_by=by) if activity is None else SupportActivity.objects.select_for_update().get(
        pk=activity.pk)  # fmt: skip
    before = {} if created else {key: getattr(activity, key) for key in SUPPORT_FIELDS}
    for key in SUPPORT_FIELDS:
        value = fields[key] if key in fields else getattr(activity, key, None)
        if key.startswith("budget_"):
            value = value or 0
        elif key in ("title", "provider", "note") and value is None:
            value = ""
        setattr(activity, key, _clean(value))
    activity.full_clean(exclude=["created_by"])
    activity.save()
    activity.producers.set(producers)
    activity.products.set(products)
    after = {key: getattr(activity, key) for key in SUPPORT_FIELDS}
    audit_log(code="office.support.created" if created else "office.support.updated", obj=activity, actor=by,
              changes={} if created else model_changes(before, after))  # fmt: skip
    return activity


@transaction.atomic
def support_request_send(*, by: Any, producer: Any, kind: str, message: str, product: Any = None) -> SupportRequest:
    """A producer asks its province for support; the province office is notified."""
    from ocop.accounts.permissions import acts_for

    if not acts_for(by, producer.pk):
        raise ApplicationError(_("Only the producer's own members ask for its support."), code="forbidden")
    if product is not None and product.producer_id != producer.pk:
        raise ApplicationError(_("Choose one of the producer's own products."), field="product", code="product")
    if not message.strip():
        raise ApplicationError(_("Say what support you need."), field="message", code="message")
    if SupportRequest.objects.filter(producer=producer, status=SupportRequest.Status.OPEN).count() >= 5:
        raise ApplicationError(_("Five requests are already waiting for an answer; wait for one first."),
                               code="too_many")  # fmt: skip
    request = SupportRequest.objects.create(producer=producer, product=product, kind=kind,
                                            message=plain_text(message), created_by=by)  # fmt: skip
    audit_log(code="office.request.sent", obj=request, actor=by)
    if producer.province_id:
        from ocop.accounts.models import User

        officers = User.objects.filter(role=User.Role.PROVINCE_OFFICER, province_id=producer.province_id,
                                       is_active=True)  # fmt: skip
        notify(officers, kind="support", link="/van-phong/ho-tro/yeu-cau/",
               title=_("%(producer)s asks for support: %(kind)s") % {"producer": producer.name,
                                                                   "kind": request.get_kind_display()})  # fmt: skip
    return request


@transaction.atomic
def support_request_answer(
    *, by: Any, request: SupportRequest, grant: bool, answer: str, activity: SupportActivity | None = None
) -> SupportRequest:
    """The province office grants a request (naming the support recorded for it) or declines it with a reason."""
    request = SupportRequest.objects.select_for_update().select_related("producer").get(pk=request.pk)
    if not may_manage(by, request.producer.province_id):
        raise ApplicationError(_("Only the producer's province office answers its requests."), code="forbidden")
    if request.status != SupportRequest.Status.OPEN:
        raise ApplicationError(_("This request has already been answered."), code="answered")
    if not grant and not answer.strip():
        raise ApplicationError(_("Give the producer the reason for declining."), field="answer", code="answer")
    if activity is not None and activity.province_id != request.producer.province_id:
        raise ApplicationError(_("Choose support recorded in the producer's province."), field="activity",
                               code="activity")  # fmt: skip
    request.status = SupportRequest.Status.GRANTED if grant else SupportRequest.Status.DECLINED
    request.answer, request.activity, request.answered_by = plain_text(answer), activity, by
    request.save()
    if grant and activity is not None:
        activity.producers.add(request.producer)
        if request.product_id:
            activity.products.add(request.product_id)
    audit_log(code="office.request.answered", obj=request, actor=by, changes={"status": ["open", request.status]})
    from ocop.accounts.models import User

    notify(User.objects.filter(memberships__producer_id=request.producer_id), kind="support",
           link="/van-phong/ho-tro/cua-toi/",
           title=(_("Your request for %(kind)s was granted.") if grant
                  else _("Your request for %(kind)s was declined: %(answer)s"))
           % {"kind": request.get_kind_display(), "answer": request.answer})  # fmt: skip
    return request


INSPECTION_FIELDS = ("kind", "planned_on", "inspected_on", "inspectors", "checklist", "findings", "outcome",
                     "remedy_by")  # fmt: skip


@transaction.atomic
def inspection_save(
    *, by: Any, certificate: Certificate, inspection: Inspection | None = None, follow_up_of: Inspection | None = None,
    photos: Sequence[Any] = (), **fields: Any,
) -> Inspection:  # fmt: skip
    """Plan or record an inspection of a certified product. An outcome needs the inspection date; "remedy" needs
    a deadline; a proposal to revoke needs the findings that justify it and notifies those who decide."""
    province_id = certificate.product.province_id
    if not may_manage(by, province_id):
        raise ApplicationError(_("Only the central office and the product's province office inspect it."),
                               code="forbidden")  # fmt: skip
    if inspection is not None and inspection.revocation_decided:
        raise ApplicationError(_("The revocation has been decided; this inspection is closed."), code="closed")
    outcome = fields.get("outcome") or Inspection.Outcome.OPEN
    today = timezone.localdate()
    if fields.get("inspected_on") and fields["inspected_on"] > today:
        raise ApplicationError(_("An inspection cannot be dated in the future; plan it instead."),
                               field="inspected_on", code="date")  # fmt: skip
    if outcome != Inspection.Outcome.OPEN and not fields.get("inspected_on"):
        raise ApplicationError(_("Give the date of the inspection before its outcome."), field="inspected_on",
                               code="date")  # fmt: skip
    if not fields.get("inspected_on") and not fields.get("planned_on"):
        raise ApplicationError(_("Give the planned date or the date of the inspection."), field="planned_on",
                               code="date")  # fmt: skip
    if outcome == Inspection.Outcome.REMEDY:
        if not fields.get("remedy_by") or fields["remedy_by"] <= fields["inspected_on"]:
            raise ApplicationError(_("Give a deadline to remedy, after the inspection."), field="remedy_by",
                                   code="remedy_by")  # fmt: skip
    else:
        fields["remedy_by"] = None
    if outcome in (Inspection.Outcome.REMEDY, Inspection.Outcome.REVOKE) and not (fields.get("findings") or "").strip():
        raise ApplicationError(_("Write the findings that require it."), field="findings", code="findings")
    if outcome == Inspection.Outcome.REVOKE and certificate.status == Certificate.Status.REVOKED:
        raise ApplicationError(_("This certificate is already revoked."), field="outcome", code="revoked")
    if len(photos) + (inspection.photos.count() if inspection else 0) > MAX_PHOTOS:
        raise ApplicationError(_("At most %(n)s photos per inspection.") % {"n": MAX_PHOTOS}, field="photos",
                               code="photos")  # fmt: skip
    pictures = [picture_jpeg(upload) for upload in photos]  # every photo checked before anything is saved
    created = inspection is None
    inspection = (Inspection(created_by=by, certificate=certificate, follow_up_of=follow_up_of) if inspection is None
                  else Inspection.objects.select_for_update().get(pk=inspection.pk))  # fmt: skip
    before = {} if created else {key: getattr(inspection, key) for key in INSPECTION_FIELDS}
    previous = inspection.outcome
    for key in INSPECTION_FIELDS:
        value = fields.get(key, getattr(inspection, key))
        setattr(inspection, key, _clean(value) if key != "checklist" else value or {})
    inspection.outcome = outcome
    inspection.full_clean(exclude=["created_by", "follow_up_of"])
    inspection.save()
    for content, upload in zip(pictures, photos, strict=True):
        photo = InspectionPhoto(inspection=inspection)
        photo.file.save(f"{getattr(upload, 'name', 'photo')}.jpg", ContentFile(content), save=True)
    audit_log(code="office.inspection.created" if created else "office.inspection.updated", obj=inspection,
              actor=by, changes={} if created else model_changes(before, {k: getattr(inspection, k)
                                                                        for k in INSPECTION_FIELDS}))  # fmt: skip
    if outcome != previous and outcome in (Inspection.Outcome.REMEDY, Inspection.Outcome.REVOKE):
        from ocop.accounts.models import User

        product = certificate.product
        if outcome == Inspection.Outcome.REMEDY:
            words = _("The inspection of “%(product)s” requires a remedy by %(date)s: %(findings)s")
        else:
            words = _("The inspection of “%(product)s” proposes to revoke its certificate: %(findings)s")
        text = words % {"product": product.name, "date": (inspection.remedy_by or today).strftime("%d/%m/%Y"),
                        "findings": inspection.findings[:200]}  # fmt: skip
        notify(User.objects.filter(memberships__producer_id=product.producer_id), kind="inspection",
               link="/chu-the/cua-toi/", title=text)  # fmt: skip
        if outcome == Inspection.Outcome.REVOKE:
            deciders = User.objects.filter(
                role=User.Role.PROVINCE_OFFICER, province_id=province_id or 0, is_active=True
            ).exclude(pk=getattr(by, "pk", 0))
            notify(deciders, kind="inspection",
                   link=f"/van-phong/kiem-tra/{inspection.pk}/", title=text)  # fmt: skip
    return inspection


@transaction.atomic
def inspection_revoke(
    *, by: Any, inspection: Inspection, revoked_on: dt.date, decision_number: str, reason: str
) -> Certificate:
    """Turn an inspection's proposal to revoke into the revocation decision, through the certificate revocation
    (the same rules, audit and notices as any revocation)."""
    inspection = Inspection.objects.select_for_update().select_related("certificate").get(pk=inspection.pk)
    if inspection.outcome != Inspection.Outcome.REVOKE:
        raise ApplicationError(_("Only an inspection that proposes revocation leads to a revocation decision."),
                               code="not_proposed")  # fmt: skip
    if inspection.revocation_decided:
        raise ApplicationError(_("The revocation has been decided already."), code="decided")
    if not decision_number.strip():
        raise ApplicationError(_("Give the number of the revocation decision."), field="decision_number",
                               code="decision_number")  # fmt: skip
    certificate = inspection.certificate
    if not by.has_perm("certification.revoke_certificate", certificate):
        raise ApplicationError(_("Only the province that certified the product decides its revocation."),
                               code="forbidden")  # fmt: skip
    certificate = certificate_revoke(certificate=certificate, by=by, revoked_on=revoked_on,
                                     decision_number=decision_number, reason=reason)  # fmt: skip
    inspection.revocation_decided = True
    inspection.save(update_fields=["revocation_decided", "updated_at"])
    audit_log(code="office.inspection.revoked", obj=inspection, actor=by, reason=reason)
    return certificate
