"""Once, however often it is clicked: concurrent identical posts create one record, a flood limit holds under
concurrent requests, a unique clash is a message. Real threads, real connections, on both databases."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.core.once import FIELD, new_form_token
from ocop.core.tests.concurrency import at_once
from ocop.market.models import BuyerDemand, DemandOffer, Inquiry
from ocop.market.tests import test_trade
from ocop.market.tests.test_trade import INQUIRY

pytestmark = pytest.mark.django_db(transaction=True)
shop = test_trade.shop  # the same fixture: two producers of Cao Bằng with a certified product each


@pytest.fixture(autouse=True)
def _reference():
    call_command("load_reference", verbosity=0)  # a transactional test starts from an empty database


def test_five_identical_inquiries_sent_at_once_make_one(shop):
    product = shop["products"][0]
    token = new_form_token()
    url = reverse("market:inquiry-new", args=[product.pk])
    codes = at_once(5, lambda c: c.post(url, {**INQUIRY, FIELD: token}, REMOTE_ADDR="10.0.0.9"))
    assert Inquiry.objects.count() == 1
    assert sorted(codes) == [302] * 5  # the others are sent where the first went


def test_twelve_concurrent_inquiries_pass_the_limit_exactly_five_times(shop, settings):
    product = shop["products"][0]
    url = reverse("market:inquiry-new", args=[product.pk])
    codes = at_once(12, lambda c: c.post(url, {**INQUIRY, FIELD: new_form_token()}, REMOTE_ADDR="10.0.0.7"))
    assert Inquiry.objects.count() == settings.OCOP_INQUIRY_LIMITS[0] == 5
    assert sorted(codes) == [302] * 5 + [400] * 7


def test_five_identical_demands_and_offers_at_once_make_one_each(shop, cao_bang):
    buyer = UserFactory(username="mua-cung-luc", role=User.Role.BUYER)
    token = new_form_token()
    data = {"organisation": "Siêu thị Xanh", "title": "Cần mua miến dong", "quantity": "500", "unit": "kg",
            "frequency": "monthly", "min_stars": "3", FIELD: token}  # fmt: skip

    def post_demand(client):
        client.force_login(buyer)
        return client.post(reverse("market:demand-new"), data)

    assert sorted(at_once(5, post_demand)) == [302] * 5
    demand = BuyerDemand.objects.get()
    owner, product = shop["owners"][0], shop["products"][0]

    def post_offer(client):  # each with its own form token: the unique offer per product decides
        client.force_login(owner)
        data = {"product": product.pk, "message": "Chúng tôi có hàng.", FIELD: new_form_token()}
        return client.post(reverse("market:demand-detail", args=[demand.pk]), data)

    codes = at_once(5, post_offer)
    assert DemandOffer.objects.count() == 1
    assert 500 not in codes and codes.count(302) == 1


def test_five_identical_channels_and_booth_requests_at_once_make_one_each(shop, cao_bang):
    import datetime as dt

    from django.utils import timezone

    from ocop.market.models import BoothBooking, BoothType, SalesChannel
    from ocop.market.tests.factories import FairFactory

    owner, product = shop["owners"][0], shop["products"][0]
    token = new_form_token()
    channel = {"channel": "1", "kind": "ecommerce", "name": "Shopee", "url": "https://shopee.vn/mien", FIELD: token}

    def post_channel(client):
        client.force_login(owner)
        return client.post(reverse("market:product-sales", args=[product.pk]), channel)

    codes = at_once(5, post_channel)
    assert SalesChannel.objects.count() == 1 and 500 not in codes

    fair = FairFactory(province=cao_bang, starts_on=timezone.localdate() + dt.timedelta(days=20))
    booths = BoothType.objects.create(fair=fair, name="Gian tiêu chuẩn 3×3 m", count=10)
    booth = {"booth_type": booths.pk, "producer": product.producer_id, "products": [product.pk],
             FIELD: new_form_token()}  # fmt: skip

    def post_booth(client):
        client.force_login(owner)
        return client.post(reverse("market:fair-detail", args=[fair.pk]), booth)

    codes = at_once(5, post_booth)
    assert BoothBooking.objects.count() == 1 and 500 not in codes
