from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from ocop.catalog.selectors import product_list_public
from ocop.producers.models import Producer


@login_not_required
@require_GET
def producer_detail(request, pk: int, slug: str):
    """A producer's public page: contact, address and every product it has in the programme."""
    try:
        producer = Producer.objects.select_related("province", "commune", "legacy_province").get(pk=pk)
    except Producer.DoesNotExist:
        raise Http404 from None
    if slug != producer.slug:
        return redirect("producers:producer-detail", pk=producer.pk, slug=producer.slug, permanent=True)
    products = list(product_list_public().filter(producer=producer).order_by("-stars", "sort_key"))
    return render(request, "producers/producer_detail.html", {"producer": producer, "products": products})
