from django.urls import path

from ocop.spreadsheets import views

app_name = "spreadsheets"

urlpatterns = [
    path("", views.import_list, name="import-list"),
    path("<int:pk>/", views.import_detail, name="import-detail"),
    path("<int:pk>/tien-do/", views.import_progress, name="import-progress"),
    path("<int:pk>/doc-lai/", views.import_action, {"action": "read"}, name="import-read"),
    path("<int:pk>/kiem-tra/", views.import_action, {"action": "check"}, name="import-check"),
    path("<int:pk>/nhap/", views.import_action, {"action": "commit"}, name="import-commit"),
    path("<int:pk>/dong-loi.xlsx", views.import_rejected, name="import-rejected"),
    path("<int:pk>/ra-soat/<int:item_pk>/", views.review_resolve, name="review-resolve"),
    path("<int:pk>/ra-soat/nhap/", views.review_commit, name="review-commit"),
    path("kenh-ban/", views.channel_import, name="channel-import"),
    path("can-bo-sung/", views.incomplete, name="incomplete"),
    path("can-bo-sung/giay-chung-nhan/<int:pk>/", views.incomplete_certificate, name="incomplete-certificate"),
    path("can-bo-sung/chu-the/<int:pk>/", views.incomplete_producer, name="incomplete-producer"),
    path("can-bo-sung/phan-nhom/", views.incomplete_classify, name="incomplete-classify"),
]
