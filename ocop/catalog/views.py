import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ocop.accounts.permissions import is_central
from ocop.catalog.filters import ProductFilterForm
from ocop.catalog.models import Category, Product, Regime
from ocop.catalog.opendata import DATASETS, opendata_dir, opendata_files
from ocop.catalog.selectors import (
    CERTIFIED,
    RESULT_CAP,
    product_certificates,
    product_facets,
    product_get_public,
    product_list_public,
    product_related,
    product_search,
)
from ocop.catalog.tasks import opendata_dump_task
from ocop.catalog.versioning import catalog_version
from ocop.market.selectors import product_channels
from ocop.spreadsheets.exporters import ProductListExporter, export_response, products_for_export

PAGE_SIZE = 24


class CappedPaginator(Paginator):
    """Pages over at most RESULT_CAP results of a search, counted without a full COUNT(*)."""

    @cached_property
    def count(self) -> int:
        return len(self.object_list)


FACET_PARAMS = (*ProductFilterForm.FACETS, "channel", "commune")


def _link_facets(params: QueryDict, facets: dict) -> None:
    """Give each facet option the URL that selects it (or, when selected, the URL that clears it)."""
    for name, options in facets.items():
        current = params.get(name, "")
        for option in options:
            query = params.copy()
            query.pop("page", None)
            option.selected = current == option.value
            if option.selected:
                query.pop(name, None)
            else:
                query[name] = option.value
            option.url = "?" + query.urlencode()


@login_not_required
@require_GET
def product_list(request):
    """Search and browse products, with facets; every filter lives in the query string."""
    form = ProductFilterForm(request.GET)
    filters = (
        form.cleaned_data if form.is_valid() else {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    )
    result = product_search(filters=filters)
    paginator = CappedPaginator(result, PAGE_SIZE)  # type: ignore[arg-type]
    page = paginator.get_page(request.GET.get("page"))
    # Results first: the filter counts come in a second request (htmx), or inline when asked without
    # JavaScript (?facets=1), so a slow connection shows products as soon as they are found.
    facets = None
    if request.GET.get("facets"):
        facets = product_facets(filters=filters, query=result.effective_query)
        _link_facets(request.GET, facets)
    context = {
        "form": form,
        "page": page,
        "result": result,
        "more_than_cap": result.count > RESULT_CAP,
        "facets": facets,
        "kept_filters": [(name, request.GET[name]) for name in FACET_PARAMS if request.GET.get(name)],
        "facets_url": reverse("catalog:product-facets") + "?" + request.GET.urlencode(),
        "with_facets_url": "?" + _with(request.GET, facets="1"),
    }
    template = "catalog/_search_body.html" if request.htmx else "catalog/product_list.html"
    return render(request, template, context)


def _with(params: QueryDict, **values: str) -> str:
    query = params.copy()
    for key, value in values.items():
        query[key] = value
    return query.urlencode()


EXPORT_LIMIT = 200_000


def _filters(form: ProductFilterForm) -> dict:
    """The valid part of the query string (an invalid value is reported, the rest still applies)."""
    if form.is_valid():
        return form.cleaned_data
    return {k: v for k, v in form.cleaned_data.items() if k not in form.errors}


@login_not_required
@require_GET
def product_export(request, fmt: str):
    """The products of a search, with the same filters, as the .xlsx or .csv provinces publish."""
    result = product_search(filters=_filters(ProductFilterForm(request.GET)))
    exporter = ProductListExporter(products_for_export(result.ids(limit=EXPORT_LIMIT)))
    return export_response(exporter, fmt, f"san-pham-ocop-{timezone.localdate():%Y%m%d}")


@login_not_required
@require_GET
def product_facets_view(request):
    """The filter options with their counts for a search, as a fragment loaded after the results."""
    form = ProductFilterForm(request.GET)
    filters = (
        form.cleaned_data if form.is_valid() else {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    )
    query = product_search(filters=filters).effective_query
    facets = product_facets(filters=filters, query=query)
    params = request.GET.copy()
    _link_facets(params, facets)
    return render(request, "catalog/_facets.html", {"facets": facets})


@login_not_required
@require_GET
def product_detail(request, pk: int, slug: str):
    """A product's page: description, story, stars and certificate, producer, related products."""
    try:
        product = product_get_public(pk=pk)
    except Product.DoesNotExist:
        raise Http404 from None
    if slug != product.slug:
        return redirect("catalog:product-detail", pk=product.pk, slug=product.slug, permanent=True)
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
            "meta": render_to_string("catalog/_product_meta.html", context, request=request),
            "body": render_to_string("catalog/_product_body.html", context, request=request),
        }
        cache.set(key, parts, 600)
    return render(request, "catalog/product_detail.html", {"product": product, **parts})


def _product_json_ld(request, product: Product, certificate, images) -> str:
    """schema.org Product data for search engines, escaped for a <script> element."""
    url = request.build_absolute_uri(reverse("catalog:product-detail", args=[product.pk, product.slug]))
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "description": product.description,
        "url": url,
        "category": product.category.name,
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
def category_detail(request, slug: str):
    """A group or subgroup of the classification and its certified products."""
    category = get_object_or_404(Category.objects.select_related("parent"), regime=Regime.D148_2023, slug=slug)
    field = {1: "category__group", 2: "category__parent", 3: "category"}[category.level]
    products = product_list_public().filter(CERTIFIED).filter(**{field: category})
    if category.level == Category.Level.SUBGROUP and category.is_leaf:
        products = product_list_public().filter(CERTIFIED, category=category)
    page = Paginator(products.order_by("-stars", "-certified_on", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    children = list(category.children.order_by("position"))
    return render(request, "catalog/category_detail.html", {"category": category, "page": page, "children": children})


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
    return render(request, "catalog/opendata.html", context)


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
    return redirect("opendata-index")
