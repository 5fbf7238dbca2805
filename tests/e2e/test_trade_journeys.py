"""Trade connection in a real browser: an inquiry and its reply, a demand and its matches, a booth booking."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.tests.helpers import certified_product
from ocop.market.models import BoothType
from ocop.market.tests.factories import FairFactory
from ocop.producers.models import ProducerMembership
from tests.e2e.steps import login


def _producer_with_product():
    product = certified_product("Miến dong Nguyên Bình", stars=4, leaf_code="I.3.b")
    owner = UserFactory(username="htx", role=User.Role.PRODUCER, email="htx@example.vn")
    ProducerMembership.objects.create(user=owner, producer=product.producer)  # type: ignore[misc]
    return product, owner


def test_a_buyer_searches_sends_an_inquiry_and_the_producer_replies(site, page, shoot):
    _producer_with_product()
    UserFactory(username="sieuthi", role=User.Role.BUYER, email="mua@example.vn", organisation="Siêu thị Xanh",
                full_name="Trần Thị Bình")  # fmt: skip
    login(page, site, "sieuthi")
    page.get_by_role("searchbox").first.fill("mien dong")
    page.get_by_role("searchbox").first.press("Enter")
    page.get_by_role("link", name="Miến dong Nguyên Bình").click()
    page.get_by_role("link", name="Hỏi mua").last.click()
    page.get_by_label("Số lượng").fill("300")
    page.get_by_label("Đơn vị", exact=False).first.fill("kg")
    page.get_by_label("Lời nhắn cho chủ thể").fill("Xin báo giá 300 kg giao Hà Nội.")
    shoot("inquiry-form")
    page.get_by_role("button", name="Gửi yêu cầu hỏi mua").click()
    expect(page.locator(".thread")).to_contain_text("Xin báo giá 300 kg")
    login(page, site, "htx")
    page.goto(f"{site.url}/giao-thuong/hoi-mua/")
    page.get_by_role("link", name="Miến dong Nguyên Bình").click()
    page.get_by_label("Tin nhắn của bạn").fill("Giá 85.000 đ/kg, giao trong 5 ngày.")
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.locator(".thread")).to_contain_text("Giá 85.000 đ/kg")
    expect(page.locator(".facts")).to_contain_text("Đã trả lời")
    shoot("inquiry-thread")
    login(page, site, "sieuthi")
    page.goto(f"{site.url}/giao-thuong/hoi-mua/")
    expect(page.locator("table")).to_contain_text("Đã trả lời")


def test_a_buyer_posts_a_demand_and_sees_matched_products(site, page, shoot):
    _producer_with_product()
    certified_product("Gốm Bát Tràng", stars=5)
    UserFactory(username="sieuthi", role=User.Role.BUYER, organisation="Siêu thị Xanh")
    login(page, site, "sieuthi")
    page.goto(f"{site.url}/giao-thuong/can-mua/moi/")
    page.get_by_label("Sản phẩm cần mua").fill("Cần mua miến dong sạch")
    page.get_by_label("Số lượng").fill("2")
    page.get_by_label("Đơn vị", exact=False).first.fill("tấn")
    page.get_by_role("button", name="Đăng và xem sản phẩm phù hợp").click()
    matches = page.locator(".matches")
    expect(matches).to_contain_text("Miến dong Nguyên Bình")
    expect(matches).to_contain_text("Tên sản phẩm khớp")
    expect(matches).not_to_contain_text("Gốm Bát Tràng")
    shoot("demand-matches")


def test_a_producer_books_a_booth_at_a_fair(site, page, shoot):
    product, _owner = _producer_with_product()
    fair = FairFactory(name="Hội chợ OCOP Cao Bằng 2027", first_come=True,
                       starts_on=timezone.localdate() + dt.timedelta(days=20))  # fmt: skip
    BoothType.objects.create(fair=fair, name="Gian tiêu chuẩn", count=2, price=3_000_000)
    login(page, site, "htx")
    page.goto(f"{site.url}/giao-thuong/hoi-cho/")
    page.get_by_role("link", name="Hội chợ OCOP Cao Bằng 2027").click()
    page.get_by_label("Loại gian hàng").select_option(label="Gian tiêu chuẩn (2)")
    page.get_by_label("Miến dong Nguyên Bình").check()
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.locator(".messages")).to_contain_text("Được chấp nhận")
    expect(page.get_by_role("table")).to_contain_text("1")
    expect(page.locator("main")).to_contain_text("Chủ thể thử nghiệm")
    shoot("fair-booth")
    assert product.name in page.content()
