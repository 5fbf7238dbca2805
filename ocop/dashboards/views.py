"""Dashboards: public ones for the nation and each unit, the officers' own, reports."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ocop.certification.exporters import ProductListExporter, products_for_export
from ocop.core.exporting import export_response
from ocop.core.text import slugify_vn
from ocop.dashboards import charts
from ocop.dashboards.annual import annual_docx, annual_pdf, annual_report
from ocop.dashboards.cartogram import cartogram
from ocop.dashboards.forms import PeriodForm
from ocop.dashboards.narrative import narrative
from ocop.dashboards.permissions import backoffice_scope
from ocop.dashboards.reports import report_pdf, report_xlsx
from ocop.dashboards.selectors import STARS, certified_product_ids, dashboard_stats, dossier_stats_by_status
from ocop.evaluation.models import Dossier
from ocop.geo.models import Commune, LegacyProvince, Province
from ocop.geo.scope import COMMUNE, LEGACY_PROVINCE, NATION, PROVINCE, Scope
from ocop.office.forms import AnnualReportForm
from ocop.spreadsheets.completion import gap_counts

EXPORT_LIMIT = 200_000


def _scope(kind: str, key: str | None, former: bool) -> Scope:
    if kind == PROVINCE:
        return Scope.of(get_object_or_404(Province, slug=key))
    if kind == LEGACY_PROVINCE:
        return Scope.of(get_object_or_404(LegacyProvince, code=key))
    if kind == COMMUNE:
        return Scope.of(get_object_or_404(Commune.objects.select_related("province"), code=key))
    return Scope.nation(former=former)


def _charts(d) -> dict:
    star_series = lambda rows, get: [  # noqa: E731
        charts.Series(f"{s}★", charts.STAR_COLOURS[s], [get(r, s) for r in rows]) for s in sorted(STARS)
    ]
    c = d.certified
    out = {
        "by_year": charts.vertical_bars(
            _("Certificates issued per year"),
            [str(y.year) for y in d.by_year],
            star_series(d.by_year, lambda y, s: y.stars[s]),
        ),
        "groups": charts.horizontal_bars(
            _("Products by group"),
            [g.label for g in c.groups],
            [charts.Series(_("Products"), charts.BAR_COLOUR, [g.products for g in c.groups])],
            label_width=260,
        ),
    }
    areas = [a for a in c.areas if a.products] if d.scope.kind != NATION else c.areas
    if areas:
        out["areas"] = charts.horizontal_bars(
            _("Products by stars and area"),
            [a.name for a in areas],
            star_series(areas, lambda a, s: a.stars.get(s, 0)),
        )
    return out


def _area_link(scope: Scope, area) -> str:
    if not area.id or not area.slug:
        return ""
    if scope.area_kind == PROVINCE:
        return reverse("dashboards:province", args=[area.slug])
    if scope.area_kind == LEGACY_PROVINCE:
        return reverse("dashboards:legacy-province", args=[area.slug])
    return reverse("dashboards:commune", args=[area.slug])


def _context(request, form: PeriodForm, scope: Scope, on: dt.date, year: int) -> dict:
    d = dashboard_stats(scope=scope, on=on, year=year)
    for area in d.certified.areas:
        area.url = _area_link(scope, area)  # type: ignore[attr-defined]
    query = request.GET.urlencode()
    return {
        "form": form,
        "d": d,
        "scope": scope,
        "summary_vi": narrative(d, language="vi"),
        "summary_en": narrative(d, language="en"),
        "charts": _charts(d),
        "tiles": cartogram(d.certified.areas) if scope.kind == NATION and not scope.former else [],
        "query": f"?{query}" if query else "",
        "stars": sorted(STARS),
        "is_today": on == timezone.localdate(),
    }


def _period(request, scope_kind: str, key: str | None) -> tuple[PeriodForm, Scope, dt.date, int]:
    form = PeriodForm(request.GET or None)
    on, year, former = form.period()
    return form, _scope(scope_kind, key, former), on, year


@login_not_required
@require_GET
def dashboard(request, scope_kind: str = NATION, key: str | None = None):
    """The public dashboard of the nation, a province (today's or former) or a commune."""
    form, scope, on, year = _period(request, scope_kind, key)
    context = _context(request, form, scope, on, year)
    context["base_path"] = request.path
    return render(request, "dashboards/dashboard.html", context)


@login_not_required
@require_GET
def report(request, fmt: str, scope_kind: str = NATION, key: str | None = None):
    """The dashboard as an .xlsx workbook or a PDF, for the same scope and period."""
    _form, scope, on, year = _period(request, scope_kind, key)
    d = dashboard_stats(scope=scope, on=on, year=year)
    stem = f"thong-ke-ocop-{slugify_vn(scope.name)}-{on:%Y%m%d}"
    if fmt == "pdf":
        response = HttpResponse(report_pdf(d), content_type="application/pdf")
    else:
        response = HttpResponse(
            report_xlsx(d), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@login_not_required
@require_GET
def products_export(request, fmt: str, scope_kind: str = NATION, key: str | None = None):
    """The products the dashboard counts (valid certificate on the date, in the scope; optionally one
    level with ?sao=), as the list provinces publish, in .xlsx or .csv."""
    _form, scope, on, _year = _period(request, scope_kind, key)
    stars = request.GET.get("sao", "")
    ids = certified_product_ids(scope=scope, on=on, stars=int(stars) if stars in {"3", "4", "5"} else None,
                                limit=EXPORT_LIMIT)  # fmt: skip
    exporter = ProductListExporter(products_for_export(ids))
    return export_response(exporter, fmt, f"san-pham-ocop-{slugify_vn(scope.name)}-{on:%Y%m%d}")


@require_GET
def backoffice(request):
    """An officer's own dashboard: their unit's figures, the dossiers in progress and links to act."""
    scope = backoffice_scope(request.user)
    if scope is None:
        raise PermissionDenied(_("This dashboard is for OCOP officers."))
    form = PeriodForm(request.GET or None)
    on, year, _former = form.period()
    context = _context(request, form, scope, on, year)
    labels = dict(Dossier.Status.choices)
    counts = dossier_stats_by_status(scope=scope)
    context["pipeline"] = [(labels[s], counts.get(s, 0)) for s in Dossier.Status.values]
    context["base_path"] = _public_path(scope)
    context["backoffice"] = True
    if request.user.has_perm("spreadsheets.add_importsession"):  # those who import complete what lists left out
        province_id = scope.unit_id if scope.kind == PROVINCE else None
        context["gaps"] = gap_counts(request.user, province_id=province_id)
        context["gaps_province"] = scope.unit.code if scope.kind == PROVINCE else ""
    return render(request, "dashboards/dashboard.html", context)


def _public_path(scope: Scope) -> str:
    if scope.kind == PROVINCE:
        return reverse("dashboards:province", args=[scope.unit.slug])
    if scope.kind == COMMUNE:
        return reverse("dashboards:commune", args=[scope.unit.code])
    return reverse("dashboards:nation")


@require_GET
def annual(request):
    """ "Báo cáo kết quả thực hiện Chương trình OCOP năm N" for the nation, a province or a former province: the
    page shows it, `dinh-dang=docx|pdf` downloads it (officers; the figures are those of the statistics)."""
    if not request.user.has_perm("office.view_office"):
        raise PermissionDenied(_("The annual report is prepared by OCOP officers."))
    scope = backoffice_scope(request.user)
    initial = {"nam": timezone.localdate().year - 1}
    if scope is not None and scope.kind == PROVINCE:
        initial["tinh"] = scope.unit.slug
    form = AnnualReportForm(request.GET if "nam" in request.GET else None, initial=initial)
    report = None
    if form.is_bound:
        if not form.is_valid():
            return render(request, "dashboards/annual.html", {"form": form}, status=400)
        data = form.cleaned_data
        chosen = Scope.of(data["tinh"]) if data.get("tinh") else Scope.of(data["tinh_cu"]) if data.get(
            "tinh_cu") else Scope.nation()  # fmt: skip
        report = annual_report(scope=chosen, year=data["nam"])
        fmt = request.GET.get("dinh-dang")
        if fmt == "docx":
            return _download(
                annual_docx(report),
                report.filename("docx"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
        if fmt == "pdf":
            return _download(annual_pdf(report), report.filename("pdf"), "application/pdf")
    return render(request, "dashboards/annual.html", {"form": form, "report": report})


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
