import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocop.core.models import Notification
from ocop.core.notifications import (
    KINDS,
    notification_settings,
    notification_settings_save,
    notifications_mark_read,
)
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


# --- The notification centre --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def notification_list(request):
    """The signed-in person's notifications, newest first, and which kinds arrive by e-mail."""
    if request.method == "POST":
        if request.POST.get("action") == "settings":
            notification_settings_save(request.user, by_email=set(request.POST.getlist("email")) & set(KINDS))
            messages.success(request, _("Saved: the notifications you chose arrive by e-mail."))
        else:
            notifications_mark_read(request.user)
            messages.success(request, _("All notifications are marked read."))
        return redirect("core:notifications")
    page = Paginator(Notification.objects.filter(user=request.user), 30).get_page(request.GET.get("page"))
    settings_now = notification_settings(request.user)
    kinds = [(kind, label, settings_now[kind]) for kind, label in KINDS.items()]
    return render(request, "core/notifications.html", {"page": page, "kinds": kinds})


@require_POST
def notification_open(request, pk: int):
    """Mark one notification read and go where it points (only to this site)."""
    found = Notification.objects.filter(user=request.user, pk=pk).first()
    if found is None:
        raise Http404
    notifications_mark_read(request.user, pk=pk)
    target = found.link if url_has_allowed_host_and_scheme(found.link, allowed_hosts=None) else ""
    return redirect(target or "core:notifications")
