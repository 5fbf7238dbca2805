"""What a visitor does in the public catalog, in a real browser."""

import datetime as dt
import re

from playwright.sync_api import expect

from ocop.catalog.tests.helpers import certified_product
from ocop.geo.models import Commune, Province


def _catalog():
    cao_bang = Province.objects.get(code="04")
    commune = Commune.objects.filter(province=cao_bang).order_by("code").first()
    return {
        "banh": certified_product("Bánh chưng Tranh Khúc", stars=4),
        "mat_ong": certified_product("Mật ong bạc hà Đồng Văn", stars=5),
        "hat_de": certified_product("Hạt dẻ Trùng Khánh", stars=4, commune=commune, province=cao_bang),
        "hat_de_3": certified_product("Hạt dẻ rang muối", stars=3, commune=commune, province=cao_bang),
        "expired": certified_product("Chè Shan tuyết", issued_on=dt.date(2020, 5, 4)),
        "revoked": certified_product("Rượu Làng Vân", status="revoked"),
    }


def test_a_visitor_searches_without_accents_and_opens_a_product(site, page, shoot):
    _catalog()
    page.goto(site.url)
    page.get_by_role("searchbox").first.fill("banh chung")
    page.get_by_role("searchbox").first.press("Enter")
    expect(page.get_by_role("link", name="Bánh chưng Tranh Khúc")).to_be_visible()
    shoot("catalog-search")
    page.get_by_role("link", name="Bánh chưng Tranh Khúc").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bánh chưng Tranh Khúc")
    expect(page.locator(".certificate")).to_contain_text("Còn hiệu lực")
    shoot("product-page")


def test_a_visitor_filters_by_province_and_stars(site, page, shoot):
    _catalog()
    page.goto(f"{site.url}/san-pham/")
    page.locator('a[data-facet="province"][data-value="04"]').click()
    expect(page).to_have_url(re.compile(r"province=04"))
    expect(page.locator(".results .card")).to_have_count(2)
    page.locator('a[data-facet="stars"][data-value="4"]').click()
    expect(page).to_have_url(re.compile(r"stars=4"))
    expect(page.locator(".results .card")).to_have_count(1)
    expect(page.locator(".results")).to_contain_text("Hạt dẻ Trùng Khánh")
    shoot("catalog-filtered")
    # The URL is shareable: opening it afresh shows the same results without JavaScript state.
    page.goto(page.url)
    expect(page.locator(".results .card")).to_have_count(1)


def test_a_visitor_verifies_valid_expired_and_revoked_certificates(site, page, shoot):
    catalog = _catalog()
    for key, verdict, name in [("banh", "CÒN HIỆU LỰC", "valid"), ("expired", "HẾT HIỆU LỰC", "expired"),
                               ("revoked", "ĐÃ BỊ THU HỒI", "revoked")]:  # fmt: skip
        certificate = catalog[key].certificates.get()
        page.goto(f"{site.url}/verify/")
        page.get_by_label("Số giấy chứng nhận hoặc mã xác minh").fill(certificate.number)
        page.get_by_role("button", name="Xác minh").click()
        expect(page.locator(".verdict")).to_contain_text(verdict)
        shoot(f"verify-{name}")
    page.goto(f"{site.url}/verify/")
    page.get_by_label("Số giấy chứng nhận hoặc mã xác minh").fill("OCOP-99-2024-12345")
    page.get_by_role("button", name="Xác minh").click()
    expect(page.locator(".verdict")).to_contain_text("KHÔNG TÌM THẤY")


def test_a_visitor_switches_to_english(site, page, shoot):
    _catalog()
    page.goto(site.url)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Every OCOP product of Vietnam, in one place")
    shoot("home-english")
