"""Trade connection: inquiries and their abuse guards, demands and offers, booths under concurrency,
channels and material — across roles."""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.tests.factories import ProductFactory
from ocop.certification.services import products_sync_certification
from ocop.core.errors import ApplicationError
from ocop.dashboards.tests.helpers import certify, producers_in
from ocop.geo.models import Province
from ocop.market import trade
from ocop.market.models import BoothBooking, BoothType, BuyerDemand, DemandOffer, Inquiry, SalesChannel
from ocop.market.tests.factories import FairFactory, SalePointFactory
from ocop.producers.models import ProducerMembership

pytestmark = pytest.mark.django_db


def member(username: str, producer) -> User:
    user = UserFactory(username=username, role=User.Role.PRODUCER, email=f"{username}@example.vn")
    ProducerMembership.objects.create(user=user, producer=producer)
    return user


@pytest.fixture
def shop(cao_bang):
    """Two producers of Cao Bằng with a certified product each, and their members."""
    first, second = producers_in(cao_bang, 2)
    products = [ProductFactory(producer=first, name="Miến dong Nguyên Bình"), ProductFactory(producer=second)]
    for product in products:
        certify(product, 4, timezone.localdate() - dt.timedelta(days=10))
    products_sync_certification([p.pk for p in products])
    return {"products": products, "owners": [member("htx1", first), member("htx2", second)]}


INQUIRY = {"name": "Nguyễn Văn An", "organisation": "Siêu thị Xanh", "email": "an@example.vn", "quantity": "200",
           "unit": "kg", "message": "Xin báo giá miến dong loại 1."}  # fmt: skip


def send(client, product, ip="10.0.0.1", **extra):
    return client.post(reverse("market:inquiry-new", args=[product.pk]), {**INQUIRY, **extra}, REMOTE_ADDR=ip)


def test_a_visitor_asks_for_a_quote_and_reads_only_their_own_thread(
    client, shop, django_capture_on_commit_callbacks, work
):
    product = shop["products"][0]
    with django_capture_on_commit_callbacks(execute=True):  # e-mail is queued once the inquiry is committed
        response = send(client, product, quantity="1500")
    assert response.status_code == 302 and "/hoi-mua/xem/" in response["Location"]
    inquiry = Inquiry.objects.get()
    assert mail.outbox == []  # never sent inside the request: the worker sends it
    work()
    assert {m.to[0] for m in mail.outbox} >= {"htx1@example.vn", "an@example.vn"}
    to_producer = next(m for m in mail.outbox if m.to[0] == "htx1@example.vn")
    assert to_producer.subject == "[OCOP] Hỏi mua Miến dong Nguyên Bình"
    assert "Nguyễn Văn An (Siêu thị Xanh) hỏi mua 1.500 kg." in to_producer.body
    # An absolute link (the address the site was reached at: OCOP_SITE_URL is not set here), never a bare path.
    assert f"Trả lời tại: http://testserver/giao-thuong/hoi-mua/{inquiry.pk}/" in to_producer.body
    thread = client.get(response["Location"])
    assert "Xin báo giá miến dong" in thread.content.decode()
    assert client.get(response["Location"][:-3] + "abc/").status_code == 404  # a forged link reads nothing
    assert client.get(reverse("market:inquiry-detail", args=[inquiry.pk])).status_code == 302  # sign in first
    client.post(response["Location"], {"body": "Cho tôi hỏi thêm về bao bì."})
    assert inquiry.messages.count() == 2


def test_the_producer_replies_and_records_the_deal(client, shop, django_capture_on_commit_callbacks, work):
    send(client, shop["products"][0])
    inquiry = Inquiry.objects.get()
    mail.outbox.clear()
    client.force_login(shop["owners"][0])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("market:inquiry-detail", args=[inquiry.pk]), {"body": "Giá 85.000 đ/kg."})
    work()
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.REPLIED and mail.outbox[0].to == ["an@example.vn"]
    client.post(reverse("market:inquiry-outcome", args=[inquiry.pk]), {"status": "won"})
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.WON


def test_each_role_sees_only_its_inquiries(client, shop, province_officer, central_officer):
    buyer = UserFactory(username="mua", role=User.Role.BUYER, email="mua@example.vn")
    client.force_login(buyer)
    send(client, shop["products"][0])
    client.logout()
    send(client, shop["products"][1], ip="10.0.0.2")
    hanoi_officer = UserFactory(username="tinh-hn2", role=User.Role.PROVINCE_OFFICER,
                                province=Province.objects.get(code="01"))  # fmt: skip
    first, second = Inquiry.objects.order_by("pk")
    expectations = [
        (shop["owners"][0], {first.pk}), (shop["owners"][1], {second.pk}), (buyer, {first.pk}),
        (province_officer, {first.pk, second.pk}), (hanoi_officer, set()), (central_officer, {first.pk, second.pk}),
    ]  # fmt: skip
    for user, visible in expectations:
        client.force_login(user)
        page = client.get(reverse("market:inquiry-list"))
        shown = {i.pk for i in page.context["page"].object_list}
        assert shown == visible, user.username
        for inquiry in (first, second):
            status = client.get(reverse("market:inquiry-detail", args=[inquiry.pk])).status_code
            assert status == (200 if inquiry.pk in visible else 404), (user.username, inquiry.pk)
    client.force_login(province_officer)  # officers read, but do not write in the thread
    assert client.post(reverse("market:inquiry-detail", args=[first.pk]), {"body": "x"}).status_code == 403


def test_the_inquiry_form_refuses_bots_floods_oversized_and_scripted_input(client, shop):
    product = shop["products"][0]
    bot = send(client, product, website="http://spam.example")
    assert bot.status_code == 400 and "tự động" in bot.content.decode() and not Inquiry.objects.exists()
    big = send(client, product, message="x" * 2001)
    assert big.status_code == 400 and not Inquiry.objects.exists()
    nocontact = send(client, product, email="", phone="")
    assert nocontact.status_code == 400 and "số điện thoại hoặc địa chỉ e-mail" in nocontact.content.decode()
    send(client, product, message="<script>alert(1)</script>Giá <b>sỉ</b>?", ip="10.9.9.9")
    assert Inquiry.objects.get().message == "Giá sỉ?"  # the script goes with its content
    for _ in range(4):
        assert send(client, product, ip="10.9.9.9").status_code == 302
    flood = send(client, product, ip="10.9.9.9")
    assert flood.status_code == 400 and "Quá nhiều yêu cầu hỏi mua" in flood.content.decode()
    assert Inquiry.objects.count() == 5
    assert send(client, product, ip="10.9.9.10").status_code == 302  # another address is not held back


def test_a_buyer_posts_a_demand_sees_matches_and_receives_an_offer(
    client, shop, django_capture_on_commit_callbacks, work
):
    buyer = UserFactory(username="sieuthi", role=User.Role.BUYER, email="st@example.vn", organisation="Siêu thị Xanh")
    client.force_login(buyer)
    response = client.post(reverse("market:demand-new"), {
        "organisation": "Siêu thị Xanh", "title": "Cần mua miến dong", "quantity": "500", "unit": "kg",
        "frequency": "monthly", "min_stars": "3",
    })  # fmt: skip
    demand = BuyerDemand.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Miến dong Nguyên Bình" in page and "Tên sản phẩm khớp" in page
    client.force_login(shop["owners"][0])
    offer = {"product": shop["products"][0].pk, "price": "85000", "message": "Chúng tôi cung cấp được."}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("market:demand-detail", args=[demand.pk]), offer).status_code == 302
    assert client.post(reverse("market:demand-detail", args=[demand.pk]), offer).status_code == 400  # once only
    other = {**offer, "product": shop["products"][1].pk}  # not its product: not even a choice
    assert client.post(reverse("market:demand-detail", args=[demand.pk]), other).status_code == 400
    work()
    assert DemandOffer.objects.count() == 1 and mail.outbox[-1].to == ["st@example.vn"]
    assert mail.outbox[-1].subject == "[OCOP] Chào bán cho “Cần mua miến dong”"
    client.force_login(UserFactory(username="khac", role=User.Role.BUYER))
    assert (
        "Chúng tôi cung cấp được." not in client.get(reverse("market:demand-detail", args=[demand.pk])).content.decode()
    )
    client.force_login(buyer)
    assert "Chúng tôi cung cấp được." in client.get(reverse("market:demand-detail", args=[demand.pk])).content.decode()


def test_visitors_cannot_post_demands_and_producers_of_uncertified_products_cannot_offer(client, shop):
    assert client.get(reverse("market:demand-new")).status_code == 302
    demand = BuyerDemand.objects.create(buyer=UserFactory(username="b3", role=User.Role.BUYER), organisation="X",
                                        title="Mật ong", quantity=1, unit="kg")  # fmt: skip
    client.force_login(UserFactory(username="lonely", role=User.Role.PRODUCER))
    assert client.post(reverse("market:demand-detail", args=[demand.pk]), {"message": "x"}).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_requests_for_ten_booths_leave_exactly_ten_accepted():
    call_command("load_reference", verbosity=0)  # an earlier transactional test may have emptied the tables
    cao_bang = Province.objects.get(code="04")
    fair = FairFactory(province=cao_bang, starts_on=timezone.localdate() + dt.timedelta(days=30), first_come=True)
    booths = BoothType.objects.create(fair=fair, name="Gian tiêu chuẩn 3×3 m", count=10)
    producers = producers_in(cao_bang, 50)
    pairs = [(member(f"p{i}", producer), ProductFactory(producer=producer)) for i, producer in enumerate(producers)]

    def request(pair):
        user, product = pair
        try:
            return trade.booth_request(booth_type=booths, producer=product.producer, products=[product], by=user).status
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(request, pairs))
    assert statuses.count("accepted") == 10 and statuses.count("waitlisted") == 40
    numbers = list(BoothBooking.objects.filter(status="accepted").values_list("booth_number", flat=True))
    assert sorted(numbers) == list(range(1, 11))


def test_the_organiser_accepts_within_capacity_and_the_public_page_lists_participants(client, shop, province_officer):
    fair = FairFactory(province=Province.objects.get(code="04"), starts_on=timezone.localdate() + dt.timedelta(days=5))
    booths = BoothType.objects.create(fair=fair, name="Gian góc", count=1)
    client.force_login(shop["owners"][0])
    data = {"booth_type": booths.pk, "producer": shop["products"][0].producer_id, "products": [shop["products"][0].pk]}
    assert client.post(reverse("market:fair-detail", args=[fair.pk]), data).status_code == 302
    assert client.post(reverse("market:fair-detail", args=[fair.pk]), data).status_code == 400  # one request each
    client.force_login(shop["owners"][1])
    client.post(reverse("market:fair-detail", args=[fair.pk]), {**data, "producer": shop["products"][1].producer_id,
                                                                 "products": [shop["products"][1].pk]})  # fmt: skip
    first, second = BoothBooking.objects.order_by("pk")
    assert client.post(reverse("market:booth-decide", args=[first.pk]), {"accept": "1"}).status_code == 403
    client.force_login(province_officer)
    client.post(reverse("market:booth-decide", args=[first.pk]), {"accept": "1"})
    with pytest.raises(ApplicationError):
        trade.booth_decide(booking=second, accept=True, by=province_officer)
    page = client.get(reverse("market:fair-detail", args=[fair.pk])).content.decode()
    assert "Miến dong Nguyên Bình" in page


def test_sale_points_list_and_map_only_when_tiles_are_configured(client, cao_bang, settings):
    SalePointFactory(
        province=cao_bang, commune=cao_bang.communes.first(), name="Điểm OCOP Cao Bằng", lat=22.6, lon=106.2
    )
    page = client.get(reverse("market:sale-point-list"), {"tinh": "04"}).content.decode()
    assert "Điểm OCOP Cao Bằng" in page and 'id="map"' not in page
    settings.OCOP_MAP_TILE_URL = "https://tiles.example.vn/{z}/{x}/{y}.png"
    assert 'id="map"' in client.get(reverse("market:sale-point-list")).content.decode()


def test_a_producer_records_its_channels_and_material(client, shop):
    product = shop["products"][0]
    url = reverse("market:product-sales", args=[product.pk])
    client.force_login(shop["owners"][1])
    assert client.get(url).status_code == 403
    client.force_login(shop["owners"][0])
    missing = client.post(url, {"channel": "1", "kind": "ecommerce", "name": "Shopee"})
    assert missing.status_code == 400 and not SalesChannel.objects.exists()
    client.post(url, {"channel": "1", "kind": "ecommerce", "name": "Shopee", "url": "https://shopee.vn/x"})
    product.refresh_from_db()
    assert product.has_ecommerce
    fake = SimpleUploadedFile("brochure.pdf", b"hello, not a pdf", content_type="application/pdf")
    refused = client.post(url, {"material": "1", "kind": "brochure", "title": "Tờ rơi", "upload": fake})
    assert refused.status_code == 400 and "PDF" in refused.content.decode()
    pdf = SimpleUploadedFile("to-roi.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    assert client.post(url, {"material": "1", "kind": "brochure", "title": "Tờ rơi", "upload": pdf}).status_code == 302
    assert (
        client.post(url, {"material": "1", "kind": "video", "title": "Phim", "url": "https://youtu.be/x"}).status_code
        == 302
    )
    assert product.materials.count() == 2
    stored = product.materials.get(kind="brochure").file.name  # a random name: nothing guessable or overwritten
    assert re.fullmatch(r"brochures/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", stored), stored


def test_the_inbox_and_the_demands_do_a_constant_number_of_queries(client, shop, django_assert_max_num_queries):
    client.force_login(shop["owners"][0])
    for i in range(2):
        send(client, shop["products"][0], ip=f"10.1.0.{i}")
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("market:inquiry-list"))
    count = len(few.captured_queries)  # read now: every request clears the connection's query log
    for i in range(2, 6):
        send(client, shop["products"][0], ip=f"10.1.0.{i}")
    with django_assert_max_num_queries(count):
        client.get(reverse("market:inquiry-list"))
    with django_assert_max_num_queries(8):
        client.get(reverse("market:demand-list"))


def test_fairs_sale_points_and_a_demand_page_do_a_constant_number_of_queries(
    client, shop, django_assert_max_num_queries
):
    cao_bang = Province.objects.get(code="04")
    fair = FairFactory(province=cao_bang, starts_on=timezone.localdate() + dt.timedelta(days=3), first_come=True)
    booths = BoothType.objects.create(fair=fair, name="Gian", count=20)
    demand = BuyerDemand.objects.create(buyer=UserFactory(username="b9", role=User.Role.BUYER), organisation="X",
                                        title="Cần mua miến dong", quantity=1, unit="kg")  # fmt: skip
    pages = [reverse("market:fair-list"), reverse("market:fair-detail", args=[fair.pk]),
             reverse("market:sale-point-list"), reverse("market:demand-detail", args=[demand.pk])]  # fmt: skip

    def counts() -> list[int]:
        out = []
        for url in pages:
            with django_assert_max_num_queries(15) as captured:
                assert client.get(url).status_code == 200
            out.append(len(captured.captured_queries))
        return out

    def add(i: int) -> None:
        producer = producers_in(cao_bang, 1)[0]
        product = ProductFactory(producer=producer, name=f"Miến dong số {i}")
        certify(product, 3, timezone.localdate() - dt.timedelta(days=5))
        products_sync_certification([product.pk])
        trade.booth_request(booth_type=booths, producer=producer, products=[product], by=member(f"m{i}", producer))
        SalePointFactory(province=cao_bang, commune=cao_bang.communes.first()).products.add(product)
        FairFactory(province=cao_bang)

    add(0)  # one of each, so that the prefetches run (they skip empty lists)
    before = counts()
    for i in range(1, 7):
        add(i)
    assert counts() == before


def test_after_the_fair_the_booth_results_are_recorded_and_kept_on_its_page(client, shop, province_officer):
    fair = FairFactory(province=Province.objects.get(code="04"), starts_on=timezone.localdate() + dt.timedelta(days=2),
                       first_come=True)  # fmt: skip
    booths = BoothType.objects.create(fair=fair, name="Gian", count=2)
    booking = trade.booth_request(booth_type=booths, producer=shop["products"][0].producer,
                                  products=[shop["products"][0]], by=shop["owners"][0])  # fmt: skip
    url = reverse("market:booth-results", args=[booking.pk])
    client.force_login(shop["owners"][0])
    client.post(url, {"deals": "3", "sales_value": "12000000"})
    booking.refresh_from_db()
    assert booking.deals is None  # not before the fair has started
    fair.starts_on = timezone.localdate() - dt.timedelta(days=5)
    fair.ends_on = timezone.localdate() - dt.timedelta(days=1)
    fair.save()
    client.post(url, {"deals": "x"})
    booking.refresh_from_db()
    assert booking.deals is None
    client.post(url, {"deals": "3", "sales_value": "12000000"})
    booking.refresh_from_db()
    assert (booking.deals, booking.sales_value) == (3, 12_000_000)
    client.force_login(shop["owners"][1])
    assert client.post(url, {"deals": "9"}).status_code == 403
    client.logout()
    assert "3 giao dịch" in client.get(reverse("market:fair-detail", args=[fair.pk])).content.decode()


def test_only_a_certified_product_at_the_asked_level_can_be_offered(shop):
    demand = BuyerDemand.objects.create(buyer=UserFactory(username="b5", role=User.Role.BUYER), organisation="X",
                                        title="Miến", quantity=1, unit="kg", min_stars=5)  # fmt: skip
    with pytest.raises(ApplicationError, match="5"):
        trade.offer_make(demand=demand, product=shop["products"][0], by=shop["owners"][0], message="Có hàng")
    uncertified = ProductFactory(producer=shop["products"][0].producer)
    demand.min_stars = 3
    demand.save()
    with pytest.raises(ApplicationError):
        trade.offer_make(demand=demand, product=uncertified, by=shop["owners"][0], message="Có hàng")
    assert not DemandOffer.objects.exists()
