"""Statistics and their write-up, on the situations provinces actually report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from ocop.catalog.tests.factories import ProductFactory
from ocop.certification.models import Certificate
from ocop.dashboards.narrative import narrative
from ocop.dashboards.selectors import certified_stats, dashboard_stats, percent
from ocop.dashboards.tests.helpers import bac_kan_commune, certify, holding, producers_in, registrations
from ocop.geo.models import LegacyProvince, Province
from ocop.geo.scope import Scope
from ocop.market.tests.factories import FairFactory, SalePointFactory, SalesChannelFactory
from ocop.office.tests.helpers import plan
from ocop.producers.tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db
ON = dt.date(2023, 12, 31)
TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def cao_bang_2023(cao_bang):
    """Cao Bằng at the end of 2023: 97 products of 67 producers (9 at 4★, 88 at 3★), plus what must not count."""
    products = holding(cao_bang, products=97, producers=67, levels={4: 9, 3: 88}, on=ON)
    # An upgraded product counts once, at its new level: a 4★ product still holds its earlier 3★ certificate.
    four_star = next(p for p in products if p.certificates.get().stars == 4)
    certify(four_star, 3, dt.date(2021, 6, 1))
    # Not counted: an expired certificate, a revoked one, one issued after the date, another province's.
    old = ProductFactory(producer=producers_in(cao_bang, 1)[0])
    certify(old, 3, dt.date(2020, 1, 10))  # expired 10/01/2023
    revoked = ProductFactory(producer=old.producer)
    certify(revoked, 4, dt.date(2022, 3, 1), revoked_on=dt.date(2023, 5, 1), status=Certificate.Status.REVOKED,
            revocation_decision="12/QĐ-UBND")  # fmt: skip
    later = ProductFactory(producer=old.producer)
    certify(later, 3, dt.date(2024, 2, 1))
    certify(ProductFactory(producer=producers_in(Province.objects.get(code="01"), 1)[0]), 5, dt.date(2023, 3, 3))
    registrations(cao_bang, 2023, {"new": 78, "upgrade": 3, "reevaluation": 17})
    registrations(cao_bang, 2022, {"new": 40})
    return cao_bang


def test_it_counts_the_cao_bang_2023_holding_exactly(cao_bang_2023):
    c = certified_stats(scope=Scope.of(cao_bang_2023), on=ON)
    assert (c.products, c.producers, c.stars) == (97, 67, {5: 0, 4: 9, 3: 88})


def test_it_writes_the_cao_bang_sentences_in_vietnamese(cao_bang_2023):
    d = dashboard_stats(scope=Scope.of(cao_bang_2023), on=ON)
    text = narrative(d, language="vi", today=ON)
    assert (
        "Đến nay, toàn tỉnh duy trì 97 sản phẩm của 67 chủ thể được đánh giá, phân hạng, "
        "trong đó có 9 sản phẩm đạt hạng 4 sao, 88 sản phẩm đạt hạng 3 sao."
    ) in text
    assert (
        "Năm 2023, toàn tỉnh có 98 sản phẩm đăng ký tham gia Chương trình OCOP; trong đó, có 78 sản phẩm "
        "đăng ký mới, 3 sản phẩm đăng ký nâng hạng, 17 sản phẩm đánh giá lại."
    ) in text
    assert "5 sao" not in text  # a zero clause is left out


def test_it_says_as_of_a_past_date_and_writes_english_with_plurals(cao_bang_2023):
    d = dashboard_stats(scope=Scope.of(cao_bang_2023), on=ON)
    assert narrative(d, language="vi", today=TODAY).startswith("Tính đến ngày 31/12/2023, toàn tỉnh duy trì 97")
    english = narrative(d, language="en", today=ON)
    assert "the whole province holds 97 products of 67 producers" in english
    assert "9 products ranked 4 stars, 88 products ranked 3 stars" in english


def test_nghe_an_shares_are_written_with_a_decimal_comma(db):
    nghe_an = Province.objects.get(code="40")
    holding(nghe_an, products=115, producers=80, levels={3: 89, 4: 26}, on=ON)
    d = dashboard_stats(scope=Scope.of(nghe_an), on=ON)
    assert d.certified.star_percent(3) == Decimal("77.4") and d.certified.star_percent(4) == Decimal("22.6")
    text = narrative(d, language="vi", today=ON)
    assert (
        "Hiện tại Nghệ An có 115 sản phẩm OCOP đạt 3 sao trở lên "
        "(77,4% sản phẩm đạt 3 sao và 22,6% sản phẩm đạt 4 sao)." in text
    )
    assert "(77.4% of products at 3 stars and 22.6% of products at 4 stars)" in narrative(d, language="en", today=ON)


def test_a_plan_target_is_compared_in_count_and_percent(cao_bang):
    # 2018–2020: 40 planned, 107 certified in the period (one product certified twice counts once).
    plan(cao_bang, 2018, 2020, targets=[{"indicator": "certified", "value": 40},
                                        {"indicator": "certified", "stars": 4, "value": 10}])  # fmt: skip
    products = holding(cao_bang, products=107, producers=30, levels={3: 100, 4: 7}, on=dt.date(2020, 12, 31))
    certify(products[0], 4, dt.date(2020, 12, 30))  # a second certificate of the same product
    certify(ProductFactory(producer=products[1].producer), 3, dt.date(2021, 1, 2))  # after the period
    d = dashboard_stats(scope=Scope.of(cao_bang), on=dt.date(2021, 6, 30))
    all_levels, four = d.plans
    assert (all_levels.actual, all_levels.percent, all_levels.difference) == (107, Decimal("267.5"), 67)
    assert (four.actual, four.percent, four.difference) == (8, Decimal("80.0"), -2)
    text = narrative(d, language="vi", today=TODAY)
    assert (
        "So với mục tiêu giai đoạn 2018-2020 (40 sản phẩm), số lượng sản phẩm OCOP thực hiện là 107 sản phẩm, "
        "vượt 67 sản phẩm, đạt 267,5% kế hoạch."
    ) in text
    assert "còn thiếu 2 sản phẩm, đạt 80% kế hoạch." in text


def test_a_2020_record_in_bac_kan_counts_under_thai_nguyen_today_and_under_bac_kan_by_former_units(db):
    _legacy, commune = bac_kan_commune()
    bac_kan = LegacyProvince.objects.get(code="06")
    producer = ProducerFactory(commune=commune, province=commune.province, legacy_province=bac_kan)
    certify(ProductFactory(producer=producer), 4, dt.date(2020, 11, 5))
    on = dt.date(2021, 1, 1)
    thai_nguyen = Province.objects.get(code="19")
    assert commune.province == thai_nguyen
    assert certified_stats(scope=Scope.of(thai_nguyen), on=on).products == 1
    assert certified_stats(scope=Scope.of(bac_kan), on=on).products == 1
    today_units = {a.name: a.products for a in certified_stats(scope=Scope.nation(), on=on).areas}
    former_units = {a.name: a.products for a in certified_stats(scope=Scope.nation(former=True), on=on).areas}
    assert today_units["Thái Nguyên"] == 1 and former_units["Bắc Kạn"] == 1 and former_units["Thái Nguyên"] == 0
    assert len(today_units) == 34 and len(former_units) == 63


def test_as_of_a_date_a_product_counts_only_while_its_certificate_is_valid(cao_bang):
    product = ProductFactory(producer=producers_in(cao_bang, 1)[0])
    certify(product, 3, dt.date(2020, 3, 1), revoked_on=dt.date(2022, 6, 1), status=Certificate.Status.REVOKED)
    scope = Scope.of(cao_bang)
    counts = [certified_stats(scope=scope, on=day).products for day in
              (dt.date(2020, 2, 29), dt.date(2020, 3, 1), dt.date(2022, 5, 31), dt.date(2022, 6, 1))]  # fmt: skip
    assert counts == [0, 1, 1, 0]


def test_year_figures_channels_sale_points_and_fairs(cao_bang):
    products = holding(cao_bang, products=4, producers=2, levels={3: 3, 5: 1}, on=ON)
    SalesChannelFactory(product=products[0], kind="ecommerce", name="Shopee", since=dt.date(2023, 1, 1))
    SalesChannelFactory(product=products[0], kind="ecommerce", name="Lazada", since=dt.date(2023, 1, 1))
    SalesChannelFactory(product=products[1], kind="retail", name="Big C", since=dt.date(2023, 1, 1))
    SalesChannelFactory(product=products[2], kind="export", name="Nhật Bản", since=dt.date(2024, 1, 1))  # later
    SalePointFactory(commune=products[0].producer.commune, province=cao_bang)
    FairFactory(province=cao_bang, starts_on=dt.date(2023, 10, 1))
    FairFactory(province=cao_bang, starts_on=dt.date(2022, 10, 1))
    d = dashboard_stats(scope=Scope.of(cao_bang), on=ON)
    ch = d.channels
    assert (ch.ecommerce, ch.retail, ch.export, ch.sale_points, ch.fairs) == (1, 1, 0, 1, 1)
    assert [(s.label, s.products) for s in ch.platforms] == [("Lazada", 1), ("Shopee", 1)]
    assert d.lapsed.issued == 4
    text = narrative(d, language="vi", today=ON)
    assert (
        "Đã có 1 sản phẩm được đăng bán trên các sàn thương mại điện tử (Lazada 1, Shopee 1); "
        "1 sản phẩm được ký kết tiêu thụ với các hệ thống bán lẻ (Big C 1)." in text
    )
    assert "xuất khẩu" not in text


def test_numbers_are_grouped_the_vietnamese_way(db):
    d = dashboard_stats(scope=Scope.nation(), on=ON)
    d.certified.products, d.certified.producers = 1649, 1200
    d.certified.stars = {5: 0, 4: 649, 3: 1000}
    with translation.override("vi"):
        assert "duy trì 1.649 sản phẩm của 1.200 chủ thể" in narrative(d, today=ON)
    assert "1,649 products of 1,200 producers" in narrative(d, language="en", today=ON)


def test_an_empty_scope_says_so_and_nothing_else(db):
    d = dashboard_stats(scope=Scope.of(Province.objects.get(code="96")), on=ON)
    assert narrative(d, language="vi", today=ON) == (
        "Đến nay, toàn tỉnh chưa có sản phẩm nào còn hiệu lực chứng nhận OCOP."
    )


def test_percent_rounds_half_up_and_is_empty_for_zero():
    assert percent(1, 8) == Decimal("12.5") and percent(1, 3) == Decimal("33.3") and percent(1, 0) is None


@pytest.mark.parametrize("former", [False, True])
def test_the_dashboard_runs_the_same_few_queries_whatever_the_data(cao_bang_2023, former):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(scope: Scope) -> int:
        with CaptureQueriesContext(connection) as context:
            dashboard_stats(scope=scope, on=ON, use_cache=False)
        return len(context)

    scopes = [Scope.nation(former=former), Scope.of(cao_bang_2023)]
    before = [queries(scope) for scope in scopes]
    holding(cao_bang_2023, products=30, producers=10, levels={5: 10, 4: 20}, on=ON)
    plan(cao_bang_2023, 2021, 2025, targets=[{"indicator": "certified", "value": 100}])
    SalesChannelFactory(product=ProductFactory(producer=producers_in(cao_bang_2023, 1)[0]))
    after = [queries(scope) for scope in scopes]
    assert max(after) <= 16 and after[0] == before[0] and after[1] <= before[1] + 3  # + the plan, targets, figures
