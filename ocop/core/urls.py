from django.urls import path

from ocop.core import views

app_name = "core"

urlpatterns = [
    path("ping", views.ping, name="ping"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("tep-rieng/<str:token>/", views.private_file, name="private-file"),
    path("thong-bao/", views.notification_list, name="notifications"),
    path("thong-bao/<int:pk>/", views.notification_open, name="notification-open"),
]
