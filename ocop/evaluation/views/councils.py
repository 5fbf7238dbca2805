"""Pages of rounds, councils, score sheets and decisions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.models import User
from ocop.core.errors import ApplicationError
from ocop.evaluation import permissions, selectors, services
from ocop.evaluation.forms import (
    CouncilForm,
    DecisionForm,
    ReopenForm,
    RoundForm,
)
from ocop.evaluation.models import Council, CouncilMember, Dossier, EvaluationRound, ScoreSheet
from ocop.evaluation.scoring import sheet_total
from ocop.evaluation.views.dossiers import act_and_return, criteria_tree, dossier_in_scope, posted_choices


@login_required
def scoresheet(request, pk: int):
    """A council member's own sheet: one option (and a comment) per criterion; save, then finalise."""
    dossier = dossier_in_scope(request, pk)
    try:
        sheet = services.scoresheet_get_or_create(dossier=dossier, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("evaluation:dossier-detail", pk=dossier.pk)
    if request.method == "POST":
        try:
            choices = posted_choices(request)
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
    tree = criteria_tree(
        dossier, {k: v.option_id for k, v in scores.items()}, {k: v.comment for k, v in scores.items()},
        evidence=list(dossier.evidence.all()),
    )  # fmt: skip
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
    dossier = dossier_in_scope(request, pk)
    reason = ReopenForm(request.POST).data.get("reason", "")
    return act_and_return(
        request, dossier, lambda: services.scoresheets_reopen(dossier=dossier, by=request.user, reason=reason),
        _("The sheets are open again for re-scoring."),
    )  # fmt: skip


@require_POST
@login_required
def dossier_propose(request, pk: int):
    dossier = dossier_in_scope(request, pk)
    return act_and_return(request, dossier, lambda: services.dossier_propose_central(dossier=dossier, by=request.user),
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
