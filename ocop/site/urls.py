from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from ocop.site import views
from ocop.site.sitemaps import SITEMAPS

app_name = "site"

urlpatterns = [
    # First: the most opened page (one step to resolve instead of seven; the resolver is walked twice a request).
    path("san-pham/<int:pk>-<slug:slug>/", views.product_detail, name="product-detail"),
    path("", views.home, name="home"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        login_not_required(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "site:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        login_not_required(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("nhat-ky/<str:label>/<int:pk>/", views.audit_trail, name="audit-trail"),
    re_path(r"^san-pham/xuat\.(?P<fmt>xlsx|csv)$", views.product_export, name="product-export"),
    path("chu-the/<int:pk>-<slug:slug>/", views.producer_detail, name="producer-detail"),
    path("chu-the/cua-toi/", views.workspace, name="workspace"),
    path("chu-the/<int:pk>/ho-so/", views.workspace_producer, name="workspace-producer"),
    path("thiet-ke/", views.design_system, name="design-system"),
    path("dia-phuong/", views.province_list, name="province-list"),
    path("dia-phuong/<slug:slug>/", views.province_detail, name="province-detail"),
    path("du-lieu-mo/", views.opendata_index, name="opendata-index"),
    path("du-lieu-mo/tao-lai/", views.opendata_refresh, name="opendata-refresh"),
    path("du-lieu-mo/<str:name>", views.opendata_file, name="opendata-file"),
]
