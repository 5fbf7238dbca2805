"""The nation's figures from the rollup are the figures from the spans, on random histories.

Each example builds a small programme — products of a few producers in two provinces and two former
provinces, of several types and categories — then runs a random history through the projection's own entry
points (certificates issued one by one or imported with new products, revoked, re-dated, products moved or
re-categorised, sales channels opened and removed), and compares, on many days (first and last days of
months and years among them): `certified_stats` from the rollup with the same from the spans, nationwide
and by former provinces; the certificates issued per year; the year's issued, expired and revoked; the
products on each kind and name of sales channel. Last, the rollup kept step by step is the rollup rebuilt
from scratch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from ocop.catalog.models import Category, Product, Regime
from ocop.catalog.tests.factories import ProductFactory
from ocop.certification.models import Certificate, CertifiedCount, CertifiedProducerSpan
from ocop.certification.projection import spans_insert_for_new_products, spans_rebuild
from ocop.certification.rollup import nation_events, rollup_rebuild
from ocop.certification.tests.factories import CertificateFactory
from ocop.core.dates import DatePrecision, certificate_expiry
from ocop.dashboards.selectors.activity import channel_stats
from ocop.dashboards.selectors.certified import (
    certificates_stats_by_year,
    certificates_stats_lapsed,
    certified_stats_from_rollup,
    certified_stats_from_spans,
)
from ocop.geo.models import Commune, LegacyProvince, Province
from ocop.geo.scope import Scope
from ocop.market.models import ChannelSpan, SalesChannel
from ocop.market.rollup import FIELDS as CHANNEL_SPAN_FIELDS
from ocop.market.services import products_sync_channels
from ocop.producers.models import Producer
from ocop.producers.tests.factories import ProducerFactory

DAY0 = dt.date(2020, 1, 1)
HORIZON = 365 * 7

# Any day, and often the first day of a month or a year, where the sums cut and where events coincide
# (a certificate expiring on 1 January, a product's span ending the day another's starts).
days = st.one_of(
    st.integers(0, HORIZON).map(lambda n: DAY0 + dt.timedelta(days=n)),
    st.tuples(st.integers(2020, 2026), st.integers(1, 12)).map(lambda ym: dt.date(ym[0], ym[1], 1)),
    st.integers(2020, 2026).map(lambda y: dt.date(y, 1, 1)),
)
edges = st.one_of(
    days,
    st.tuples(st.integers(2020, 2026), st.integers(1, 12)).map(lambda ym: dt.date(ym[0], ym[1], 1)),
    st.integers(2020, 2026).map(lambda y: dt.date(y, 12, 31)),
    st.tuples(st.integers(2020, 2026), st.integers(1, 12)).map(
        lambda ym: dt.date(ym[0] + ym[1] // 12, ym[1] % 12 + 1, 1) - dt.timedelta(days=1)
    ),
)

steps = st.lists(
    st.one_of(
        st.tuples(st.just("issue"), st.integers(0, 5), st.integers(3, 5), days, st.sampled_from(DatePrecision.values)),
        st.tuples(st.just("import"), st.integers(0, 2), st.integers(3, 5), days, st.integers(0, 2)),
        st.tuples(st.just("revoke"), st.integers(0, 20), st.one_of(days, st.none())),  # None: on its expiry
        st.tuples(st.just("redate"), st.integers(0, 20), days),
        st.tuples(
            st.just("channel"),
            st.integers(0, 5),
            st.sampled_from(SalesChannel.Kind.values),
            st.integers(0, 2),
            st.one_of(st.none(), days),
            st.one_of(st.none(), days),
        ),
        st.tuples(st.just("unchannel"), st.integers(0, 20)),
        st.tuples(st.just("move"), st.integers(0, 5), st.integers(0, 1), st.integers(0, 2), st.integers(0, 1)),
    ),
    min_size=1,
    max_size=14,
)


class RollupEquivalenceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.provinces = list(Province.objects.order_by("code")[:2])
        cls.legacy = [*LegacyProvince.objects.order_by("code")[:2], None]
        cls.categories = list(Category.objects.filter(regime=Regime.D148_2023, is_leaf=True).order_by("code")[:2])
        cls.kinds = [Producer.Kind.COOPERATIVE, Producer.Kind.HOUSEHOLD, Producer.Kind.ENTERPRISE]

    def _producer(self, index: int) -> Producer:
        province = self.provinces[index % 2]
        commune = Commune.objects.filter(province=province).order_by("code").first()
        return ProducerFactory(
            province=province, commune=commune, legacy_province=self.legacy[index % 3], kind=self.kinds[index % 3]
        )

    def _certificate(self, product: Product, stars: int, issued_on: dt.date, **extra) -> Certificate:
        return CertificateFactory.build(
            product=product, stars=stars, issued_on=issued_on, expires_on=certificate_expiry(issued_on), **extra
        )

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(history=steps, checks=st.lists(edges, min_size=3, max_size=6))
    def test_the_rollup_sums_to_the_spans(self, history, checks):
        producers = [self._producer(i) for i in range(3)]
        products = [ProductFactory(producer=producers[i % 3], category=self.categories[i % 2]) for i in range(6)]
        certificates: list[Certificate] = []
        channels: list[SalesChannel] = []
        for step in history:
            kind = step[0]
            if kind == "issue":
                _, index, stars, issued_on, precision = step
                certificate = self._certificate(products[index], stars, issued_on, issued_precision=precision)
                certificate.save()
                spans_rebuild([products[index].pk])
                certificates.append(certificate)
            elif kind == "import":  # new products with their certificates, as the importer writes them
                _, owner, stars, issued_on, extra = step
                new = [ProductFactory(producer=producers[owner], category=self.categories[owner % 2])
                       for _ in range(extra + 1)]  # fmt: skip
                made = [self._certificate(p, stars, issued_on) for p in new]
                for certificate in made:
                    certificate.save()
                spans_insert_for_new_products(made)
                products += new
                certificates += made
            elif kind in ("revoke", "redate") and certificates:
                _, index, day = step
                certificate = certificates[index % len(certificates)]
                if kind == "revoke":
                    certificate.revoked_on = day or certificate.expires_on
                else:
                    certificate.issued_on, certificate.expires_on = day, certificate_expiry(day)
                certificate.save()
                spans_rebuild([certificate.product_id])
            elif kind == "channel":  # a platform, chain or market, open-ended or not
                _, index, channel_kind, name, since, until = step
                if since and until and until < since:
                    since, until = until, since
                product = products[index % len(products)]
                channels.append(
                    SalesChannel.objects.create(
                        product=product, kind=channel_kind, name=["Shopee", "Co.opmart", "Nhật Bản"][name],
                        since=since, until=until,
                    )
                )  # fmt: skip
                products_sync_channels([product.pk])
            elif kind == "unchannel" and channels:
                channel = channels.pop(step[1] % len(channels))
                channel.delete()
                products_sync_channels([channel.product_id])
            elif kind == "move":  # a product re-categorised or its producer's place changed
                _, index, category, legacy, province = step
                product = products[index % len(products)]
                Product.objects.filter(pk=product.pk).update(
                    category=self.categories[category], legacy_province=self.legacy[legacy],
                    province=self.provinces[province],
                )  # fmt: skip
                spans_rebuild([product.pk])
        # And the days the history's events fell on, where a month's own events decide.
        dated = sorted({d for c in certificates for d in (c.issued_on, c.expires_on, c.revoked_on) if d})
        for on in checks + dated[:: max(1, len(dated) // 6)]:
            events = nation_events(on)
            for former in (False, True):
                scope = Scope.nation(former=former)
                rolled = certified_stats_from_rollup(scope=scope, on=on, events=events)
                spanned = certified_stats_from_spans(scope=scope, on=on)
                assert dataclasses.asdict(rolled) == dataclasses.asdict(spanned), on
            scope = Scope.nation()
            assert certificates_stats_by_year(scope=scope, on=on, events=events) == certificates_stats_by_year(
                scope=scope, on=on, from_spans=True
            )
            assert certificates_stats_lapsed(
                scope=scope, on=on, year=on.year, events=events
            ) == certificates_stats_lapsed(scope=scope, on=on, year=on.year, from_spans=True)
            assert channel_stats(scope=scope, on=on, events=events) == channel_stats(
                scope=scope, on=on, from_spans=True
            )
        kept = self._rollup()
        rollup_rebuild()  # the channels' part included (`rollup_rebuilt`)
        assert kept == self._rollup()

    @staticmethod
    def _rollup() -> tuple[set, set, set]:
        counts = set(
            CertifiedCount.objects.exclude(n=0).values_list(
                "grain", "period", "facet", "province_id", "legacy_province_id", "key", "n"
            )
        )
        spans = set(
            CertifiedProducerSpan.objects.filter(starts_on__lt=F("ends_on")).values_list(
                "grouping", "area_id", "producer_kind", "producer_id", "starts_on", "ends_on"
            )
        )
        channel_spans = set(ChannelSpan.objects.values_list(*CHANNEL_SPAN_FIELDS))
        return counts, spans, channel_spans


def test_statistics_rebuild_checks_and_repairs_the_rollup(db, cao_bang):
    from io import StringIO

    import pytest
    from django.core.management import CommandError, call_command

    from ocop.dashboards.tests.helpers import certify, producers_in

    product = ProductFactory(producer=producers_in(cao_bang, 1)[0])
    certify(product, 4, dt.date(2024, 3, 5))
    out = StringIO()
    call_command("statistics_rebuild", "--check", stdout=out)
    assert "agrees" in out.getvalue()
    CertifiedCount.objects.filter(facet="a").update(n=F("n") + 1)  # a change made behind the services' back
    with pytest.raises(CommandError, match="differs"):
        call_command("statistics_rebuild", "--check")
    assert CertifiedCount.objects.filter(facet="a", n=2).exists()  # the check wrote nothing
    call_command("statistics_rebuild", stdout=StringIO())
    call_command("statistics_rebuild", "--check", stdout=out)
    assert (
        certified_stats_from_rollup(
            scope=Scope.nation(), on=dt.date(2025, 1, 1), events=nation_events(dt.date(2025, 1, 1))
        ).products
        == 1
    )
