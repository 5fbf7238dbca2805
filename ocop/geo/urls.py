from django.urls import path

from ocop.geo import views

app_name = "geo"

urlpatterns = [
    path("", views.province_list, name="province-list"),
    path("<slug:slug>/", views.province_detail, name="province-detail"),
]
