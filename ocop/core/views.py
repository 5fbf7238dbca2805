import secrets

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ocop.core.storage import private_storage, private_url_open


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
