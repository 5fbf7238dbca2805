from __future__ import annotations

import datetime as dt

import factory
from factory.random import randgen

from ocop.catalog.tests.factories import ProductFactory
from ocop.geo.models import Commune, Province
from ocop.market.models import Fair, SalePoint, SalesChannel
from ocop.site.demo import CHAINS, MARKETS, PLATFORMS


class SalesChannelFactory(factory.django.DjangoModelFactory):
    """A listing on a platform, a retail contract or an export market of a product."""

    class Meta:
        model = SalesChannel

    product = factory.SubFactory(ProductFactory)
    kind = factory.LazyFunction(lambda: randgen.choices(["ecommerce", "retail", "export"], [6, 3, 1])[0])
    name = factory.LazyAttribute(
        lambda c: randgen.choice({"ecommerce": PLATFORMS, "retail": CHAINS, "export": MARKETS}[c.kind])
    )
    url = factory.LazyAttribute(
        lambda c: (
            f"https://{c.name.lower().replace(' ', '')}.vn/ocop-{randgen.randrange(10**6)}"
            if c.kind == "ecommerce"
            else ""
        )
    )
    stores = factory.LazyAttribute(lambda c: randgen.randint(1, 40) if c.kind == "retail" else None)
    since = factory.LazyFunction(lambda: dt.date(2020, 1, 1) + dt.timedelta(days=randgen.randrange(2000)))


class SalePointFactory(factory.django.DjangoModelFactory):
    """A display-and-sale point in a commune of a province."""

    class Meta:
        model = SalePoint

    name = factory.Sequence(lambda n: f"Điểm giới thiệu và bán sản phẩm OCOP số {n + 1}")
    operator = "Trung tâm Xúc tiến Thương mại"
    commune = factory.LazyFunction(lambda: Commune.objects.order_by("?").first())
    province = factory.LazyAttribute(lambda s: s.commune.province)
    opening_hours = "7:30–21:00"
    opened_on = dt.date(2022, 1, 1)


class FairFactory(factory.django.DjangoModelFactory):
    """A fair held over a few days in a province."""

    class Meta:
        model = Fair

    name = factory.Sequence(lambda n: f"Hội chợ OCOP lần thứ {n + 1}")
    organiser = "Sở Công Thương"
    place = "Trung tâm Hội chợ Triển lãm"
    province = factory.LazyFunction(lambda: Province.objects.order_by("?").first())
    starts_on = dt.date(2025, 11, 20)
    ends_on = factory.LazyAttribute(lambda f: f.starts_on + dt.timedelta(days=4))
