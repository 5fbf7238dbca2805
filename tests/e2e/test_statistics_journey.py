"""The statistics pages in a real browser: national figures, a province, the summary, a report."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from ocop.certification.services import products_sync_certification
from ocop.dashboards.tests.helpers import holding
from ocop.geo.models import Province


def test_a_journalist_reads_the_national_figures_opens_a_province_and_downloads_the_report(site, page, shoot):
    cao_bang = Province.objects.get(code="04")
    products = holding(cao_bang, products=12, producers=7, levels={4: 2, 3: 10}, on=timezone.localdate())
    products_sync_certification([p.pk for p in products])
    page.goto(f"{site.url}/thong-ke/")
    expect(page.locator(".narrative").first).to_contain_text("Đến nay, cả nước duy trì 12 sản phẩm của 7 chủ thể")
    expect(page.locator("svg.chart").first).to_be_visible()
    shoot("statistics-nation")
    page.get_by_role("link", name="Cao Bằng").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tỉnh Cao Bằng")
    expect(page.locator(".narrative").first).to_contain_text(
        "trong đó có 2 sản phẩm đạt hạng 4 sao, 10 sản phẩm đạt hạng 3 sao."
    )
    page.get_by_label("Tính đến ngày").fill((timezone.localdate() - dt.timedelta(days=400)).isoformat())
    page.get_by_role("button", name="Xem").click()
    expect(page.locator(".narrative").first).to_contain_text("Tính đến ngày")
    shoot("statistics-province")
    with page.expect_download() as download:
        page.get_by_role("link", name="báo cáo (PDF)").click()
    assert download.value.suggested_filename.startswith("thong-ke-ocop-cao-bang-")
