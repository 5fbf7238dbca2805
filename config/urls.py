"""Top-level URL configuration."""

import re

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from django.views.static import serve

from config.api import api
from ocop.certification.views import certificates_expiring_list, certificates_revoke_view

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("ocop.core.urls")),
    # First after the probes: the stamp addresses are opened at every scan of every package (resolved in one step).
    path("", include("ocop.stamps.urls")),
    path("", include("ocop.site.urls")),
    # The language switch is public: visitors choose Vietnamese or English too.
    # Without a CSRF token (it only sets the language cookie), so the public pages that hold the switch carry nothing
    # personal and can be served from the cache to everyone (ocop.core.pagecache).
    path("i18n/setlang/", csrf_exempt(login_not_required(set_language)), name="set_language"),
    path("tai-khoan/", include("ocop.accounts.urls")),
    path("chu-the/", include("ocop.producers.urls")),
    path("san-pham/", include("ocop.catalog.urls")),
    path("verify/", include("ocop.certification.urls")),
    path("nhap-du-lieu/", include("ocop.spreadsheets.urls")),
    path("ho-so/", include("ocop.evaluation.urls")),
    path("thong-ke/", include("ocop.dashboards.urls")),
    path("giao-thuong/", include("ocop.market.urls")),
    path("van-phong/", include("ocop.office.urls")),
    path("api/v1/", api.urls),
    path("giay-chung-nhan/sap-het-han/", certificates_expiring_list, name="certificates-expiring"),
    path("giay-chung-nhan/thu-hoi/", certificates_revoke_view, name="certificates-revoke"),
    path("quan-tri/", admin.site.urls),
]

if settings.DEBUG:  # public media (photos, brochures) for everyone, signed in or not; nginx serves them in production
    urlpatterns += [
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", login_not_required(serve),
                {"document_root": settings.MEDIA_ROOT}),
    ]  # fmt: skip

# Error pages: HTML for the site, the API's JSON error body under /api/.
handler400 = "ocop.api.errors.bad_request"
handler403 = "ocop.api.errors.permission_denied"
handler404 = "ocop.api.errors.page_not_found"
handler500 = "ocop.api.errors.server_error"
