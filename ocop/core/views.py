import secrets

from django.apps import apps
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ocop.accounts.permissions import manages_location
from ocop.catalog.selectors import (
    CERTIFIED,
    catalog_headline_counts,
    category_groups_with_counts,
    product_list_public,
    provinces_with_counts,
)
from ocop.core.models import AuditEntry
from ocop.core.storage import private_storage, private_url_open


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
@never_cache
def readyz(request):
    """Ready to serve: the database answers, the cache stores and returns a value, the file storage is reachable.
    503 with the failing parts otherwise (a load balancer takes the server out until they come back)."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        probe = f"readyz:{secrets.token_hex(4)}"
        cache.set(probe, "1", 10)
        checks["cache"] = "ok" if cache.get(probe) == "1" or _dummy_cache() else "error: value not kept"
        cache.delete(probe)
    except Exception as exc:
        checks["cache"] = f"error: {type(exc).__name__}"
    try:
        default_storage.exists("readyz-probe")
        checks["storage"] = "ok"
    except Exception as exc:
        checks["storage"] = f"error: {type(exc).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


def _dummy_cache() -> bool:
    return "DummyCache" in type(cache).__name__


@login_not_required
@require_GET
def healthz(request):
    """The process is up and answers (liveness): nothing outside it is asked, so a database outage takes the
    servers out of the load balancer through /readyz without getting them restarted."""
    return JsonResponse({"status": "ok"})


@login_not_required
@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /quan-tri/", "Disallow: /tai-khoan/", "Disallow: /verify/", "Allow: /"]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('core:sitemap'))}")
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
    return render(request, "core/audit_trail.html", {"object": obj, "page": page, "label": label})


@login_not_required
@require_GET
def private_file(request, token: str):
    """A private file behind a signed address that a view handed out after checking who asks; the address
    expires after OCOP_PRIVATE_URL_SECONDS (on S3 the bucket's presigned addresses do the same)."""
    try:
        data = private_url_open(token)
    except signing.SignatureExpired:
        raise Http404(_("This download link has expired; open the file again from its page.")) from None
    except signing.BadSignature:
        raise Http404 from None
    try:
        handle = private_storage().open(data["n"], "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=data["t"], as_attachment=data["a"], filename=data["f"])
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
