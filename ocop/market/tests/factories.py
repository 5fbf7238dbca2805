from __future__ import annotations

import datetime as dt

import factory
from factory.random import randgen

from ocop.catalog.tests.factories import ProductFactory
from ocop.market.models import SalesChannel

PLATFORMS = ["Shopee", "Lazada", "Tiki", "Sendo", "Voso", "Postmart", "TikTok Shop"]
CHAINS = ["Big C", "MM Mega Market", "Co.opmart", "WinMart", "Lotte Mart", "Bách hóa Xanh"]
MARKETS = ["Nhật Bản", "Hàn Quốc", "Singapore", "Cộng hòa Séc", "Hoa Kỳ", "Úc", "Đức"]


def channel_name(kind: str) -> str:
    return randgen.choice({"ecommerce": PLATFORMS, "retail": CHAINS, "export": MARKETS}[kind])


class SalesChannelFactory(factory.django.DjangoModelFactory):
    """A listing on a platform, a retail contract or an export market of a product."""

    class Meta:
        model = SalesChannel

    product = factory.SubFactory(ProductFactory)
    kind = factory.LazyFunction(lambda: randgen.choices(["ecommerce", "retail", "export"], [6, 3, 1])[0])
    name = factory.LazyAttribute(lambda c: channel_name(c.kind))
    url = factory.LazyAttribute(
        lambda c: (
            f"https://{c.name.lower().replace(' ', '')}.vn/ocop-{randgen.randrange(10**6)}"
            if c.kind == "ecommerce"
            else ""
        )
    )
    stores = factory.LazyAttribute(lambda c: randgen.randint(1, 40) if c.kind == "retail" else None)
    since = factory.LazyFunction(lambda: dt.date(2020, 1, 1) + dt.timedelta(days=randgen.randrange(2000)))
