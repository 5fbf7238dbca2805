from django.urls import path, re_path

from ocop.stamps import views

app_name = "stamps"

# The scan addresses sit at the root (they are printed on every label, so they are short): /t/{code} and the
# GS1 Digital Link /01/{gtin}/10/{lot}/21/{serial}. The rest lives under /tem/.
urlpatterns = [
    path("t/", views.scan_lookup, name="scan-lookup"),
    re_path(r"^t/(?P<code>[^/]{1,60})$", views.scan, name="scan"),
    re_path(r"^t/(?P<code>[^/]{1,60})/noi-quet$", views.scan_place, name="scan-place"),
    re_path(r"^t/(?P<code>[^/]{1,60})/bao-hang-gia$", views.report, name="report"),
    re_path(
        r"^01/(?P<gtin>\d{8,14})/10/(?P<lot>[^/]{1,60})/21/(?P<serial>[^/]{1,60})$", views.scan_gs1, name="scan-gs1"
    ),
    path("tem/bao-hang-gia/da-gui/", views.report_sent, name="report-sent"),
    path("tem/", views.home, name="home"),
    path("tem/lo/moi/", views.batch_create, name="batch-create"),
    path("tem/lo/<int:pk>/", views.batch_detail, name="batch-detail"),
    path("tem/day/<int:pk>/nhan.pdf", views.labels_pdf, name="labels-pdf"),
    path("tem/day/<int:pk>/ma.csv", views.labels_csv, name="labels-csv"),
    path("tem/canh-bao/<int:pk>/xu-ly/", views.signal_close, name="signal-close"),
    path("tem/bao-cao/<int:pk>/xu-ly/", views.report_close, name="report-close"),
]
