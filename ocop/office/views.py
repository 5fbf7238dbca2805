"""The programme office's pages: plans with tasks and targets, support given and asked for, inspections after
certification. Officers see what lies in their area; the central office and the province offices record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocop.accounts.permissions import is_central, role_of
from ocop.certification.models import Certificate
from ocop.core.errors import ApplicationError, form_refused
from ocop.core.exporting import export_if_asked
from ocop.core.once import once_per_form
from ocop.core.storage import private_url
from ocop.geo.models import Province
from ocop.office import services
from ocop.office.exporters import InspectionExporter, SupportExporter
from ocop.office.forms import (
    AnswerForm,
    CertificateChoiceForm,
    InspectionForm,
    PlanForm,
    RevocationForm,
    SupportForm,
    SupportRequestForm,
    TargetForm,
)
from ocop.office.models import Inspection, Plan, SupportActivity, SupportRequest, Target
from ocop.office.permissions import may_manage
from ocop.office.selectors import plan_reports

PAGE = 50


def _officer(request) -> None:
    if not request.user.has_perm("office.view_office"):
        raise PermissionDenied(_("The programme office's pages are for OCOP officers."))


def _managed_provinces(user):
    """The provinces an officer records for: all for the central office, their own for a province officer."""
    if is_central(user):
        return Province.objects.order_by("sort_key")
    if user.has_perm("office.manage_office") and user.province_id:
        return Province.objects.filter(pk=user.province_id)
    return Province.objects.none()


def _refuse(form, error: ApplicationError) -> None:
    if error.code == "forbidden":
        raise PermissionDenied(error.message)
    form_refused(form, error)


# --- Plans ------------------------------------------------------------------------------------------


@require_GET
def plan_list(request):
    """The plans of the officer's area (the nation's own for everyone), newest period first."""
    _officer(request)
    plans = Plan.objects.visible_to(request.user).select_related(
        "province", "legacy_province").annotate(target_count=Count("targets", distinct=True),
                                                task_count=Count("tasks", distinct=True))  # fmt: skip
    province = Province.objects.filter(code=request.GET.get("tinh", "")).first()
    if province:
        plans = plans.filter(owner_province=province)
    plans = plans.order_by("-end_year", F("owner_province__sort_key").asc(nulls_first=True), "pk")
    page = Paginator(plans, PAGE).get_page(request.GET.get("page"))
    return render(request, "office/plan_list.html", {
        "page": page, "province": province, "provinces": Province.objects.order_by("sort_key"),
        "may_create": _managed_provinces(request.user).exists(),
    })  # fmt: skip


def _plan_for(request, pk: int) -> Plan:
    _officer(request)
    return get_object_or_404(Plan.objects.visible_to(request.user).select_related("province", "legacy_province"), pk=pk)


@require_http_methods(["GET", "POST"])
@once_per_form
def plan_edit(request, pk: int | None = None):
    _officer(request)
    plan = _plan_for(request, pk) if pk else None
    provinces = _managed_provinces(request.user)
    if not provinces.exists() or (plan is not None and not may_manage(request.user, plan.owner_province_id)):
        raise PermissionDenied(_("Plans are recorded by the central office and the province offices."))
    form = PlanForm(request.POST or None, instance=Plan.objects.get(pk=plan.pk) if plan else None,
                    provinces=provinces, national=is_central(request.user))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        fields = {key: form.cleaned_data.get(key) for key in services.PLAN_FIELDS}
        try:
            saved = services.plan_save(by=request.user, plan=plan, tasks=form.cleaned_data["tasks"].splitlines(),
                                       **fields)  # fmt: skip
        except ApplicationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The plan is saved; add its targets below."))
            return redirect("office:plan-detail", pk=saved.pk)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "office/plan_form.html", {"form": form, "plan": plan}, status=status)


@require_http_methods(["GET", "POST"])
@once_per_form
def plan_detail(request, pk: int):
    """A plan: its tasks, and each target against what was done (live from the records, or entered)."""
    plan = _plan_for(request, pk)
    manages = may_manage(request.user, plan.owner_province_id)
    form = TargetForm(request.POST or None)
    if request.method == "POST":
        if not manages:
            raise PermissionDenied(_("Only the central office and the plan's own province office set its targets."))
        if form.is_valid():
            try:
                services.target_save(by=request.user, plan=plan, **form.cleaned_data)
            except ApplicationError as error:
                _refuse(form, error)
            else:
                messages.success(request, _("The target is saved."))
                return redirect("office:plan-detail", pk=plan.pk)
    plan = Plan.objects.prefetch_related("tasks").select_related("province", "legacy_province").get(pk=plan.pk)
    (report,) = plan_reports([plan], on=timezone.localdate())
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "office/plan_detail.html", {"plan": plan, "report": report, "form": form,
                                                       "manages": manages}, status=status)  # fmt: skip


@require_POST
def target_delete(request, pk: int, target_pk: int):
    plan = _plan_for(request, pk)
    target = get_object_or_404(Target.objects.select_related("plan"), pk=target_pk, plan=plan)
    try:
        services.target_delete(by=request.user, target=target)
    except ApplicationError as error:
        raise PermissionDenied(error.message) from None
    messages.success(request, _("The target is deleted."))
    return redirect("office:plan-detail", pk=plan.pk)


# --- Support ----------------------------------------------------------------------------------------


@require_GET
def support_list(request):
    """Support given in the officer's area, filtered by kind and year, with the totals of what is shown."""
    _officer(request)
    activities = SupportActivity.objects.restrict(request.user).select_related("province").annotate(
        producer_count=Count("producers", distinct=True))  # fmt: skip
    kind = request.GET.get("loai", "")
    if kind in SupportActivity.Kind.values:
        activities = activities.filter(kind=kind)
    year = request.GET.get("nam", "")
    if year.isdigit() and len(year) == 4:
        activities = activities.filter(held_on__year=int(year))
    activities = activities.order_by("-held_on", "-pk")
    if download := export_if_asked(request, SupportExporter, activities, "ho-tro-ocop"):
        return download
    page = Paginator(activities, PAGE).get_page(request.GET.get("page"))
    open_requests = SupportRequest.objects.restrict(request.user).filter(status=SupportRequest.Status.OPEN).count()
    return render(request, "office/support_list.html", {
        "page": page, "kinds": SupportActivity.Kind.choices, "kind": kind, "year": year,
        "may_create": _managed_provinces(request.user).exists(), "open_requests": open_requests,
    })  # fmt: skip


@require_http_methods(["GET", "POST"])
@once_per_form
def support_edit(request, pk: int | None = None):
    _officer(request)
    activity = get_object_or_404(SupportActivity.objects.restrict(request.user), pk=pk) if pk else None
    provinces = _managed_provinces(request.user)
    if not provinces.exists() or (activity is not None and not may_manage(request.user, activity.province_id)):
        raise PermissionDenied(_("Support is recorded by the central office and the province offices."))
    form = SupportForm(request.POST or None, instance=activity, provinces=provinces)
    if request.method == "POST" and request.POST.get("action", "save") == "save" and form.is_valid():
        data = form.cleaned_data
        fields = {key: data.get(key) for key in services.SUPPORT_FIELDS}
        try:
            saved = services.support_save(by=request.user, activity=activity, producers=list(data["producers"]),
                                          products=list(data["products"]), **fields)  # fmt: skip
        except ApplicationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The support is recorded; it shows on its beneficiaries' pages for officers."))
            return redirect("office:support-detail", pk=saved.pk)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "office/support_form.html", {"form": form, "activity": activity}, status=status)


@require_GET
def support_detail(request, pk: int):
    _officer(request)
    activity = get_object_or_404(SupportActivity.objects.restrict(request.user).select_related("province", "plan"),
                                 pk=pk)  # fmt: skip
    producers = activity.producers.select_related("province").order_by("sort_key")
    products = activity.products.select_related("producer").order_by("sort_key")
    return render(request, "office/support_detail.html", {
        "activity": activity, "producers": producers, "products": products,
        "manages": may_manage(request.user, activity.province_id),
    })  # fmt: skip


@require_GET
def request_list(request):
    """Producers' requests for support in the officer's area, waiting first."""
    _officer(request)
    requests = (
        SupportRequest.objects.restrict(request.user)
        .select_related("producer", "product")
        .order_by(F("status").desc(), "-created_at")
    )  # "open" sorts after "granted"/"declined" descending: waiting first
    status = request.GET.get("trang-thai", "")
    if status in SupportRequest.Status.values:
        requests = requests.filter(status=status)
    page = Paginator(requests, PAGE).get_page(request.GET.get("page"))
    return render(request, "office/request_list.html", {"page": page, "statuses": SupportRequest.Status.choices,
                                                        "status": status})  # fmt: skip


@require_http_methods(["GET", "POST"])
@once_per_form
def request_answer(request, pk: int):
    _officer(request)
    support_request = get_object_or_404(SupportRequest.objects.restrict(request.user).select_related("producer"),
                                        pk=pk)  # fmt: skip
    if not may_manage(request.user, support_request.producer.province_id):
        raise PermissionDenied(_("Only the producer's province office answers its requests."))
    form = AnswerForm(request.POST or None, province_id=support_request.producer.province_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_request_answer(by=request.user, request=support_request, **form.cleaned_data)
        except ApplicationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The producer is told your answer."))
            return redirect("office:request-list")
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "office/request_answer.html", {"form": form, "item": support_request}, status=status)


@require_http_methods(["GET", "POST"])
@once_per_form
def my_support(request):
    """A producer's own page: ask for support, follow the requests, see the support received."""
    if role_of(request.user) is None or not request.user.memberships.exists():
        raise PermissionDenied(_("This page is for producers' members."))
    form = SupportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_request_send(by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("Your request is sent to the province's OCOP office."))
            return redirect("office:my-support")
    producer_ids = list(request.user.memberships.values_list("producer_id", flat=True))
    requests = SupportRequest.objects.filter(producer_id__in=producer_ids).select_related("producer", "product")
    received = SupportActivity.objects.filter(producers__in=producer_ids).select_related("province").distinct()
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "office/my_support.html", {
        "form": form, "requests": requests.order_by("-created_at")[:50],
        "received": received.order_by("-held_on")[:50],
    }, status=status)  # fmt: skip


# --- Inspections ------------------------------------------------------------------------------------


@require_GET
def inspection_list(request):
    _officer(request)
    inspections = Inspection.objects.restrict(request.user).select_related(
        "certificate__product__producer", "certificate__product__province")  # fmt: skip
    outcome = request.GET.get("ket-qua", "")
    if outcome in Inspection.Outcome.values:
        inspections = inspections.filter(outcome=outcome)
    year = request.GET.get("nam", "")
    if year.isdigit() and len(year) == 4:
        inspections = inspections.filter(inspected_on__year=int(year))
    inspections = inspections.order_by(F("inspected_on").desc(nulls_first=True), "-planned_on", "-pk")
    if download := export_if_asked(request, InspectionExporter, inspections, "kiem-tra-ocop"):
        return download
    page = Paginator(inspections, PAGE).get_page(request.GET.get("page"))
    return render(request, "office/inspection_list.html", {
        "page": page, "outcomes": Inspection.Outcome.choices, "outcome": outcome, "year": year,
        "may_create": _managed_provinces(request.user).exists(), "choose": CertificateChoiceForm(),
    })  # fmt: skip


def _certificate_for(request, number: str) -> Certificate:
    certificate = (Certificate.objects.restrict(request.user).select_related("product__producer")
                   .filter(number=" ".join(number.split())).first())  # fmt: skip
    if certificate is None:
        raise ApplicationError(_("No certificate of your area has the number %(number)s.") % {"number": number},
                               field="number", code="number")  # fmt: skip
    return certificate


@require_http_methods(["GET", "POST"])
@once_per_form
def inspection_edit(request, pk: int | None = None):
    """Plan or record an inspection: of the certificate named by `?so=` (a new one), or change one."""
    _officer(request)
    inspection = (get_object_or_404(Inspection.objects.restrict(request.user).select_related(
        "certificate__product__producer"), pk=pk) if pk else None)  # fmt: skip
    follow_up_of = None
    if inspection is None:
        chooser = CertificateChoiceForm({"number": request.GET.get("so", "")})
        if not chooser.is_valid():
            return render(request, "office/inspection_choose.html", {"choose": chooser}, status=400)
        try:
            certificate = _certificate_for(request, chooser.cleaned_data["number"])
        except ApplicationError as error:
            chooser.add_error("number", error.message)
            return render(request, "office/inspection_choose.html", {"choose": chooser}, status=400)
        if request.GET.get("tiep-theo", "").isdigit():
            follow_up_of = Inspection.objects.restrict(request.user).filter(
                pk=int(request.GET["tiep-theo"][:9]), certificate=certificate).first()  # fmt: skip
    else:
        certificate = inspection.certificate
    if not may_manage(request.user, certificate.product.province_id):
        raise PermissionDenied(_("Only the central office and the product's province office inspect it."))
    form = InspectionForm(request.POST or None, request.FILES or None, instance=inspection)
    if request.method == "POST" and form.is_valid():
        fields = {key: form.cleaned_data.get(key) for key in services.INSPECTION_FIELDS if key != "checklist"}
        try:
            saved = services.inspection_save(by=request.user, certificate=certificate, inspection=inspection,
                                             follow_up_of=follow_up_of, photos=request.FILES.getlist("photos"),
                                             checklist=form.checklist(), **fields)  # fmt: skip
        except ApplicationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The inspection is saved."))
            return redirect("office:inspection-detail", pk=saved.pk)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "office/inspection_form.html", {"form": form, "inspection": inspection,
                                                           "certificate": certificate,
                                                           "follow_up_of": follow_up_of}, status=status)  # fmt: skip


@require_http_methods(["GET", "POST"])
@once_per_form
def inspection_detail(request, pk: int):
    """An inspection: checklist, findings, photos, outcome; a proposal to revoke is decided here by the province."""
    _officer(request)
    inspection = get_object_or_404(Inspection.objects.restrict(request.user).select_related(
        "certificate__product__producer", "follow_up_of"), pk=pk)  # fmt: skip
    certificate = inspection.certificate
    may_decide = request.user.has_perm("certification.revoke_certificate", certificate)
    form = RevocationForm(request.POST or None, initial={"revoked_on": timezone.localdate()})
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied(_("Only the province that certified the product decides its revocation."))
        if form.is_valid():
            try:
                services.inspection_revoke(by=request.user, inspection=inspection, **form.cleaned_data)
            except ApplicationError as error:
                _refuse(form, error)
            else:
                messages.success(request, _("The certificate is revoked; its verification page says so."))
                return redirect("office:inspection-detail", pk=inspection.pk)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "office/inspection_detail.html", {
        "inspection": inspection, "certificate": certificate, "form": form, "may_decide": may_decide,
        "manages": may_manage(request.user, certificate.product.province_id),
        "photos": list(inspection.photos.all()), "follow_ups": list(inspection.follow_ups.all()),
    }, status=status)  # fmt: skip


@require_GET
def inspection_photo(request, pk: int, photo_pk: int):
    _officer(request)
    inspection = get_object_or_404(Inspection.objects.restrict(request.user), pk=pk)
    photo = get_object_or_404(inspection.photos, pk=photo_pk)
    response = redirect(private_url(str(photo.file.name), filename=f"kiem-tra-{inspection.pk}-{photo.pk}.jpg",
                                    content_type="image/jpeg"))  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    return response
