"""The public site's pages that bring several apps together: the home page, product, producer and province
pages, open data, the sitemap and robots.txt, and the change history officers read."""

import json

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ocop.accounts.permissions import is_central, manages_location
from ocop.catalog.filters import ProductFilterForm
from ocop.catalog.models import Product
from ocop.catalog.selectors import (
    CERTIFIED,
    catalog_headline_counts,
    category_groups_with_counts,
    product_get_public,
    product_list_public,
    product_related,
    product_search,
    provinces_with_counts,
)
from ocop.catalog.versioning import catalog_version
from ocop.certification.exporters import ProductListExporter, products_for_export
from ocop.certification.selectors import product_certificates
from ocop.core.exporting import export_response
from ocop.core.models import AuditEntry
from ocop.geo.models import Province
from ocop.market.selectors import product_channels
from ocop.producers.models import Producer
from ocop.site.opendata import DATASETS, opendata_dir, opendata_files
from ocop.site.tasks import opendata_dump_task


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
    return render(request, "site/audit_trail.html", {"object": obj, "page": page, "label": label})


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
    return render(request, "site/producer_detail.html", {"producer": producer, "products": products})


@login_not_required
@require_GET
def product_detail(request, pk: int, slug: str):
    """A product's page: description, story, stars and certificate, producer, related products."""
    try:
        product = product_get_public(pk=pk)
    except Product.DoesNotExist:
        raise Http404 from None
    if slug != product.slug:
        return redirect("site:product-detail", pk=product.pk, slug=product.slug, permanent=True)
    # The page's body is the same for every visitor: it is rendered once per catalog version and language
    # (services bump the version on every change), while the header around it stays per user.
    key = f"catalog:product-page:{catalog_version()}:{get_language()}:{request.get_host()}:{product.pk}"
    parts = cache.get(key)
    if parts is None:
        certificates = product_certificates(product=product)
        images = list(product.images.all())
        context = {
            "product": product,
            "certificate": certificates[0] if certificates else None,
            "history": certificates[1:],
            "images": images,
            "json_ld": _product_json_ld(request, product, certificates[0] if certificates else None, images),
            "related": product_related(product=product),
            "channels": product_channels(product=product),
            "materials": list(product.materials.all()),
        }
        parts = {
            "meta": render_to_string("site/_product_meta.html", context, request=request),
            "body": render_to_string("site/_product_body.html", context, request=request),
        }
        cache.set(key, parts, 600)
    return render(request, "site/product_detail.html", {"product": product, **parts})


def _product_json_ld(request, product: Product, certificate, images) -> str:
    """schema.org Product data for search engines, escaped for a <script> element."""
    url = request.build_absolute_uri(reverse("site:product-detail", args=[product.pk, product.slug]))
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "description": product.description,
        "url": url,
        "category": product.category.name if product.category is not None else "",
        "brand": {"@type": "Organization", "name": product.producer.name},
        "countryOfOrigin": "VN",
    }
    if images:
        data["image"] = [request.build_absolute_uri(image.image.url) for image in images]
    if product.price_min:
        data["offers"] = {
            "@type": "AggregateOffer",
            "priceCurrency": "VND",
            "lowPrice": product.price_min,
            "highPrice": product.price_max or product.price_min,
        }
    if certificate is not None:
        data["award"] = f"OCOP {certificate.stars}★ ({certificate.number})"
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S308


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
