"""Building the situations provinces report, in data."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ocop.catalog.models import Category, Regime
from ocop.catalog.tests.factories import ProductFactory
from ocop.certification.models import Certificate
from ocop.certification.tests.factories import CertificateFactory
from ocop.core.dates import certificate_expiry
from ocop.evaluation.models import Dossier, EvaluationRound
from ocop.evaluation.tests.helpers import complete_test_set
from ocop.geo.models import Commune, LegacyCommune, Province
from ocop.producers.tests.factories import ProducerFactory


def producers_in(province: Province, count: int, *, legacy_province=None) -> list:
    communes = list(Commune.objects.filter(province=province).order_by("code")[:10])
    return [
        ProducerFactory(commune=communes[i % len(communes)], province=province, legacy_province=legacy_province)
        for i in range(count)
    ]


def certify(product, stars: int, issued_on: dt.date, **extra) -> Certificate:
    return CertificateFactory(
        product=product, stars=stars, issued_on=issued_on, expires_on=certificate_expiry(issued_on), **extra
    )


def holding(province: Province, *, products: int, producers: int, levels: dict[int, int], on: dt.date) -> list:
    """`products` certified products of `producers` producers in `province`, valid on `on`, `levels`
    giving how many at each star level; returns the products."""
    assert sum(levels.values()) == products
    owners = producers_in(province, producers)
    items = [ProductFactory(producer=owners[i % producers]) for i in range(products)]
    stars = [s for s, n in sorted(levels.items()) for _ in range(n)]
    for index, (product, level) in enumerate(zip(items, stars, strict=True)):
        certify(product, level, on - dt.timedelta(days=30 + index))
    return items


def registrations(province: Province, year: int, kinds: dict[str, int], *, status=Dossier.Status.SUBMITTED) -> None:
    """Dossiers sent to the commune in a round of `year` (written directly: the workflow has its own tests)."""
    criteria_set = complete_test_set()
    evaluation_round, _ = EvaluationRound.objects.get_or_create(
        province=province, year=year, number=1,
        defaults={"opens_on": dt.date(year, 1, 5), "submission_deadline": dt.date(year, 4, 30),
                  "scoring_deadline": dt.date(year, 6, 30), "regime": Regime.D148_2023},
    )  # fmt: skip
    category = Category.objects.get(regime=Regime.D148_2023, code="I.1.a")
    producer = producers_in(province, 1)[0]
    Dossier.objects.bulk_create(
        Dossier(
            round=evaluation_round,
            producer=producer,
            kind=kind,
            status=status,
            regime=Regime.D148_2023,
            product_name=f"Sản phẩm {kind} {i}",
            category=category,
            criteria_set=criteria_set,
            province=province,
            commune=producer.commune,
            submitted_at=timezone.now(),
        )
        for kind, n in kinds.items()
        for i in range(n)
    )


def bac_kan_commune() -> tuple[LegacyCommune, Commune]:
    """A former commune of Bắc Kạn and the commune of Thái Nguyên it is part of today."""
    legacy = LegacyCommune.objects.filter(district__province__code="06", successor__isnull=False).order_by("code")[0]
    assert legacy.successor is not None
    return legacy, legacy.successor
