from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ocop.catalog import services
from ocop.catalog.filters import ProductFilterForm
from ocop.catalog.forms import PictureForm, ProductPageForm
from ocop.catalog.models import Category, Product, ProductImage, Regime
from ocop.catalog.selectors import (
    CERTIFIED,
    RESULT_CAP,
    product_facets,
    product_list_public,
    product_search,
)
from ocop.catalog.versioning import KEY as CATALOG_VERSION
from ocop.core.errors import ApplicationError, form_refused
from ocop.core.pagecache import public_page

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


@public_page(CATALOG_VERSION)
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


@public_page(CATALOG_VERSION)
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


@public_page(CATALOG_VERSION)
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


# --- The product's own page, edited by its producer (and the officers of its place) ----------------------------


def _product_for_page(request, pk: int) -> Product:
    product = get_object_or_404(Product.objects.select_related("producer__province", "category"), pk=pk)
    if not services.product_editable_by(request.user, product):
        raise PermissionDenied(_("Only the producer and the officers of its place edit this product's page."))
    return product


_PICTURE_ACTIONS = {"cover", "up", "down"}


def _picture_action(request, product: Product, action: str) -> str:
    """Run one photo or moderation action; returns the message to show."""
    picture_id = _int(request.POST.get("picture"))
    reason = request.POST.get("reason", "")
    if action in _PICTURE_ACTIONS:
        services.product_picture_move(product=product, by=request.user, picture_id=picture_id, to=action)
        return _("The photos were reordered.") if action != "cover" else _("This photo is now the cover.")
    if action == "remove":
        services.product_picture_remove(product=product, by=request.user, picture_id=picture_id)
        return _("The photo was removed.")
    if action in ("hide", "show"):
        services.product_picture_hide(product=product, by=request.user, picture_id=picture_id,
                                      hidden=action == "hide", reason=reason)  # fmt: skip
        return _("The photo is hidden from the public.") if action == "hide" else _("The photo is shown again.")
    if action in ("hide-text", "show-text"):
        services.product_text_hide(product=product, by=request.user, hidden=action == "hide-text", reason=reason)
        return _("The description and story are hidden.") if action == "hide-text" else _(
            "The description and story are shown again.")  # fmt: skip
    raise ApplicationError(_("Unknown action."), code="invalid")


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 12 else 0


@require_http_methods(["GET", "POST"])
def product_page_edit(request, pk: int):
    """The product's own page: its text, prices, capacity and photos; published as soon as saved."""
    product = _product_for_page(request, pk)
    locked = services.product_locked_fields(product)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    # The form works on its own copy: `product` keeps the values before the edit, for the audit trail.
    form = ProductPageForm(request.POST if action == "save" else None, instance=Product.objects.get(pk=pk),
                           locked=locked)  # fmt: skip
    picture_form = PictureForm(
        request.POST if action == "photo" else None, request.FILES if action == "photo" else None
    )
    status = 200
    if action == "save":
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.changed_data if name not in locked}
            try:
                services.product_page_update(product=product, by=request.user, **fields)
            except (ApplicationError, ValidationError) as error:
                form_refused(form, error)
            else:
                messages.success(request, _("Saved: the product's page shows the changes now."))
                return redirect("catalog:product-edit", pk=pk)
        status = 400
    elif action == "photo":
        if picture_form.is_valid():
            try:
                services.product_picture_add(product=product, by=request.user,
                                             upload=picture_form.cleaned_data["upload"],
                                             caption=picture_form.cleaned_data["caption"])  # fmt: skip
            except ApplicationError as error:
                form_refused(picture_form, error)
            else:
                messages.success(request, _("The photo was added."))
                return redirect("catalog:product-edit", pk=pk)
        status = 400
    elif action:
        try:
            messages.success(request, _picture_action(request, product, action))
        except ApplicationError as error:
            messages.error(request, error.message)
            status = 400
        else:
            return redirect("catalog:product-edit", pk=pk)
    product.refresh_from_db()
    context = {
        "product": product, "form": form, "picture_form": picture_form, "locked": locked,
        "pictures": list(product.images.all()), "max_pictures": ProductImage.MAX_PER_PRODUCT,
        "moderator": services.product_moderated_by(request.user, product),
    }  # fmt: skip
    return render(request, "catalog/product_edit.html", context, status=status)
