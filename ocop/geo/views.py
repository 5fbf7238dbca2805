from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ocop.catalog.models import Product
from ocop.catalog.selectors import CERTIFIED, product_list_public, provinces_with_counts
from ocop.geo.models import Province


@login_not_required
@require_GET
def province_list(request):
    """Today's 34 provinces with their certified products."""
    return render(request, "geo/province_list.html", {"provinces": provinces_with_counts()})


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
    return render(request, "geo/province_detail.html", context)
