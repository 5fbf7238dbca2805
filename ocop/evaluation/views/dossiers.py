"""Pages of a dossier: the list, registering, the dossier itself with what the user may do, evidence, submitting
and the commune's pre-check."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ocop.core.errors import ApplicationError
from ocop.core.exporting import export_if_asked
from ocop.core.once import once_per_form
from ocop.core.storage import private_url
from ocop.core.text import slugify_vn
from ocop.evaluation import permissions, selectors, services, workflow
from ocop.evaluation.exporters import DossierExporter
from ocop.evaluation.forms import (
    DossierForm,
    EvidenceForm,
    PrecheckForm,
    ReopenForm,
)
from ocop.evaluation.models import Dossier


def dossier_in_scope(request, pk: int) -> Dossier:
    dossier = selectors.dossier_get(user=request.user, pk=pk)
    if dossier is None:
        raise Http404
    return dossier


def posted_choices(request, prefix: str = "c_") -> dict[int, int]:
    """criterion id → option id from radio buttons named c_<criterion id>; malformed entries are dropped."""
    out = {}
    for key, value in request.POST.items():
        if key.startswith(prefix) and key[len(prefix) :].isdigit() and value.isdigit():
            out[int(key[len(prefix) :])] = int(value)
    return out


def act_and_return(request, dossier: Dossier, action: Any, success: str):
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
    dossiers = selectors.dossier_list(user=request.user, status=status)
    if download := export_if_asked(request, DossierExporter, dossiers, f"ho-so-ocop{'-' + status if status else ''}"):
        return download
    page = Paginator(dossiers, 25).get_page(request.GET.get("page"))
    can_create = request.user.memberships.exists()
    return render(request, "evaluation/dossier_list.html", {
        "page": page, "status": status, "statuses": Dossier.Status.choices, "can_create": can_create,
        "is_officer": permissions.manages_province(request.user, request.user.province_id),
    })  # fmt: skip


@login_required
@once_per_form
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


def criteria_tree(
    dossier: Dossier, chosen: dict[int, Any], comments: dict[int, str] | None = None, evidence: list | None = None,
) -> list[dict]:  # fmt: skip
    """The criteria grouped by part and section, each leaf with its options, the current choice and the evidence
    the producer attached to it."""
    attached: dict[int, list] = {}
    for item in evidence or []:
        if item.criterion_id:
            attached.setdefault(item.criterion_id, []).append(item)
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
            "evidence": attached.get(criterion.pk, []),
        })  # fmt: skip
    for entry in parts.values():
        entry["sections"] = list(entry["sections"].values())
    return list(parts.values())


@login_required
def dossier_detail(request, pk: int):
    """Everything about one dossier, with the actions the user may take on it."""
    dossier = dossier_in_scope(request, pk)
    user = request.user
    own = permissions.acts_for(user, dossier.producer_id)
    seat = workflow.council_seat(dossier, user)
    actions = workflow.available_actions(dossier, user, seat=seat, own=own)
    editable = "self_assess" in actions
    if request.method == "POST" and editable:
        try:
            count = services.dossier_self_assess(dossier=dossier, choices=posted_choices(request), by=user)
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
    evidence = list(dossier.evidence.select_related("criterion"))
    tree = criteria_tree(dossier, chosen, evidence=evidence)
    leaves = [row["criterion"] for entry in tree for block in entry["sections"] for row in block["rows"]
              if not row["heading"]]  # fmt: skip
    return render(request, "evaluation/dossier_detail.html", {
        "dossier": dossier, "tree": tree, "editable": editable, "readonly": not editable,
        "own": own, "evidence": evidence, "events": dossier.events.select_related("by"),
        "result": result, "guidance": guidance, "evidence_form": EvidenceForm(criteria=leaves),
        "disputed": result.disputed_criteria if result and result.needs_discussion else [],
        "actions": actions, "precheck_form": PrecheckForm(), "seat": seat, "reopen_form": ReopenForm(),
        "member_names": {str(s.member.user_id): s.member.user.display_name
                         for s in dossier.sheets.select_related("member__user")},
    })  # fmt: skip


@require_POST
@login_required
def evidence_add(request, pk: int):
    dossier = dossier_in_scope(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        criterion = None
        if form.cleaned_data.get("criterion"):
            criterion = dossier.scoring_set.criteria.filter(pk=form.cleaned_data["criterion"]).first()
        return act_and_return(request, dossier, lambda: services.evidence_add(
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
    dossier = dossier_in_scope(request, pk)
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
    dossier = dossier_in_scope(request, pk)
    return act_and_return(request, dossier, lambda: services.dossier_submit(dossier=dossier, by=request.user),
                _("The dossier is submitted to the commune."))  # fmt: skip


@require_POST
@login_required
def dossier_precheck(request, pk: int):
    dossier = dossier_in_scope(request, pk)
    form = PrecheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to forward or return the dossier."))
        return redirect("evaluation:dossier-detail", pk=dossier.pk)
    data = form.cleaned_data
    return act_and_return(request, dossier, lambda: services.dossier_precheck(
        dossier=dossier, by=request.user, forward=data["decision"] == "forward",
        missing=data["missing"].splitlines(), reason=data["reason"],
    ), _("Forwarded: the dossier is now with the province's OCOP council.") if data["decision"] == "forward" else _(
        "Returned: the producer sees on the dossier what to complete, and can submit again."))  # fmt: skip
