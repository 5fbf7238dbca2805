from django.urls import path

from ocop.market import views

app_name = "market"

urlpatterns = [
    path("hoi-mua/", views.inquiry_list, name="inquiry-list"),
    path("hoi-mua/san-pham/<int:pk>/", views.inquiry_new, name="inquiry-new"),
    path("hoi-mua/<int:pk>/", views.inquiry_detail, name="inquiry-detail"),
    path("hoi-mua/<int:pk>/ket-qua/", views.inquiry_outcome, name="inquiry-outcome"),
    path("hoi-mua/xem/<str:token>/", views.inquiry_visitor, name="inquiry-visitor"),
    path("can-mua/", views.demand_list, name="demand-list"),
    path("can-mua/moi/", views.demand_new, name="demand-new"),
    path("can-mua/<int:pk>/", views.demand_detail, name="demand-detail"),
    path("can-mua/<int:pk>/dong/", views.demand_close_view, name="demand-close"),
    path("hoi-cho/", views.fair_list, name="fair-list"),
    path("hoi-cho/<int:pk>/", views.fair_detail, name="fair-detail"),
    path("hoi-cho/moi/", views.fair_edit, name="fair-create"),
    path("hoi-cho/<int:pk>/sua/", views.fair_edit, name="fair-edit"),
    path("gian-hang/<int:pk>/quyet-dinh/", views.booth_decide, name="booth-decide"),
    path("gian-hang/<int:pk>/ket-qua/", views.booth_results, name="booth-results"),
    path("diem-ban/", views.sale_point_list, name="sale-point-list"),
    path("diem-ban/moi/", views.sale_point_edit, name="sale-point-create"),
    path("diem-ban/<int:pk>/sua/", views.sale_point_edit, name="sale-point-edit"),
    path("hop-dong/", views.contract_list, name="contract-list"),
    path("hop-dong/moi/", views.contract_edit, name="contract-create"),
    path("hop-dong/<int:pk>/", views.contract_edit, name="contract-edit"),
    path("san-pham/<int:pk>/kenh-ban/", views.product_sales, name="product-sales"),
    path("kenh-ban/<int:pk>/xoa/", views.channel_remove, name="channel-remove"),
]
