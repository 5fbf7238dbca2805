"""Every kind of page, in the browser, for each role that uses it: it answers, the browser reports no error
(a Content-Security-Policy violation, a missing asset, a script error all show up in the console), and a
full-page screenshot is written to tests/e2e/screenshots/gallery-*.png for review."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import timezone
from playwright.sync_api import expect

from ocop.accounts.models import User
from ocop.catalog.models import Product
from ocop.certification.models import Certificate
from ocop.geo.models import Province
from ocop.market import trade
from ocop.market.tests.factories import FairFactory, SalePointFactory
from ocop.office.models import Inspection, Plan, SupportActivity
from ocop.producers.models import Producer
from ocop.site.management.commands.seed_demo import DEMO_PASSWORD
from tests.e2e.steps import login


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    return problems


def _visit(page, site, problems: list[str], name: str, path: str, status: int = 200) -> None:
    response = page.goto(f"{site.url}{path}")
    assert response is not None and response.status == status, (path, response and response.status)
    page.wait_for_load_state("networkidle")
    if status != 200:  # the browser reports the error answer itself as a failed load: that one is expected
        problems[:] = [p for p in problems if f"status of {status}" not in p]
    assert not problems, (path, problems)
    page.screenshot(path=str(_shots() / f"gallery-{name}.png"), full_page=True)


def _shots():
    from tests.e2e.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


def test_every_kind_of_page_renders_without_a_browser_error_for_the_roles_that_use_it(site, page):
    call_command("seed_demo", products=40, seed=3, verbosity=0)
    ha_noi = Province.objects.get(code="01")
    product = Product.objects.filter(status="active", certificates__isnull=False).order_by("pk").first()
    producer = Producer.objects.get(pk=product.producer_id)
    certificate = Certificate.objects.filter(product=product).order_by("-issued_on").first()
    fair = FairFactory(province=ha_noi, starts_on=timezone.localdate() + dt.timedelta(days=20))
    SalePointFactory(province=ha_noi)
    buyer = User.objects.get(username="nguoimua")
    demand = trade.demand_post(buyer=buyer, organisation="Siêu thị Xanh", title="Cần mua mật ong hoa nhãn",
                               quantity=500, unit="kg", description="Giao tại Hà Nội")  # fmt: skip
    inquiry = trade.inquiry_send(product=product, name="Chị Hoa", email="hoa@example.vn", quantity=20, unit="hộp",
                                 message="Cho tôi xin báo giá.")  # fmt: skip
    problems = _watch(page)

    public = [
        ("home", "/"),
        ("catalog", "/san-pham/?q=mat ong"),
        ("category", f"/san-pham/nhom/{product.category.slug}/"),
        ("product", f"/san-pham/{product.pk}-{product.slug}/"),
        ("producer", f"/chu-the/{producer.pk}-{producer.slug}/"),
        ("provinces", "/dia-phuong/"),
        ("province", f"/dia-phuong/{ha_noi.slug}/"),
        ("verify-form", "/verify/"),
        ("verify-result", f"/verify/{certificate.verification_code}/"),
        ("statistics-nation", "/thong-ke/"),
        ("statistics-province", f"/thong-ke/tinh/{ha_noi.slug}/"),
        ("open-data", "/du-lieu-mo/"),
        ("api-docs", "/api/v1/docs"),
        ("demands", "/giao-thuong/can-mua/"),
        ("demand", f"/giao-thuong/can-mua/{demand.pk}/"),
        ("fairs", "/giao-thuong/hoi-cho/"),
        ("fair", f"/giao-thuong/hoi-cho/{fair.pk}/"),
        ("sale-points", "/giao-thuong/diem-ban/"),
        ("inquiry-form", f"/giao-thuong/hoi-mua/san-pham/{product.pk}/"),
        ("login", "/tai-khoan/dang-nhap/"),
        ("password-reset", "/tai-khoan/quen-mat-khau/"),
    ]
    for name, path in public:
        _visit(page, site, problems, name, path)
    _visit(page, site, problems, "not-found", "/san-pham/999999-khong-co/", status=404)
    # The database-unavailable page is rendered without the database: shown here as a server would send it.
    page.route(f"{site.url}/_unavailable", lambda route: route.fulfill(
        status=503, body=render_to_string("503.html"), content_type="text/html; charset=utf-8"))  # fmt: skip
    page.goto(f"{site.url}/_unavailable")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hệ thống tạm gián đoạn")
    problems.clear()
    page.screenshot(path=str(_shots() / "gallery-unavailable.png"), full_page=True)

    login(page, site, "tinh", DEMO_PASSWORD)
    officer = User.objects.get(username="tinh")
    own = Product.objects.filter(producer__province=officer.province_id).order_by("pk").first()
    for name, path in [
        ("officer-dashboard", "/thong-ke/bang-dieu-khien/"),
        ("plans", "/van-phong/ke-hoach/"),
        ("plan", f"/van-phong/ke-hoach/{Plan.objects.filter(owner_province=officer.province_id).first().pk}/"),
        ("support", "/van-phong/ho-tro/"),
        ("support-activity", f"/van-phong/ho-tro/{SupportActivity.objects.first().pk}/"),
        ("support-new", "/van-phong/ho-tro/moi/"),
        ("support-requests", "/van-phong/ho-tro/yeu-cau/"),
        ("inspections", "/van-phong/kiem-tra/"),
        ("inspection", f"/van-phong/kiem-tra/{Inspection.objects.filter(outcome='revoke').first().pk}/"),
        ("annual-report", f"/thong-ke/bao-cao-nam/?nam={timezone.localdate().year}&tinh={officer.province.slug}"),
        ("dossiers", "/ho-so/"),
        ("rounds", "/ho-so/dot-danh-gia/"),
        ("criteria-sets", "/ho-so/bo-tieu-chi/"),
        ("imports", "/nhap-du-lieu/"),
        ("audit-trail", f"/nhat-ky/catalog.product/{own.pk}/"),
        ("officer-inquiries", "/giao-thuong/hoi-mua/"),
        ("profile", "/tai-khoan/ho-so/"),
        ("certificates-expiring", "/giay-chung-nhan/sap-het-han/"),
    ]:
        _visit(page, site, problems, name, path)

    login(page, site, "chuthe", DEMO_PASSWORD)
    member_product = Product.objects.filter(producer__memberships__user__username="chuthe").order_by("pk").first()
    for name, path in [
        ("producer-inquiries", "/giao-thuong/hoi-mua/"),
        ("producer-sales-channels", f"/giao-thuong/san-pham/{member_product.pk}/kenh-ban/"),
        ("producer-new-dossier", "/ho-so/moi/"),
        ("producer-support", "/van-phong/ho-tro/cua-toi/"),
    ]:
        _visit(page, site, problems, name, path)
    if inquiry.producer_id == member_product.producer_id:
        _visit(page, site, problems, "inquiry-thread", f"/giao-thuong/hoi-mua/{inquiry.pk}/")

    login(page, site, "nguoimua", DEMO_PASSWORD)
    _visit(page, site, problems, "buyer-new-demand", "/giao-thuong/can-mua/moi/")
