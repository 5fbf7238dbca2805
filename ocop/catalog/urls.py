from django.urls import path

from ocop.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.product_list, name="product-list"),
    path("bo-loc/", views.product_facets_view, name="product-facets"),
    path("nhom/<slug:slug>/", views.category_detail, name="category-detail"),
    path("<int:pk>/trang/", views.product_page_edit, name="product-edit"),
]
