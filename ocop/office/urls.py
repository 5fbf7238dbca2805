from django.urls import path

from ocop.office import views

app_name = "office"

urlpatterns = [
    path("ke-hoach/", views.plan_list, name="plan-list"),
    path("ke-hoach/moi/", views.plan_edit, name="plan-create"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("ke-hoach/<int:pk>/sua/", views.plan_edit, name="plan-edit"),
    path("ke-hoach/<int:pk>/chi-tieu/<int:target_pk>/xoa/", views.target_delete, name="target-delete"),
    path("ho-tro/", views.support_list, name="support-list"),
    path("ho-tro/moi/", views.support_edit, name="support-create"),
    path("ho-tro/<int:pk>/", views.support_detail, name="support-detail"),
    path("ho-tro/<int:pk>/sua/", views.support_edit, name="support-edit"),
    path("ho-tro/yeu-cau/", views.request_list, name="request-list"),
    path("ho-tro/yeu-cau/<int:pk>/", views.request_answer, name="request-answer"),
    path("ho-tro/cua-toi/", views.my_support, name="my-support"),
    path("kiem-tra/", views.inspection_list, name="inspection-list"),
    path("kiem-tra/moi/", views.inspection_edit, name="inspection-create"),
    path("kiem-tra/<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("kiem-tra/<int:pk>/sua/", views.inspection_edit, name="inspection-edit"),
    path("kiem-tra/<int:pk>/anh/<int:photo_pk>/", views.inspection_photo, name="inspection-photo"),
]
