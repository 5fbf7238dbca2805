from django.urls import path, re_path

from ocop.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.product_list, name="product-list"),
    path("bo-loc/", views.product_facets_view, name="product-facets"),
    re_path(r"^xuat\.(?P<fmt>xlsx|csv)$", views.product_export, name="product-export"),
    path("nhom/<slug:slug>/", views.category_detail, name="category-detail"),
    path("<int:pk>-<slug:slug>/", views.product_detail, name="product-detail"),
]
