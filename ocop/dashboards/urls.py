from django.urls import path, register_converter
from django.views.generic import RedirectView

from ocop.dashboards import views

app_name = "dashboards"


class ReportFormat:
    regex = "pdf|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class ListFormat(ReportFormat):
    regex = "xlsx|csv"


register_converter(ReportFormat, "report")
register_converter(ListFormat, "listfmt")

# Each scope has its page, its report (bao-cao.pdf|xlsx) and the list of products it counts (san-pham.xlsx|csv).
_SCOPES = [
    ("", {}, "nation"),
    ("tinh/<slug:key>/", {"scope_kind": "province"}, "province"),
    ("tinh-cu/<str:key>/", {"scope_kind": "legacy_province"}, "legacy-province"),
    ("xa/<str:key>/", {"scope_kind": "commune"}, "commune"),
]

urlpatterns = [
    path("bang-dieu-khien/", views.backoffice, name="backoffice"),
    path("bao-cao-nam/", views.annual, name="annual-report"),
    # Plan targets moved into the programme office's plans; old bookmarks land there.
    path("ke-hoach/", RedirectView.as_view(pattern_name="office:plan-list", permanent=True), name="plan-targets"),
]
for prefix, kwargs, name in _SCOPES:
    urlpatterns += [
        path(prefix, views.dashboard, kwargs, name=name),
        path(f"{prefix}bao-cao.<report:fmt>", views.report, kwargs, name=f"{name}-report"),
        path(f"{prefix}san-pham.<listfmt:fmt>", views.products_export, kwargs, name=f"{name}-products"),
    ]
