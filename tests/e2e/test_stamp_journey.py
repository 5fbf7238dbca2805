"""Stamps in a real browser: a producer records a batch and orders 100 stamps, downloads the label PDF; the first
QR code, read from the PDF's page image with zbar, opens the scan page on a phone: VALID. The province revokes
the certificate; the same stamp then shows the revocation, its date, and that the batch was made while valid."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.tests.helpers import certified_product
from ocop.certification.models import Certificate
from ocop.geo.models import Commune
from ocop.producers.models import ProducerMembership
from ocop.stamps.models import Scan, Stamp
from ocop.stamps.tests.helpers import decode_labels
from tests.e2e.steps import login
from tests.e2e.test_portal_look import _axe

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "user_agent": "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/129.0 Mobile Safari/537.36 Zalo"}  # fmt: skip


def test_a_batch_its_stamps_a_scan_then_the_revocation(site, page, browser, shoot, tmp_path):
    commune = Commune.objects.select_related("province").filter(province__code="04").order_by("code").first()
    product = certified_product("Mật ong bạc hà Đồng Văn", stars=4, commune=commune, province=commune.province,
                                issued_on=dt.date.today() - dt.timedelta(days=400))  # fmt: skip
    owner = UserFactory(username="htx", role=User.Role.PRODUCER, email="htx@example.vn")
    ProducerMembership.objects.create(user=owner, producer=product.producer)  # type: ignore[misc]
    UserFactory(username="tinh", role=User.Role.PROVINCE_OFFICER, province=commune.province)
    made = dt.date.today() - dt.timedelta(days=20)

    # The producer records the batch from its workspace and orders 100 stamps.
    login(page, site, "htx")
    page.goto(f"{site.url}/tem/")
    page.get_by_role("link", name="Ghi lô sản xuất").first.click()
    page.get_by_label("Số lô").fill("DV-2026-11")
    page.get_by_label("Ngày sản xuất").fill(made.isoformat())
    page.get_by_label("Hạn sử dụng").fill((made + dt.timedelta(days=720)).isoformat())
    page.get_by_label("Số lượng (đơn vị sản phẩm)").fill("2000")
    page.get_by_role("button", name="Ghi lô sản xuất").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi lô sản xuất")
    page.get_by_label("Số tem").fill("100")
    page.get_by_role("button", name="Đặt tem").click()
    expect(page.locator(".messages")).to_contain_text("Tem đã sẵn sàng")
    shoot("stamps-batch")
    with page.expect_download() as download:
        page.get_by_role("button", name="Nhãn (PDF)").click()
    pdf = tmp_path / "tem.pdf"
    download.value.save_as(pdf)
    assert Stamp.objects.count() == 100

    # A phone reads the first label and opens its address.
    [address] = decode_labels(pdf, "40", 1)
    first = Stamp.objects.get(serial=1)
    assert address.endswith(f"/t/{first.code}")
    phone = browser.new_context(**PHONE)
    scan = phone.new_page()
    scan.goto(address)
    expect(scan.locator(".verdict")).to_contain_text("CÒN HIỆU LỰC")
    expect(scan.locator("h1")).to_have_text("Mật ong bạc hà Đồng Văn")
    expect(scan.locator(".facts")).to_contain_text("DV-2026-11")
    assert _axe(scan) == []
    scan.get_by_label("Bạn đang ở đâu?").select_option(label="Hà Nội")
    scan.get_by_role("button", name="Gửi tỉnh").click()
    expect(scan.locator("#scan-place")).to_contain_text("lượt quét được ghi nhận tại Hà Nội")
    assert Scan.objects.get().province.code == "01" and Scan.objects.get().agent == "Zalo"

    # The province revokes the certificate; the same stamp now says so.
    certificate = Certificate.objects.get(product=product)
    login(page, site, "tinh")
    page.on("dialog", lambda dialog: dialog.accept())  # "Revoke all these certificates?"
    page.goto(f"{site.url}/giay-chung-nhan/thu-hoi/")
    page.get_by_label("Số quyết định thu hồi").fill("27/QĐ-UBND")
    page.get_by_label("Ngày thu hồi").fill(dt.date.today().strftime("%d/%m/%Y"))
    page.get_by_label("Số giấy chứng nhận", exact=False).fill(certificate.number)
    page.get_by_label("Lý do").fill("Kiểm tra sau chứng nhận: không duy trì tiêu chuẩn.")
    page.get_by_role("button", name="Thu hồi").click()
    expect(page.locator(".messages")).to_contain_text("27/QĐ-UBND")
    scan.goto(address)
    expect(scan.locator(".verdict")).to_contain_text("CHỨNG NHẬN BỊ THU HỒI")
    expect(scan.locator(".verdict")).to_contain_text(dt.date.today().strftime("%d/%m/%Y"))
    expect(scan.locator(".made-while-valid")).to_contain_text(f"Sản xuất ngày {made.strftime('%d/%m/%Y')}, khi chứng "
                                                              "nhận còn hiệu lực")  # fmt: skip
    scan.screenshot(path=str(tmp_path / "scan.png"))
    phone.close()
