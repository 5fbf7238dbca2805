from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from ocop.core import views
from ocop.core.sitemaps import SITEMAPS

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("ping", views.ping, name="ping"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("nhat-ky/<str:label>/<int:pk>/", views.audit_trail, name="audit-trail"),
    path("tep-rieng/<str:token>/", views.private_file, name="private-file"),
    path(
        "sitemap.xml",
        login_not_required(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "core:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        login_not_required(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
