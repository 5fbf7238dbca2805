"""Pages of the OCOP cycle: dossiers, pre-check, score sheets, results and guidance, rounds, councils, decisions.

Views only shape input and output; every rule is in `services` and every read in `selectors`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ocop.accounts.models import User
from ocop.core.errors import ApplicationError
from ocop.core.storage import private_url
from ocop.core.text import slugify_vn
from ocop.evaluation import permissions, selectors, services, workflow
from ocop.evaluation.forms import (
    CouncilForm,
    DecisionForm,
    DossierForm,
    EvidenceForm,
    PrecheckForm,
    ReopenForm,
    RoundForm,
)
from ocop.evaluation.models import Council, CouncilMember, Dossier, EvaluationRound, ScoreSheet
from ocop.evaluation.scoring import sheet_total


def _dossier(request, pk: int) -> Dossier:
    dossier = selectors.dossier_get(user=request.user, pk=pk)
    if dossier is None:
        raise Http404
    return dossier


def _choices(request, prefix: str = "c_") -> dict[int, int]:
    """criterion id → option id from radio buttons named c_<criterion id>; malformed entries are dropped."""
    out = {}
    for key, value in request.POST.items():
        if key.startswith(prefix) and key[len(prefix) :].isdigit() and value.isdigit():
            out[int(key[len(prefix) :])] = int(value)
    return out


def _act(request, dossier: Dossier, action: Any, success: str):
    """Run one service on a dossier: its refusal or its success becomes a message, then back to the dossier."""
    try:
        action()
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("evaluation:dossier-detail", pk=dossier.pk)


@login_required
def dossier_list(request):
    """The dossiers the user may see (own, commune's, province's or all), filterable by status."""
    status = request.GET.get("status", "")
    if status not in Dossier.Status.values:
        status = ""
    page = Paginator(selectors.dossier_list(user=request.user, status=status), 25).get_page(request.GET.get("page"))
    can_create = request.user.memberships.exists()
    return render(request, "evaluation/dossier_list.html", {
        "page": page, "status": status, "statuses": Dossier.Status.choices, "can_create": can_create,
        "is_officer": permissions.manages_province(request.user, request.user.province_id),
    })  # fmt: skip


@login_required
def dossier_create(request):
    """A producer registers a product (or an upgrade or re-evaluation from its last dossier)."""
    if not request.user.memberships.exists():
        raise PermissionDenied(_("Only a producer's accounts register products."))
    form = DossierForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        category = data["category"] or data["previous"].category  # the form requires one or the other
        try:
            dossier = services.dossier_create(
                evaluation_round=data["evaluation_round"], producer=data["producer"],
                product_name=data["product_name"] or "", category=category,
                description=data["description"], kind=data["kind"], previous=data["previous"], by=request.user,
            )  # fmt: skip
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The dossier is created. Fill in the self-assessment and add evidence."))
            return redirect("evaluation:dossier-detail", pk=dossier.pk)
    return render(request, "evaluation/dossier_form.html", {"form": form})


def _tree(dossier: Dossier, chosen: dict[int, Any], comments: dict[int, str] | None = None) -> list[dict]:
    """The criteria grouped by part and section, each leaf with its options and the current choice."""
    parts: dict[str, dict] = {}
    for criterion in selectors.criteria_tree(dossier):
        section = criterion.section
        part = section.parent or section
        entry = parts.setdefault(part.code, {"part": part, "sections": {}})
        block = entry["sections"].setdefault(section.code, {"section": section, "rows": []})
        options = list(criterion.options.all())
        block["rows"].append({
            "criterion": criterion, "options": options, "chosen": chosen.get(criterion.pk),
            "comment": (comments or {}).get(criterion.pk, ""), "heading": not options,
        })  # fmt: skip
    for entry in parts.values():
        entry["sections"] = list(entry["sections"].values())
    return list(parts.values())


@login_required
def dossier_detail(request, pk: int):
    """Everything about one dossier, with the actions the user may take on it."""
    dossier = _dossier(request, pk)
    user = request.user
    own = permissions.acts_for(user, dossier.producer_id)
    seat = workflow.council_seat(dossier, user)
    actions = workflow.available_actions(dossier, user, seat=seat)
    editable = "self_assess" in actions
    if request.method == "POST" and editable:
        try:
            count = services.dossier_self_assess(dossier=dossier, choices=_choices(request), by=user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Self-assessment saved (%(n)s criteria).") % {"n": count})
        return redirect("evaluation:dossier-detail", pk=dossier.pk)
    chosen = {a.criterion_id: a.option_id for a in dossier.self_assessment.all()}
    result = getattr(dossier, "result", None)
    guidance = None
    if result is not None and (own or permissions.manages_province(user, dossier.province_id)):
        guidance = selectors.dossier_guidance(dossier=dossier)
    return render(request, "evaluation/dossier_detail.html", {
        "dossier": dossier, "tree": _tree(dossier, chosen), "editable": editable, "readonly": not editable, "own": own,
        "evidence": dossier.evidence.select_related("criterion"), "events": dossier.events.select_related("by"),
        "result": result, "guidance": guidance, "evidence_form": EvidenceForm(),
        "disputed": result.disputed_criteria if result and result.needs_discussion else [],
        "actions": actions, "precheck_form": PrecheckForm(), "seat": seat, "reopen_form": ReopenForm(),
        "member_names": {str(s.member.user_id): s.member.user.display_name
                         for s in dossier.sheets.select_related("member__user")},
    })  # fmt: skip


@require_POST
@login_required
def evidence_add(request, pk: int):
    dossier = _dossier(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        criterion = None
        if form.cleaned_data.get("criterion"):
            criterion = dossier.criteria_set.criteria.filter(pk=form.cleaned_data["criterion"]).first()
        return _act(request, dossier, lambda: services.evidence_add(
            dossier=dossier, upload=form.cleaned_data["file"], title=form.cleaned_data["title"],
            criterion=criterion, by=request.user,
        ), _("Evidence added."))  # fmt: skip
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("evaluation:dossier-detail", pk=dossier.pk)


@require_GET
@login_required
def evidence_download(request, pk: int, evidence_pk: int):
    """One piece of evidence for someone who may see the dossier: a redirect to a signed address that expires
    in minutes (the file itself has no public address)."""
    dossier = _dossier(request, pk)
    evidence = get_object_or_404(dossier.evidence, pk=evidence_pk)
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(evidence.content_type, "bin")
    url = private_url(evidence.file.name or "", filename=f"{slugify_vn(evidence.title) or 'minh-chung'}.{extension}",
                      content_type=evidence.content_type, attachment=extension == "bin")  # fmt: skip
    response = redirect(url)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def dossier_submit(request, pk: int):
    dossier = _dossier(request, pk)
    return _act(request, dossier, lambda: services.dossier_submit(dossier=dossier, by=request.user),
                _("The dossier is submitted to the commune."))  # fmt: skip


@require_POST
@login_required
def dossier_precheck(request, pk: int):
    dossier = _dossier(request, pk)
    form = PrecheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to forward or return the dossier."))
        return redirect("evaluation:dossier-detail", pk=dossier.pk)
    data = form.cleaned_data
    return _act(request, dossier, lambda: services.dossier_precheck(
        dossier=dossier, by=request.user, forward=data["decision"] == "forward",
        missing=data["missing"].splitlines(), reason=data["reason"],
    ), _("Done: the dossier moved on."))  # fmt: skip


@login_required
def scoresheet(request, pk: int):
    """A council member's own sheet: one option (and a comment) per criterion; save, then finalise."""
    dossier = _dossier(request, pk)
    try:
        sheet = services.scoresheet_get_or_create(dossier=dossier, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("evaluation:dossier-detail", pk=dossier.pk)
    if request.method == "POST":
        try:
            choices = _choices(request)
            comments = {pk: request.POST.get(f"note_{pk}", "") for pk in choices}
            services.scoresheet_save(sheet=sheet, choices=choices, comments=comments, by=request.user)
            if request.POST.get("action") == "finalise":
                services.scoresheet_finalise(sheet=sheet, by=request.user)
                messages.success(request, _("Your sheet is finalised."))
                return redirect("evaluation:dossier-detail", pk=dossier.pk)
            messages.success(request, _("Your scores are saved."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("evaluation:scoresheet", pk=dossier.pk)
    sheet.refresh_from_db()
    scores = {s.criterion_id: s for s in sheet.scores.all()}
    tree = _tree(dossier, {k: v.option_id for k, v in scores.items()}, {k: v.comment for k, v in scores.items()})
    total = sheet_total({pk: s.points for pk, s in scores.items()})
    others = [s for s in selectors.sheets_visible_to(dossier=dossier, user=request.user) if s.pk != sheet.pk]
    return render(request, "evaluation/scoresheet.html", {
        "dossier": dossier, "sheet": sheet, "tree": tree, "total": total, "others": others,
        "locked": sheet.status == ScoreSheet.Status.FINAL,
        "disputed": dossier.result.disputed_criteria if hasattr(dossier, "result") else [],
    })  # fmt: skip


@require_POST
@login_required
def scoresheets_reopen(request, pk: int):
    dossier = _dossier(request, pk)
    reason = ReopenForm(request.POST).data.get("reason", "")
    return _act(request, dossier, lambda: services.scoresheets_reopen(dossier=dossier, by=request.user, reason=reason),
                _("The sheets are open again for re-scoring."))  # fmt: skip


@require_POST
@login_required
def dossier_propose(request, pk: int):
    dossier = _dossier(request, pk)
    return _act(request, dossier, lambda: services.dossier_propose_central(dossier=dossier, by=request.user),
                _("Proposed to the central council."))  # fmt: skip


@login_required
def decision_create(request):
    """An officer records the recognition decision for a batch of scored dossiers."""
    user = request.user
    if not (permissions.is_central(user) or permissions.manages_province(user, user.province_id)):
        raise PermissionDenied(_("Only OCOP officers record decisions."))
    scored = selectors.dossier_list(user=user, status=Dossier.Status.SCORED)
    province_name = user.province.full_name if user.province_id else ""
    form = DecisionForm(request.POST or None, dossiers=scored,
                        initial={"issuer": f"UBND {province_name}" if province_name else ""})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        level = permissions.decision_level(user)
        try:
            decision = services.decision_record(
                number=data["number"], signed_on=data["signed_on"], signer=data["signer"], issuer=data["issuer"],
                level=level, dossiers=list(data["dossiers"]), by=user,
            )  # fmt: skip
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Decision %(number)s is recorded; certificates are issued.")
                             % {"number": decision.number})  # fmt: skip
            return redirect("evaluation:dossier-list")
    return render(request, "evaluation/decision_form.html", {"form": form})


@login_required
def round_list(request):
    """A province's rounds and councils; officers open rounds and set up councils here."""
    user = request.user
    can_manage = permissions.manages_province(user, user.province_id)
    form = RoundForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if not can_manage or user.province_id is None:
            raise PermissionDenied(_("Only the province's OCOP officers can open its rounds."))
        if form.is_valid():
            try:
                services.round_open(province=user.province, regime=EvaluationRound._meta.get_field("regime").default,
                                    by=user, **form.cleaned_data)  # fmt: skip
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The round is open."))
                return redirect("evaluation:round-list")
    return render(request, "evaluation/round_list.html", {
        "rounds": selectors.round_list(user=user), "form": form, "can_manage": can_manage,
        "is_central": permissions.is_central(user),
    })  # fmt: skip


@login_required
def council_create(request, pk: int):
    """A province sets up its council for a round; the central office sets up the central (5★) council."""
    user = request.user
    evaluation_round = EvaluationRound.objects.filter(pk=pk).select_related("province").first()
    if evaluation_round is None or not permissions.manages_province(user, evaluation_round.province_id):
        raise Http404
    central = permissions.is_central(user) and request.GET.get("level") == Council.Level.CENTRAL
    if central:
        people = User.objects.filter(
            role__in=[User.Role.CENTRAL_OFFICER, User.Role.COUNCIL_MEMBER], province__isnull=True, is_active=True
        ).order_by("full_name", "username")
        name = "Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp Trung ương"
    else:
        people = User.objects.filter(province=evaluation_round.province, is_active=True).order_by(
            "full_name", "username"
        )
        name = f"Hội đồng đánh giá, phân hạng sản phẩm OCOP {evaluation_round.province}"
    form = CouncilForm(request.POST or None, people=people, initial={"name": name})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        seats: list[tuple[Any, str]] = [(data["chair"], CouncilMember.Role.CHAIR)]
        seats += [(person, CouncilMember.Role.MEMBER) for person in data["members"]]
        seats += [(person, CouncilMember.Role.ADVISOR) for person in data["advisors"]]
        try:
            services.council_create(
                evaluation_round=evaluation_round, level=Council.Level.CENTRAL if central else Council.Level.PROVINCE,
                name=data["name"], members=seats, by=user,
            )  # fmt: skip
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The council is set up."))
            return redirect("evaluation:round-list")
    return render(
        request, "evaluation/council_form.html", {"form": form, "round": evaluation_round, "central": central}
    )


@login_required
def criteria_set_list(request):
    """Every criteria set, newest version first, with whether it can score and how many dossiers use it."""
    from django.db.models import Count

    from ocop.evaluation.models import CriteriaSet

    sets = CriteriaSet.objects.annotate(used=Count("dossiers")).order_by("regime", "code", "-version")
    return render(
        request,
        "evaluation/criteria_set_list.html",
        {"sets": sets, "may_revise": permissions.may_revise_criteria(request.user)},
    )


@login_required
def criteria_set_detail(request, pk: int):
    """One version's tree; an authorised officer downloads it as .xlsx and uploads a revision."""
    from django.http import HttpResponse

    from ocop.core.tabular import read_table
    from ocop.evaluation.criteria_sheets import CriteriaSetExporter
    from ocop.evaluation.models import CriteriaSet

    criteria_set = CriteriaSet.objects.filter(pk=pk).select_related("category").first()
    if criteria_set is None:
        raise Http404
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            CriteriaSetExporter(criteria_set).to_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{criteria_set.code}-v{criteria_set.version}.xlsx"'
        return response
    error = ""
    if request.method == "POST":
        if not permissions.may_revise_criteria(request.user):
            raise PermissionDenied(_("Only central and province OCOP officers can revise criteria sets."))
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose the revised .xlsx file.")
        else:
            import tempfile
            from pathlib import Path

            try:
                with tempfile.TemporaryDirectory() as folder:
                    path = Path(folder) / "set"
                    path.write_bytes(upload.read())
                    rows = read_table(path, upload.name).rows
                stored, created = services.criteria_set_revise(
                    criteria_set=criteria_set, rows=rows, source=request.POST.get("source", ""), by=request.user
                )
            except ApplicationError as exc:
                error = exc.message
            else:
                if created:
                    messages.success(request, _("Version %(v)s is stored.") % {"v": stored.version})
                else:
                    messages.info(request, _("Nothing changed: the newest version already holds this content."))
                return redirect("evaluation:criteria-set-detail", pk=stored.pk)
    placeholder = Dossier(criteria_set=criteria_set)
    return render(request, "evaluation/criteria_set_detail.html", {
        "set": criteria_set, "tree": _tree(placeholder, {}), "readonly": True, "error": error,
        "may_revise": permissions.may_revise_criteria(request.user),
    })  # fmt: skip
