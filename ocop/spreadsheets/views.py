"""Import pages for officers: upload a list, map its columns, check, import, fix the rejected rows."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import is_central
from ocop.accounts.scoping import area_of
from ocop.catalog.models import Category, Product
from ocop.catalog.services import product_update
from ocop.certification.models import Certificate
from ocop.certification.services import certificate_complete
from ocop.core.errors import ApplicationError
from ocop.core.once import once_per_form
from ocop.core.tabular import upload_on_disk
from ocop.core.text import slugify_vn
from ocop.geo.models import Commune, Province
from ocop.producers.models import Producer
from ocop.producers.services import producer_update
from ocop.spreadsheets.completion import GAPS, gap_querysets, group_suggestions, leaf_categories
from ocop.spreadsheets.forms import (
    CertificateCompletionForm,
    MappingForm,
    ProducerCommuneForm,
    ReviewForm,
    UploadForm,
)
from ocop.spreadsheets.models import ImportSession, ReviewItem
from ocop.spreadsheets.services import (
    import_session_set_mapping,
    import_session_store,
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
@once_per_form
def import_list(request):
    """The officer's imports, newest first, and the upload form."""
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            with upload_on_disk(upload) as path:
                session = import_session_store(
                    path=path, filename=upload.name, by=request.user,
                    province=form.cleaned_data["province"], year=form.cleaned_data["year"],
                    decision_number=form.cleaned_data["decision_number"] or "",
                    decision_date=form.cleaned_data["decision_date"],
                )  # fmt: skip
            import_start(session=session, action="read", by=request.user)  # read in the worker, never here
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("“%(name)s” is uploaded and being read. Then check its columns and its rows.")
                             % {"name": session.original_name})  # fmt: skip
            return redirect("spreadsheets:import-detail", pk=session.pk)
    sessions = ImportSession.objects.restrict(request.user).select_related("province", "created_by")
    page = Paginator(sessions, 25).get_page(request.GET.get("page"))
    return render(request, "spreadsheets/import_list.html", {"form": form, "page": page})


@permission_required("spreadsheets.add_importsession", raise_exception=True)
def import_detail(request, pk: int):
    """One import: its columns, what checking found, the progress of the background work, the rows to review."""
    session = _session_for(request, pk)
    editable = session.is_read and session.status in (
        ImportSession.Status.UPLOADED, ImportSession.Status.VALIDATED, ImportSession.Status.FAILED
    )  # fmt: skip
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
    samples = session.samples if editable else []
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
    if not session.rejected_file:  # checked before the workbook was kept: check again to write it
        messages.error(request, _("Check the file again to prepare the rejected rows."))
        return redirect("spreadsheets:import-detail", pk=session.pk)
    stem = slugify_vn(Path(session.original_name).stem[:60]) or "danh-sach"
    return FileResponse(session.rejected_file.open("rb"), as_attachment=True, filename=f"{stem}-loi.xlsx",
                        content_type=XLSX)  # fmt: skip


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
        import_start(session=session, action="review", by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The reviewed rows are being imported; they leave this list when done."))
    return redirect("spreadsheets:import-detail", pk=session.pk)


# ---------------------------------------------------------------------------------------------------------
# "Cần bổ sung": completing what imported lists left out.

PAGE_SIZE = 50


def _in_area(user, province_id: int | None) -> bool:
    area = area_of(user)
    return area is not None and (area.is_national or area.province_id == province_id)


def _chosen_province(request) -> Province | None:
    code = request.GET.get("tinh") or request.POST.get("tinh") or ""
    return Province.objects.filter(code=code).first() if code and is_central(request.user) else None


def _back(request, gap: str):
    """Back to the tab, province and page the form was sent from (the posted values encoded, never pasted)."""
    query = {"thieu": gap}
    for name in ("tinh", "page"):
        if request.POST.get(name):
            query[name] = request.POST[name][:20]
    return redirect(f"{reverse('spreadsheets:incomplete')}?{urlencode(query)}")


@permission_required("spreadsheets.add_importsession", raise_exception=True)
def incomplete(request):
    """Records an import left incomplete (unknown day, commune, group or issuer), a tab for each, to complete
    one by one here or by importing a file with the missing columns."""
    province = _chosen_province(request)
    querysets = gap_querysets(request.user, province_id=province.pk if province else None)
    counts = {key: queryset.count() for key, queryset in querysets.items()}
    gap = request.GET.get("thieu")
    if gap not in GAPS:
        gap = next((key for key in GAPS if counts[key]), "ngay")
    page = Paginator(querysets[gap], PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    context = {
        "gap": gap, "gaps": [(key, GAPS[key], counts[key]) for key in GAPS], "page": page, "rows": rows,
        "province": province, "provinces": Province.objects.order_by("sort_key") if is_central(request.user) else [],
        "certificate_form": CertificateCompletionForm(),
    }  # fmt: skip
    if gap == "nhom":
        suggestions = group_suggestions(rows)
        context["rows"] = [(product, suggestions.get(product.pk)) for product in rows]
        context["categories"] = list(leaf_categories())
    elif gap == "xa":
        communes: dict[int, list] = {}
        for commune in Commune.objects.filter(province_id__in={p.province_id for p in rows}).order_by("sort_key"):
            communes.setdefault(commune.province_id, []).append(commune)
        context["rows"] = [(producer, communes.get(producer.province_id, [])) for producer in rows]
    return render(request, "spreadsheets/incomplete.html", context)


def _complete(request, *, name: str, form, gap: str, save) -> HttpResponse:
    """One inline completion: the form's errors or the service's refusal as messages naming the record, else
    the completion and a confirmation; back to the same tab and page."""
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{name}: {error}")
        return _back(request, gap)
    try:
        save(form.cleaned_data)
    except ApplicationError as exc:
        messages.error(request, f"{name}: {exc.message}")
        return _back(request, gap)
    messages.success(request, _("%(name)s: completed.") % {"name": name})
    return _back(request, gap)


@require_POST
@permission_required("spreadsheets.add_importsession", raise_exception=True)
def incomplete_certificate(request, pk: int):
    """Complete a certificate's decision number, date or issuer."""
    certificate = get_object_or_404(Certificate.objects.select_related("product"), pk=pk)
    if not _in_area(request.user, certificate.province_id):
        raise PermissionDenied(_("This certificate belongs to another province."))
    return _complete(
        request, name=certificate.product.name, form=CertificateCompletionForm(request.POST),
        gap=request.POST.get("thieu") if request.POST.get("thieu") in GAPS else "ngay",
        save=lambda data: certificate_complete(certificate=certificate, by=request.user, **data),
    )  # fmt: skip


@require_POST
@permission_required("spreadsheets.add_importsession", raise_exception=True)
def incomplete_producer(request, pk: int):
    """Give a producer whose list named only a district or the province its commune."""
    producer = get_object_or_404(Producer, pk=pk)
    if not _in_area(request.user, producer.province_id):
        raise PermissionDenied(_("This producer belongs to another province."))
    return _complete(
        request, name=producer.name, form=ProducerCommuneForm(request.POST, province_id=producer.province_id),
        gap="xa", save=lambda data: producer_update(producer=producer, by=request.user, commune=data["commune"]),
    )  # fmt: skip


@require_POST
@permission_required("spreadsheets.add_importsession", raise_exception=True)
def incomplete_classify(request):
    """Classify products in bulk: for each row, the group chosen in its list, or its suggestion where the officer
    ticked "use the suggestion"; rows left alone stay unclassified."""
    leaves = {str(c.pk): c for c in leaf_categories()}
    ids = [int(value) for value in request.POST.getlist("product") if value.isdigit() and len(value) < 19]
    products = Product.objects.filter(pk__in=ids, category__isnull=True).select_related("producer")
    suggestions = group_suggestions(list(products))
    chosen: list[tuple[Product, Category]] = []
    for product in products:
        if not _in_area(request.user, product.province_id):
            raise PermissionDenied(_("This product belongs to another province."))
        value = request.POST.get(f"category-{product.pk}", "")
        if value and value not in leaves:
            messages.error(request, _("%(name)s: choose a product group from the list.") % {"name": product.name})
            continue
        category = leaves.get(value) or (
            suggestions.get(product.pk) if request.POST.get(f"accept-{product.pk}") == "1" else None
        )
        if category is not None:
            chosen.append((product, category))
    with transaction.atomic():
        for product, category in chosen:
            product_update(product=product, by=request.user, category=category)
    if chosen:
        messages.success(request, ngettext("%(n)s product classified.", "%(n)s products classified.", len(chosen))
                         % {"n": len(chosen)})  # fmt: skip
    else:
        messages.info(request, _("No product was classified: choose a group or tick a suggestion."))
    return _back(request, "nhom")


@permission_required("spreadsheets.add_importsession", raise_exception=True)
@once_per_form
def channel_import(request):
    """A trade-promotion office uploads its list of products on platforms, in supermarkets or exported; each row
    is applied or reported with its reason, and sending the same list again changes nothing."""
    from ocop.core.exporting import export_response
    from ocop.core.tabular import read_upload
    from ocop.spreadsheets.channels import MAX_BYTES, MAX_ROWS, SAMPLE_ROWS, ChannelSampleExporter, channels_import
    from ocop.spreadsheets.forms import ChannelImportForm

    if request.GET.get("mau") == "xlsx":
        return export_response(ChannelSampleExporter(SAMPLE_ROWS), "xlsx", "mau-danh-sach-kenh-ban")
    form = ChannelImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_upload(upload, max_rows=MAX_ROWS, max_bytes=MAX_BYTES).rows
            result = channels_import(rows=rows, by=request.user, default_kind=form.cleaned_data["default_kind"])
        except ApplicationError as exc:
            if exc.code == "forbidden":
                raise PermissionDenied(exc.message) from None
            form.add_error("file", exc.message)
    status = 400 if form.errors else 200
    return render(request, "spreadsheets/channel_import.html", {"form": form, "result": result}, status=status)
