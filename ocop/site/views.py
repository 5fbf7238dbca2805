"""The public site's pages that bring several apps together: the home page, product, producer and province
pages, open data, the sitemap and robots.txt, and the change history officers read."""

import json

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocop.accounts.permissions import is_central, is_officer, manages_location
from ocop.catalog.filters import ProductFilterForm
from ocop.catalog.models import Product
from ocop.catalog.selectors import (
    CERTIFIED,
    catalog_headline_counts,
    category_groups_with_counts,
    product_list_public,
    product_search,
    provinces_with_counts,
)
from ocop.catalog.versioning import KEY as CATALOG_VERSION
from ocop.certification.exporters import ProductListExporter, products_for_export
from ocop.core.errors import form_refused
from ocop.core.exporting import export_response
from ocop.core.models import AuditEntry
from ocop.core.pagecache import mark_public, public_page
from ocop.evaluation.selectors import dossier_list
from ocop.geo.models import Province
from ocop.market.models import BoothBooking
from ocop.market.selectors import inquiries_for
from ocop.office.selectors import inspections_of_producers, support_shown_to
from ocop.producers.models import Producer
from ocop.producers.services import producer_update
from ocop.site.opendata import DATASETS, opendata_dir, opendata_files
from ocop.site.product_page import anonymous_html, page_parts, product_page
from ocop.site.tasks import opendata_dump_task


@public_page(CATALOG_VERSION)
@login_not_required
@require_GET
def home(request):
    """The public front page: search, headline figures, featured and newest products, browse."""
    certified = product_list_public().filter(CERTIFIED)
    context = {
        "counts": catalog_headline_counts(),
        "featured": list(certified.filter(stars=5).order_by("-certified_on", "id")[:4]),
        "newest": list(certified.order_by("-certified_on", "-id")[:8]),
        "groups": category_groups_with_counts(),
        "provinces": provinces_with_counts(),
    }
    return render(request, "site/home.html", context)


@login_not_required
@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /quan-tri/", "Disallow: /tai-khoan/", "Disallow: /verify/", "Allow: /"]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('site:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# The objects whose change history officers may read, by "app_label.model".
AUDITED = {
    "evaluation.dossier", "certification.certificate", "catalog.product", "producers.producer",
    "evaluation.recognitiondecision", "evaluation.scoresheet", "market.inquiry", "market.boothbooking",
}  # fmt: skip


@require_GET
def audit_trail(request, label: str, pk: int):
    """Who changed an object, when, what and from where: read-only, for the officers answering for it."""
    if label not in AUDITED:
        raise Http404
    model = apps.get_model(label)
    obj = get_object_or_404(model, pk=pk)
    if not manages_location.test(request.user, obj):
        raise PermissionDenied(_("The change history is for the officers responsible for this record."))
    entries = AuditEntry.objects.filter(object_type=label, object_id=str(pk)).select_related("actor")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page.object_list:  # each change as "Field label: old → new"
        entry.change_rows = [(_field_label(model, name), *_old_new(change)) for name, change in entry.changes.items()]  # type: ignore[attr-defined]
    return render(request, "site/audit_trail.html", {"object": obj, "page": page, "label": label})


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except Exception:  # a field since removed, or a note that is not a field ("photo")
        return {"photo": _("Photo")}.get(name, name.replace("_", " ").capitalize())


def _old_new(change) -> tuple[str, str]:
    if isinstance(change, list | tuple) and len(change) == 2:
        return tuple("—" if value in (None, "") else str(value) for value in change)  # type: ignore[return-value]
    return "", str(change)


@login_not_required
@require_GET
def province_list(request):
    """Today's 34 provinces with their certified products."""
    return render(request, "site/province_list.html", {"provinces": provinces_with_counts()})


@login_not_required
@require_GET
def province_detail(request, slug: str):
    """A province's page: headline figures and its certified products."""
    province = get_object_or_404(Province, slug=slug)
    figures = Product.objects.filter(CERTIFIED, producer__province=province).aggregate(
        products=Count("id"),
        producers=Count("producer_id", distinct=True),
        three=Count("id", filter=Q(stars=3)),
        four=Count("id", filter=Q(stars=4)),
        five=Count("id", filter=Q(stars=5)),
    )
    products = product_list_public().filter(CERTIFIED, producer__province=province)
    page = Paginator(products.order_by("-stars", "-certified_on", "id"), 24).get_page(request.GET.get("page"))
    predecessors = list(province.predecessors.order_by("sort_key"))
    context = {"province": province, "figures": figures, "page": page, "predecessors": predecessors}
    return render(request, "site/province_detail.html", context)


@public_page(CATALOG_VERSION)
@login_not_required
@require_GET
def producer_detail(request, pk: int, slug: str):
    """A producer's public page: contact, address and every product it has in the programme."""
    try:
        producer = Producer.objects.select_related("province", "commune", "legacy_province", "legacy_district").get(
            pk=pk
        )
    except Producer.DoesNotExist:
        raise Http404 from None
    if slug != producer.slug:
        return redirect("site:producer-detail", pk=producer.pk, slug=producer.slug, permanent=True)
    products = list(product_list_public().filter(producer=producer).order_by("-stars", "sort_key"))
    return render(
        request,
        "site/producer_detail.html",
        {"producer": producer, "products": products, "support": support_shown_to(request.user, producer=producer)},
    )


@login_not_required
@require_GET
def product_detail(request, pk: int, slug: str):
    """A product's page: description, story, stars and certificate, producer, related products.

    Read in one statement and drawn by Jinja2 (`ocop.site.product_page`): every product's page is often a first
    render, so it is not stored; an anonymous visitor's header and footer come from a frame rendered once."""
    page = product_page(pk)
    if page is None:
        raise Http404
    if slug != page.product.slug:
        return redirect("site:product-detail", pk=pk, slug=page.product.slug, permanent=True)
    parts = page_parts(page, base=f"{request.scheme}://{request.get_host()}")
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies:
        html = anonymous_html(parts, path=request.get_full_path(), query=request.GET.get("q", ""))
        return mark_public(HttpResponse(html))
    context = {
        "title": parts["title"],
        "description": parts["description"],
        "meta": mark_safe(parts["meta"]),  # noqa: S308 - Jinja2's autoescaped output
        "body": mark_safe(parts["body"]),  # noqa: S308
        "support": support_shown_to(request.user, product=Product(pk=pk, producer_id=page.product.producer.pk)),
    }
    return render(request, "site/product_detail.html", context)


@login_not_required
@require_GET
def opendata_index(request):
    """The open data sets: what each holds, its files, sizes and date, and the data dictionary."""
    catalog = _opendata_catalog()
    published = {d["dct:identifier"]: d for d in (catalog or {}).get("dcat:dataset", [])}
    datasets = []
    for dataset in DATASETS:
        entry = published.get(dataset.name, {})
        files = [
            {
                "name": f"{dataset.name}.{fmt}",
                "bytes": dist.get("dcat:byteSize"),
                "rows": dist.get("ocop:rows"),
            }
            for fmt, dist in zip(("csv", "jsonl"), entry.get("dcat:distribution", []), strict=False)
        ]
        datasets.append({"dataset": dataset, "files": files})
    modified = parse_datetime(catalog["dct:modified"]) if catalog else None
    context = {"datasets": datasets, "modified": modified, "may_refresh": is_central(request.user)}
    return render(request, "site/opendata.html", context)


def _opendata_catalog() -> dict | None:
    path = opendata_dir() / "catalog.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@login_not_required
@require_GET
def opendata_file(request, name: str):
    """One open data file, at a stable address; only the published names are served."""
    if name not in opendata_files():
        raise Http404
    path = opendata_dir() / name
    if not path.exists():
        raise Http404
    kind = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}.get(
        name.rsplit(".", 1)[1], "application/json; charset=utf-8"
    )
    response = FileResponse(path.open("rb"), content_type=kind, as_attachment=not name.endswith(".json"))
    response["Last-Modified"] = http_date(path.stat().st_mtime)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_POST
def opendata_refresh(request):
    """The central office regenerates the open data now (a background task)."""
    if not is_central(request.user):
        raise PermissionDenied
    opendata_dump_task.enqueue()
    messages.success(request, _("The open data files are being regenerated; reload this page in a minute."))
    return redirect("site:opendata-index")


EXPORT_LIMIT = 200_000


@login_not_required
@require_GET
def product_export(request, fmt: str):
    """The products of a search, with the same filters, as the .xlsx or .csv provinces publish."""
    result = product_search(filters=ProductFilterForm(request.GET).valid_filters())
    exporter = ProductListExporter(products_for_export(result.ids(limit=EXPORT_LIMIT)))
    return export_response(exporter, fmt, f"san-pham-ocop-{timezone.localdate():%Y%m%d}")


# --- The producer's workspace ---------------------------------------------------------------------------------


class ProducerProfileForm(forms.ModelForm):
    """What a producer keeps up to date itself; its name, legal form and tax code are the officers' to change."""

    class Meta:
        model = Producer
        fields = ["name", "kind", "tax_code", "representative", "phone", "email", "website", "address", "founded_on",
                  "members", "description"]  # fmt: skip
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 5000}),
        }

    def __init__(self, *args, officer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not officer:
            for name in ("name", "kind", "tax_code"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Your commune or province office changes this.")


def _workspace_producers(user) -> list[Producer]:
    return list(
        Producer.objects.filter(memberships__user=user).select_related("province", "commune").order_by("sort_key")
    )


@require_GET
def workspace(request):
    """A producer's own place: its profile, products (with photos), dossiers, inquiries and booth requests."""
    if request.user.role != "producer":
        raise PermissionDenied(_("The workspace is the producers' page; your work page is elsewhere."))
    producers = _workspace_producers(request.user)
    ids = [producer.pk for producer in producers]
    products = list(
        Product.objects.filter(producer_id__in=ids).exclude(status=Product.Status.DRAFT)
        .only("id", "name", "slug", "stars", "certificate_status", "status", "cover", "producer_id", "price_min",
              "updated_at")
        .annotate(photos=Count("images"))
        .order_by("sort_key")
    )  # fmt: skip
    dossiers = list(dossier_list(user=request.user).filter(producer_id__in=ids)[:20])
    inquiries = list(inquiries_for(user=request.user).filter(producer_id__in=ids)[:10])
    booths = list(
        BoothBooking.objects.filter(producer_id__in=ids).select_related("booth_type__fair").order_by("-created_at")[:10]
    )
    context = {
        "producers": producers, "products": products, "dossiers": dossiers, "inquiries": inquiries, "booths": booths,
        "inspections": inspections_of_producers(ids),
        "open_inquiries": sum(1 for inquiry in inquiries if inquiry.status == "open"),
    }  # fmt: skip
    return render(request, "site/workspace.html", context)


@require_http_methods(["GET", "POST"])
def workspace_producer(request, pk: int):
    """Edit a producer's profile (its members and the officers of its place)."""
    producer = get_object_or_404(Producer.objects.select_related("province", "commune"), pk=pk)
    if not request.user.has_perm("producers.change_producer", producer):
        raise PermissionDenied(_("Only the producer's own accounts and the officers of its place edit its profile."))
    officer = is_officer(request.user)
    form = ProducerProfileForm(request.POST or None, instance=Producer.objects.get(pk=pk), officer=officer)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data if not form.fields[name].disabled}
        try:
            producer_update(producer=producer, by=request.user, **fields)
        except ValidationError as error:
            form_refused(form, error)
        else:
            messages.success(request, _("Saved: the producer's page shows the changes now."))
            return redirect("site:workspace-producer", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "site/workspace_producer.html", {"producer": producer, "form": form}, status=status)


@require_GET
def design_system(request):
    """The catalogue of every component the stylesheet draws (for the team; signed-in accounts only)."""
    return render(request, "site/design_system.html")
