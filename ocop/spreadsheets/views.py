"""Import pages for officers: upload a list, map its columns, check, import, fix the rejected rows."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.core.errors import ApplicationError
from ocop.core.storage import local_path
from ocop.core.text import slugify_vn
from ocop.spreadsheets import coercion
from ocop.spreadsheets.exporters import RejectedRowsExporter
from ocop.spreadsheets.forms import MappingForm, ReviewForm, UploadForm
from ocop.spreadsheets.models import ImportSession, ReviewItem
from ocop.spreadsheets.services import (
    import_commit_reviewed,
    import_session_create,
    import_session_set_mapping,
    rejected_rows,
    review_item_resolve,
)
from ocop.spreadsheets.tasks import import_start

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _session_for(request, pk: int) -> ImportSession:
    session = get_object_or_404(ImportSession.objects.select_related("province", "created_by"), pk=pk)
    if not request.user.has_perm("spreadsheets.view_importsession", session):
        raise PermissionDenied(_("This import belongs to another province."))
    return session


@permission_required("spreadsheets.add_importsession", raise_exception=True)
def import_list(request):
    """The officer's imports, newest first, and the upload form."""
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "upload"
                with open(path, "wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                session = import_session_create(
                    path=path, filename=upload.name, by=request.user,
                    province=form.cleaned_data["province"], year=form.cleaned_data["year"],
                    decision_number=form.cleaned_data["decision_number"] or "",
                    decision_date=form.cleaned_data["decision_date"],
                )  # fmt: skip
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("“%(name)s” is uploaded. Check the columns, then check the rows.")
                             % {"name": session.original_name})  # fmt: skip
            return redirect("spreadsheets:import-detail", pk=session.pk)
    sessions = ImportSession.objects.restrict(request.user).select_related("province", "created_by")
    page = Paginator(sessions, 25).get_page(request.GET.get("page"))
    return render(request, "spreadsheets/import_list.html", {"form": form, "page": page})


@permission_required("spreadsheets.add_importsession", raise_exception=True)
def import_detail(request, pk: int):
    """One import: its columns, what checking found, the progress of the background work, the rows to review."""
    session = _session_for(request, pk)
    editable = session.status in (ImportSession.Status.UPLOADED, ImportSession.Status.VALIDATED,
                                  ImportSession.Status.FAILED)  # fmt: skip
    form = MappingForm(request.POST or None, headers=session.headers, mapping=session.mapping)
    if request.method == "POST":
        if not editable:
            messages.error(request, _("The columns cannot be changed while the file is being imported or after."))
            return redirect("spreadsheets:import-detail", pk=session.pk)
        if form.is_valid():
            try:
                import_session_set_mapping(session=session, mapping=form.mapping(), by=request.user)
                import_start(session=session, action="check", by=request.user)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("spreadsheets:import-detail", pk=session.pk)
    review = session.review_items.prefetch_related("candidates__province").select_related("resolved_commune")
    samples = _samples(session) if editable else []
    columns = [
        (form[f"col_{index}"], [row[index] for row in samples if index < len(row) and row[index]])
        for index in range(len(session.headers))
    ]
    return render(
        request,
        "spreadsheets/import_detail.html",
        {
            "session": session, "form": form, "editable": editable, "columns": columns,
            "review_items": review[:100], "review_total": session.counts.get("review", 0),
        },
    )  # fmt: skip


def _samples(session: ImportSession) -> list[list[str]]:
    """The first data rows under the header, so the officer sees what each column holds."""
    from ocop.core.tabular import read_table

    try:
        with local_path(session.file) as path:
            table = read_table(path, session.original_name)
    except (ApplicationError, OSError):
        return []
    rows = table.rows[session.header_row + 1 : session.header_row + 4]
    return [[coercion.text(value)[:60] for value in row] for row in rows]  # 2021.0 read from Excel shows "2021"


@permission_required("spreadsheets.add_importsession", raise_exception=True)
def import_progress(request, pk: int):
    """The progress fragment: polled by htmx while the background task runs, then the full result."""
    session = _session_for(request, pk)
    response = render(request, "spreadsheets/_progress.html", {"session": session})
    if not session.is_running and request.htmx:
        response["HX-Refresh"] = "true"  # the outcome changes the whole page: counts, rejected rows, buttons
    return response


@require_POST
@permission_required("spreadsheets.add_importsession", raise_exception=True)
def import_action(request, pk: int, action: str):
    """Start checking again, or import the checked file (both in the background)."""
    session = _session_for(request, pk)
    try:
        import_start(session=session, action=action, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("spreadsheets:import-detail", pk=session.pk)


@permission_required("spreadsheets.add_importsession", raise_exception=True)
def import_rejected(request, pk: int):
    """The rejected rows as they were, with a “Lỗi” column, to fix and import again."""
    session = _session_for(request, pk)
    if session.status not in (ImportSession.Status.VALIDATED, ImportSession.Status.COMMITTED):
        messages.error(request, _("Check the file first."))
        return redirect("spreadsheets:import-detail", pk=session.pk)
    headers, rows = rejected_rows(session=session)
    stem = Path(session.original_name).stem[:60] or "danh-sach"
    response = HttpResponse(RejectedRowsExporter(headers, rows).to_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{slugify_vn(stem) or "danh-sach"}-loi.xlsx"'
    return response


@require_POST
@permission_required("spreadsheets.add_importsession", raise_exception=True)
def review_resolve(request, pk: int, item_pk: int):
    """Choose the commune of a row whose former commune was split."""
    session = _session_for(request, pk)
    item = get_object_or_404(ReviewItem, pk=item_pk, session=session)
    form = ReviewForm(request.POST, item=item)
    if form.is_valid():
        try:
            review_item_resolve(item=item, commune=form.cleaned_data["commune"], by=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Row %(row)s: choose one of the communes listed.") % {"row": item.row_number})
    return redirect("spreadsheets:import-detail", pk=session.pk)


@require_POST
@permission_required("spreadsheets.add_importsession", raise_exception=True)
def review_commit(request, pk: int):
    """Import the reviewed rows."""
    session = _session_for(request, pk)
    try:
        counts = import_commit_reviewed(session=session, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Reviewed rows imported: %(new)s new, %(updated)s updated, %(unchanged)s "
                                    "unchanged.") % counts)  # fmt: skip
    return redirect("spreadsheets:import-detail", pk=session.pk)
