from django.urls import path

from ocop.producers import views

app_name = "producers"

urlpatterns = [
    path("<int:pk>-<slug:slug>/", views.producer_detail, name="producer-detail"),
]
