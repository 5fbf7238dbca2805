from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ocop.catalog.selectors import (
    CERTIFIED,
    catalog_headline_counts,
    category_groups_with_counts,
    product_list_public,
    provinces_with_counts,
)


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
    return render(request, "core/home.html", context)


@login_not_required
@require_GET
def ping(request):
    """The process answers: no database, no template (also the benchmarks' framework ceiling)."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@require_GET
def healthz(request):
    """The process is up and can reach its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /quan-tri/", "Disallow: /tai-khoan/", "Disallow: /verify/", "Allow: /"]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('core:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
