from django.urls import path

from ocop.producers import views

app_name = "producers"

urlpatterns = [
    path("nhan-chu-the/", views.claim, name="claim"),
    path("xac-nhan/", views.claim_list, name="claim-list"),
    path("xac-nhan/<int:pk>/", views.claim_decide_view, name="claim-decide"),
]
