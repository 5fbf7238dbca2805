from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET

from ocop.catalog.filters import ProductFilterForm
from ocop.catalog.models import Category, Regime
from ocop.catalog.selectors import (
    CERTIFIED,
    RESULT_CAP,
    product_facets,
    product_list_public,
    product_search,
)

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
    filters = form.valid_filters()
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


@login_not_required
@require_GET
def product_facets_view(request):
    """The filter options with their counts for a search, as a fragment loaded after the results."""
    form = ProductFilterForm(request.GET)
    filters = form.valid_filters()
    query = product_search(filters=filters).effective_query
    facets = product_facets(filters=filters, query=query)
    params = request.GET.copy()
    _link_facets(params, facets)
    return render(request, "catalog/_facets.html", {"facets": facets})


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
