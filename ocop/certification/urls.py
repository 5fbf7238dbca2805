from django.urls import path, re_path

from ocop.certification import views

app_name = "certification"

urlpatterns = [
    path("", views.verify_form, name="verify"),
    re_path(r"^(?P<code>[^/]{1,200})\.json$", views.verify_json, name="verify-json"),
    re_path(r"^(?P<code>[^/]{1,200})/qr\.(?P<fmt>svg|png)$", views.verify_qr, name="verify-qr"),
    re_path(r"^(?P<code>[^/]{1,200})/giay-chung-nhan\.pdf$", views.certificate_download, name="certificate-pdf"),
    re_path(r"^(?P<code>[^/]{1,200})/thu-hoi/$", views.certificate_revoke_view, name="certificate-revoke"),
    re_path(r"^(?P<code>[^/]{1,200})/$", views.verify_detail, name="verify-detail"),
]
