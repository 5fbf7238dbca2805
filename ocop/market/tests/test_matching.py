"""Demand matching, measured on the labelled set: precision of the first five results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.models import Category, Regime
from ocop.catalog.tests.factories import ProductFactory
from ocop.certification.services import products_sync_certification
from ocop.dashboards.tests.helpers import certify
from ocop.geo.models import Commune, Province
from ocop.market.matching import demand_matches
from ocop.market.models import BuyerDemand
from ocop.market.tests.matching_set import DEMANDS, PRODUCTS
from ocop.producers.tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db
TARGET = 0.8


def build_labelled_set() -> list[tuple[BuyerDemand, set[str]]]:
    categories = {c.code: c for c in Category.objects.filter(regime=Regime.D148_2023)}
    communes = {}
    today = timezone.localdate()
    products = []
    for name, code, stars, province_code, capacity, unit, description in PRODUCTS:
        if province_code not in communes:
            communes[province_code] = Commune.objects.filter(province__code=province_code).order_by("code").first()
        commune = communes[province_code]
        producer = ProducerFactory(commune=commune, province=commune.province)
        product = ProductFactory(
            producer=producer, name=name, category=categories[code], annual_capacity=capacity,
            capacity_unit=unit, description=description,
        )  # fmt: skip
        certify(product, stars, today - dt.timedelta(days=100))
        products.append(product.pk)
    products_sync_certification(products)
    buyer = UserFactory(username="sieuthi", role=User.Role.BUYER)
    demands = []
    for spec in DEMANDS:
        demand = BuyerDemand.objects.create(
            buyer=buyer, organisation="Siêu thị Xanh", title=spec["title"], description=spec["description"],
            category=categories.get(spec["category"] or ""), min_stars=spec["min_stars"],
            quantity=Decimal(spec["quantity"]), unit=spec["unit"], frequency=spec["frequency"],
            certifications=spec.get("certifications", ""),
            delivery_province=Province.objects.get(code=spec["province"]),
        )  # fmt: skip
        demands.append((demand, set(spec["relevant"])))
    return demands


def precision_at_5(demands) -> tuple[float, list[tuple[str, float, list[str]]]]:
    """Mean over demands of (relevant products among the first five) / min(5, relevant products)."""
    rows = []
    for demand, relevant in demands:
        names = [m.product.name for m in demand_matches(demand=demand, limit=5)]
        hits = sum(name in relevant for name in names)
        rows.append((demand.title, hits / min(5, len(relevant)), names))
    return sum(p for _t, p, _n in rows) / len(rows), rows


def test_matching_reaches_the_target_precision_on_the_labelled_set():
    score, rows = precision_at_5(build_labelled_set())
    report = "\n".join(f"{p:.2f}  {title}: {names}" for title, p, names in rows)
    print(f"\nprecision@5 = {score:.3f}\n{report}")
    assert score >= TARGET, report


def test_matches_explain_themselves_and_respect_the_minimum_stars():
    demands = build_labelled_set()
    demand, _relevant = next(d for d in demands if d[0].min_stars == 4)
    matches = demand_matches(demand=demand, limit=10)
    assert matches and all(m.product.stars >= 4 for m in matches)
    assert all(any("★" in r for r in m.reasons) for m in matches)
    assert any(r.startswith(("Tên sản phẩm khớp", "Name matches")) for r in matches[0].reasons)
