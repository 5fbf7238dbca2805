"""Stamps pages: the public scan page (phone first, no sign-in) and its report form; the producers' and officers'
batches, series, labels, scans and signals."""

from __future__ import annotations

import functools
import re
import time
from dataclasses import replace
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.http import http_date
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from markupsafe import escape as markup_escape

from ocop.catalog.models import Product
from ocop.core import gs1
from ocop.core.addresses import address
from ocop.core.errors import ApplicationError, form_refused
from ocop.core.jinja import template as jinja_template
from ocop.core.middleware import client_ip, current_client_ip
from ocop.core.once import once_per_form
from ocop.geo.models import Province
from ocop.stamps import codes, counterfeit, labels, scanlog, selectors, services
from ocop.stamps.forms import BatchForm, CloseForm, CodeForm, LabelsForm, PlaceForm, ReportForm, SeriesForm
from ocop.stamps.models import Batch, CounterfeitReport, Scan, Stamp, StampSeries


def _base_url(request) -> str:
    return settings.OCOP_SITE_URL or request.build_absolute_uri("/").rstrip("/")


def _payload(request, batch: Batch):
    base, gtin, lot = _base_url(request), batch.product.gtin, batch.lot
    return lambda code: labels.stamp_url(base_url=base, code=code, gtin=gtin, lot=lot)


# --- Public: the scan page ------------------------------------------------------------------------------

_PROVINCE_OPTIONS: list = []


def _province_options():
    """The province choices of the scan page's place form, drawn once per process (the 34 provinces do not change
    while the site runs; a form widget would draw them at every scan)."""
    if not _PROVINCE_OPTIONS:
        provinces = Province.objects.order_by("sort_key").values_list("code", "name")
        _PROVINCE_OPTIONS.append(format_html_join("", '<option value="{}">{}</option>', provinces))
    return _PROVINCE_OPTIONS[0]


_LINKS: dict[str, str] = {}


def _links(code: str, product=None, certificate=None) -> dict[str, str]:
    """The scan page's addresses and static files, found once per process (the page is opened at every scan);
    the stamp's own addresses filled into patterns reversed once (`ocop.core.addresses`)."""
    if not _LINKS:
        from django.templatetags.static import static

        _LINKS.update(
            home=reverse("site:home"), language=reverse("set_language"), lookup=reverse("stamps:scan-lookup"),
            verify=reverse("certification:verify"), products=reverse("catalog:product-list"),
            css=static("css/site.css"), logo=static("img/logo.svg"), htmx=static("vendor/htmx.min.js"),
            script=static("js/scan.js"),
        )  # fmt: skip
    own = code or "-"
    links = {**_LINKS, "report": address("stamps:report", own), "place": address("stamps:scan-place", own)}
    if product is not None:
        links["product"] = address("site:product-detail", int(product.pk), product.slug)
        links["certificate"] = address("certification:verify-detail", certificate.verification_code)
    return links


def _sentences(result: counterfeit.ScanResult) -> dict[str, str]:
    """The scan page's sentences with numbers in them (plural forms), in the active language."""
    if result.stamp is None:
        return {}
    certificate, product = result.certificate, result.batch.product
    sentences = {
        "valid": ngettext("A %(n)s-star OCOP product; its certificate is valid until %(day)s.",
                          "A %(n)s-star OCOP product; its certificate is valid until %(day)s.", certificate.stars)
        % {"n": certificate.stars, "day": date_format(certificate.expires_on, "SHORT_DATE_FORMAT")},
        "stars": ngettext("%(n)s star", "%(n)s stars", certificate.stars) % {"n": certificate.stars},
        "newer": "",
        **_scan_sentences(result),
    }  # fmt: skip
    if product.certificate_status == "valid" and product.stars and product.stars != certificate.stars:
        sentences["newer"] = ngettext("The product now holds a newer %(n)s-star certificate.",
                                      "The product now holds a newer %(n)s-star certificate.", product.stars) % {
            "n": product.stars}  # fmt: skip
    return sentences


def _scan_sentences(result: counterfeit.ScanResult) -> dict[str, str]:
    """The sentences of this scan's count."""
    sentences = {"scans": ngettext("%(n)s time", "%(n)s times", result.scans) % {"n": result.scans}, "copied": ""}
    if result.copied:
        sentences["copied"] = ngettext(
            "This stamp has been scanned %(n)s time, in a way genuine packages are not (many times, far apart, or on "
            "another product). The product in your hands may carry a copied stamp.",
            "This stamp has been scanned %(n)s times, in a way genuine packages are not (many times, far apart, or on "
            "another product). The product in your hands may carry a copied stamp.", result.scans,
        ) % {"n": result.scans}  # fmt: skip
    return sentences


def _context(result: counterfeit.ScanResult, *, path: str) -> dict:
    product = result.batch.product if result.batch else None
    return {
        "result": result, "display": codes.display(result.code), "stamp": result.stamp, "batch": result.batch,
        "certificate": result.certificate, "product": product, "links": _links(result.code, product,
        result.certificate), "sentences": _sentences(result), "place_token": result.token,
        "province_options": _province_options(), "request": SimpleNamespace(path=path),
    }  # fmt: skip


# A stamp's page differs from the other stamps' of its batch only by the code, its serial, its count of scans and
# the scan's token. The page of a batch (in a state: status now and when made, copied or not, the address it was
# read from right or wrong, the language) is rendered once per process with holes for those, and each scan fills
# the holes. The key holds every value of the batch, product and certificate the page shows (counterfeit._lookup:
# `batch.key`), so a change to any of them is a new key: never a stale page.
_PAGES: dict[tuple, list[str]] = {}
_PAGES_MAX = 2048
_HOLE = re.compile(r"ZZOCOP([A-Z]+)ZZ")


def _hole(name: str) -> str:
    return f"ZZOCOP{name}ZZ"


def _page_html(result: counterfeit.ScanResult, *, path: str) -> str:
    template = jinja_template("stamps/scan.html")  # compiled once per process and language
    if result.stamp is None:
        return template.render(_context(result, path=path))
    key = (result.batch.key, result.status_now, result.status_when_made, result.copied, result.outcome,
           bool(result.token), get_language())  # fmt: skip
    page = _PAGES.get(key)
    if page is None:
        holes = replace(result, code=_hole("CODE"), token=_hole("TOKEN") if result.token else "")
        holes.stamp = SimpleNamespace(**{**vars(result.stamp), "serial": _hole("SERIAL")})
        context = _context(holes, path=_hole("PATH"))
        context["display"] = _hole("DISPLAY")
        context["sentences"].update(scans=_hole("SCANS"), copied=_hole("COPIED"))
        page = _HOLE.split(template.render(context))  # text, hole name, text, …
        if len(_PAGES) >= _PAGES_MAX:
            _PAGES.clear()
        _PAGES[key] = page
    # The code (a found stamp's: letters and digits), its serial and the token (this site's) need no escaping;
    # the address and the sentences do.
    sentences = _scan_sentences(result)
    values = {"CODE": result.code, "TOKEN": result.token, "SERIAL": str(result.stamp.serial),
              "DISPLAY": codes.display(result.code), "PATH": markup_escape(path),
              "SCANS": markup_escape(sentences["scans"]), "COPIED": markup_escape(sentences["copied"])}  # fmt: skip
    return "".join([values[part] if index % 2 else part for index, part in enumerate(page)])


_NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"  # what add_never_cache_headers writes


@functools.lru_cache(maxsize=2)
def _expires_at(second: int) -> str:
    return http_date(second)


def _expires() -> str:
    return _expires_at(int(time.time()))


def _scan_page(request, *, code: str, gtin: str = "", lot: str = "") -> HttpResponse:
    meta = request.META  # not request.headers: that parses every header, and three are read
    agent = counterfeit.agent_family(meta.get("HTTP_USER_AGENT", ""))
    if meta.get("HTTP_SEC_PURPOSE", "").startswith("prefetch") or meta.get("HTTP_PURPOSE") == "prefetch":
        agent = "bot"  # a browser fetching ahead is not a person scanning
    address = current_client_ip() or client_ip(request)  # the middleware's reading of the proxies' chain
    result = counterfeit.scan_take(code=code, gtin=gtin, lot=lot, network=counterfeit.network_of(address),
                                   agent=agent)  # fmt: skip
    response = HttpResponse(_page_html(result, path=request.path), status=200 if result.stamp else 404)
    response["Cache-Control"] = _NEVER_CACHE  # every opening is a scan, and the status is today's
    response["Expires"] = _expires()
    response["X-Robots-Tag"] = "noindex"
    response.scan_result = result  # type: ignore[attr-defined]  # what the page showed, for tests
    return response


@login_not_required
@require_GET
def scan(request, code: str):
    """/t/{code}: the stamp's product, batch, certificate now and when made, scans and warnings."""
    normalised = codes.normalise(code)
    if normalised != code and codes.CODE_PATTERN.match(normalised):
        return redirect("stamps:scan", code=normalised)  # typed with dashes or lower case: one address per stamp
    return _scan_page(request, code=normalised)


@login_not_required
@require_GET
def scan_gs1(request, gtin: str, lot: str, serial: str):
    """/01/{gtin}/10/{lot}/21/{serial}: the same page, reached from a GS1 Digital Link QR code."""
    return _scan_page(request, code=serial, gtin=gtin, lot=gs1.lot_from_path(lot))


@login_not_required
@require_GET
def scan_lookup(request):
    """Type the code printed under the QR code."""
    form = CodeForm(request.GET or None)
    if form.is_valid():
        return redirect("stamps:scan", code=codes.normalise(form.cleaned_data["ma"]) or "-")
    return render(request, "stamps/lookup.html", {"form": form}, status=400 if request.GET else 200)


@csrf_exempt  # the scan's random token is the key; all it can do is place that one scan, once, within the hour
@login_not_required
@require_POST
def scan_place(request, code: str):
    """The province a person chose, or the one nearest the position their browser granted (the position itself
    is not kept)."""
    form = PlaceForm(request.POST)
    found = scanlog.scan_by_token(form.cleaned_data["scan"], codes.normalise(code)) if form.is_valid() else None
    if found is None:
        return render(request, "stamps/_place.html", {"error": _("This scan can no longer be placed.")}, status=400)
    province, source = form.cleaned_data.get("province"), Scan.Source.CHOSEN
    if province is None and form.cleaned_data.get("lat") is not None and form.cleaned_data.get("lon") is not None:
        province = counterfeit.nearest_province(form.cleaned_data["lat"], form.cleaned_data["lon"],
                                                list(Province.objects.all()))  # fmt: skip
        source = Scan.Source.BROWSER
    if province is None:
        return render(request, "stamps/_place.html", {"error": _("Choose a province or city of Vietnam.")},
                      status=400)  # fmt: skip
    if services.scan_place(scan=found, province=province, source=source):
        counterfeit.place_check(found)
    return render(request, "stamps/_place.html", {"province": province})


@login_not_required
@require_http_methods(["GET", "POST"])
@once_per_form
def report(request, code: str):
    """ "Báo hàng giả": a consumer tells the producer and the OCOP office what looks wrong."""
    code = codes.normalise(code)
    stamp = (Stamp.objects.select_related("series__batch__product").filter(code=code).first()
             if codes.is_well_formed(code) else None)  # fmt: skip
    product = stamp.series.batch.product if stamp else None
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_submit(code=code, stamp=stamp, product=product, **form.cleaned_data)
        except ApplicationError as error:
            form_refused(form, error)
        else:
            messages.success(request, _("Thank you: the producer and the OCOP office have your report."))
            return redirect("stamps:report-sent")
    status = 400 if request.method == "POST" else 200
    return render(request, "stamps/report.html", {"form": form, "code": code, "display": codes.display(code),
                                                  "product": product}, status=status)  # fmt: skip


@login_not_required
@require_GET
def report_sent(request):
    return render(request, "stamps/report_sent.html")


# --- Signed in: batches, series, labels, signals ------------------------------------------------------------


def _require_stamps_user(request) -> None:
    if not request.user.has_perm("stamps.view_stamps"):
        raise PermissionDenied(_("Stamps are for producers and OCOP officers."))


@require_GET
def home(request):
    """The stamps dashboard: batches, scans by province and week, open signals and reports."""
    _require_stamps_user(request)
    batches = list(selectors.batches_for(request.user)[:50])
    context = {
        "batches": batches,
        "summary": selectors.scan_summary(Scan.objects.restrict(request.user)),
        "signals": list(selectors.open_signals(request.user)[:50]),
        "reports": list(selectors.open_reports(request.user)[:50]),
        "is_producer": request.user.role == "producer",
    }
    return render(request, "stamps/home.html", context)


@require_http_methods(["GET", "POST"])
@once_per_form
def batch_create(request):
    """Record a production batch of a certified product (then order its stamps)."""
    _require_stamps_user(request)
    raw = request.GET.get("san-pham") or request.POST.get("product") or ""
    product_id = int(raw) if raw.isdigit() and len(raw) < 12 else None
    products = selectors.products_for_batches(request.user, product_id=product_id if product_id else None)
    if product_id and not products:
        product = get_object_or_404(Product, pk=product_id)
        if not services.may_manage(request.user, product):
            raise PermissionDenied(_("Only the producer and the officers of its place manage its batches and stamps."))
    form = BatchForm(request.POST or None, products=products, initial={"product": str(product_id or "")})
    if request.method == "POST" and form.is_valid():
        product = next(p for p in products if str(p.pk) == form.cleaned_data["product"])
        fields = {k: form.cleaned_data[k] for k in ("lot", "produced_on", "best_before", "quantity")}
        try:
            batch = services.batch_create(product=product, by=request.user, **fields)
        except ApplicationError as error:
            if error.code == "forbidden":
                raise PermissionDenied(error.message) from None
            form_refused(form, error)
        else:
            messages.success(request, _("The batch is recorded: order its stamps below."))
            return redirect("stamps:batch-detail", pk=batch.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "stamps/batch_form.html", {"form": form, "products": products}, status=status)


def _batch_for(request, pk: int) -> Batch:
    batch = get_object_or_404(Batch.objects.restrict(request.user).select_related("product__producer", "certificate"),
                              pk=pk)  # fmt: skip
    return batch


@require_http_methods(["GET", "POST"])
@once_per_form
def batch_detail(request, pk: int):
    """A batch: its certificate, its series (labels to download) and the form to order more stamps."""
    _require_stamps_user(request)
    batch = _batch_for(request, pk)
    manager = services.may_manage(request.user, batch.product)
    form = SeriesForm(request.POST or None)
    if request.method == "POST":
        if not manager:
            raise PermissionDenied(_("Only the producer and the officers of its place manage its batches and stamps."))
        if form.is_valid():
            try:
                series = services.series_order(batch=batch, quantity=form.cleaned_data["quantity"], by=request.user)
            except ApplicationError as error:
                form_refused(form, error)
            else:
                if series.status == StampSeries.Status.READY:
                    messages.success(request, _("The stamps are ready: download the labels to print them."))
                else:
                    messages.success(request, _("The codes are being drawn; the labels can be downloaded in a few "
                                                "minutes."))  # fmt: skip
                return redirect("stamps:batch-detail", pk=batch.pk)
    context = {
        "batch": batch, "product": batch.product, "certificate": batch.certificate, "form": form,
        "series": selectors.series_of(batch), "manager": manager,
        "layouts": [(key, layout.label) for key, layout in labels.LAYOUTS.items()],
        "summary": selectors.scan_summary(Scan.objects.filter(stamp__series__batch=batch)),
    }  # fmt: skip
    return render(request, "stamps/batch_detail.html", context, status=400 if form.errors else 200)


def _series_for(request, pk: int) -> StampSeries:
    _require_stamps_user(request)
    series = get_object_or_404(
        StampSeries.objects.restrict(request.user).select_related("batch__product__producer", "batch__certificate"),
        pk=pk,
    )
    if not services.may_manage(request.user, series.batch.product):
        raise PermissionDenied(_("Only the producer and the officers of its place print its stamps."))
    if series.status != StampSeries.Status.READY:
        raise Http404(_("The codes of this series are not ready yet."))
    return series


def _stamps(series: StampSeries, first: int, last: int):
    return (
        Stamp.objects.filter(series=series, serial__gte=first, serial__lte=last)
        .order_by("serial")
        .values_list("serial", "code")
        .iterator(chunk_size=5000)
    )


def _range(request, series: StampSeries) -> tuple[LabelsForm, int, int]:
    form = LabelsForm(request.GET)
    if not form.is_valid():
        raise Http404(_("Unknown label sheet or stamp range."))
    first = form.cleaned_data.get("first") or 1
    last = min(form.cleaned_data.get("last") or series.quantity, series.quantity)
    if first > last:
        raise Http404(_("Unknown label sheet or stamp range."))
    return form, first, last


PDF_PART = 10_000  # labels per PDF file: what an office printer takes in one job


@require_GET
def labels_pdf(request, pk: int):
    """The label sheets of a series (or of stamps first…last), written page by page as they download."""
    series = _series_for(request, pk)
    form, first, last = _range(request, series)
    last = min(last, first + PDF_PART - 1)
    batch = series.batch
    text = labels.LabelText(product=batch.product.name, stars=batch.certificate.stars)
    layout = labels.LAYOUTS[form.cleaned_data["layout"] or labels.DEFAULT_LAYOUT]
    stream = labels.labels_pdf(_stamps(series, first, last), text=text, layout=layout,
                               payload=_payload(request, batch), sample_code="A" * codes.CODE_LENGTH)  # fmt: skip
    services.series_mark_printed(series=series, by=request.user)
    response = StreamingHttpResponse(stream, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tem-{batch.lot}-{series.number}-{first}-{last}.pdf"'
    return response


@require_GET
def labels_csv(request, pk: int):
    """Every stamp of a series as a CSV row (serial, code, QR content, …) for variable-data printers."""
    series = _series_for(request, pk)
    _form, first, last = _range(request, series)
    batch = series.batch
    stream = labels.labels_csv(
        _stamps(series, first, last), payload=_payload(request, batch), product=batch.product.name,
        gtin=batch.product.gtin, lot=batch.lot, produced_on=batch.produced_on.strftime("%d/%m/%Y"),
        best_before=batch.best_before.strftime("%d/%m/%Y") if batch.best_before else "", stars=batch.certificate.stars,
    )  # fmt: skip
    services.series_mark_printed(series=series, by=request.user)
    response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tem-{batch.lot}-{series.number}.csv"'
    return response


@require_POST
def signal_close(request, pk: int):
    _require_stamps_user(request)
    signal = get_object_or_404(selectors.open_signals(request.user), pk=pk)
    form = CloseForm(request.POST)
    form.is_valid()
    try:
        services.signal_close(signal=signal, by=request.user, note=form.cleaned_data.get("note", ""))
    except ApplicationError as error:
        raise PermissionDenied(error.message) from None
    messages.success(request, _("The signal is marked as handled."))
    return redirect(reverse("stamps:home") + "#signals")


@require_POST
def report_close(request, pk: int):
    _require_stamps_user(request)
    found = get_object_or_404(CounterfeitReport.objects.restrict(request.user).select_related("product"), pk=pk)
    form = CloseForm(request.POST)
    form.is_valid()
    try:
        services.report_close(report=found, by=request.user, note=form.cleaned_data.get("note", ""))
    except ApplicationError as error:
        raise PermissionDenied(error.message) from None
    messages.success(request, _("The report is marked as handled."))
    return redirect(reverse("stamps:home") + "#reports")
