"""Pages of the criteria sets: the list, one set, its spreadsheet round trip."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ocop.core.errors import ApplicationError
from ocop.evaluation import permissions, services
from ocop.evaluation.models import Dossier
from ocop.evaluation.views.dossiers import criteria_tree

CRITERIA_SHEET_ROWS = 2_000  # the longest official set has about 60 criteria lines
CRITERIA_SHEET_BYTES = 2 * 1024 * 1024


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

    from ocop.core.tabular import read_upload
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
            try:
                # A criteria sheet is a few dozen rows: read here, within bounds that keep the request small.
                rows = read_upload(upload, max_rows=CRITERIA_SHEET_ROWS, max_bytes=CRITERIA_SHEET_BYTES).rows
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
        "set": criteria_set, "tree": criteria_tree(placeholder, {}), "readonly": True, "error": error,
        "may_revise": permissions.may_revise_criteria(request.user),
    })  # fmt: skip
