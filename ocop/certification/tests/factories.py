from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.random import randgen

from ocop.catalog.tests.factories import ProductFactory
from ocop.certification.models import Certificate
from ocop.certification.services import regime_on, verification_code_new
from ocop.core.dates import certificate_expiry
from ocop.dashboards.projection import spans_rebuild

STAR_BANDS = {3: (50, 70), 4: (70, 90), 5: (90, 100)}


def issuer_name(full_name: str) -> str:
    """ "Tỉnh Cao Bằng" → "tỉnh Cao Bằng", as written after "UBND"."""
    return full_name[0].lower() + full_name[1:]


def random_stars() -> int:
    return randgen.choices([3, 4, 5], [72, 26, 2])[0]


def score_for(stars: int) -> Decimal:
    low, high = STAR_BANDS[stars]
    return Decimal(randgen.randrange(low * 4, high * 4 - (0 if stars == 5 else 1))) / 4 + Decimal("0.00")


class CertificateFactory(factory.django.DjangoModelFactory):
    """A certificate whose score lies in its star band and whose expiry is 36 months after issue."""

    class Meta:
        model = Certificate

    product = factory.SubFactory(ProductFactory)
    stars = factory.LazyFunction(random_stars)
    score = factory.LazyAttribute(lambda c: score_for(c.stars))
    issued_on = factory.LazyFunction(lambda: dt.date(2022, 1, 1) + dt.timedelta(days=randgen.randrange(1400)))
    expires_on = factory.LazyAttribute(lambda c: certificate_expiry(c.issued_on))
    regime = factory.LazyAttribute(lambda c: regime_on(c.issued_on))
    level = factory.LazyAttribute(lambda c: Certificate.Level.CENTRAL if c.stars == 5 else Certificate.Level.PROVINCE)
    province = factory.LazyAttribute(lambda c: c.product.producer.province)
    issuer = factory.LazyAttribute(
        lambda c: "Bộ Nông nghiệp và Môi trường" if c.stars == 5 else f"UBND {issuer_name(c.province.full_name)}"
    )
    number = factory.LazyAttributeSequence(lambda c, n: f"OCOP-{c.province.code}-{c.issued_on.year}-{90000 + n:05d}")
    verification_code = factory.LazyFunction(lambda: verification_code_new(randgen))
    decision_number = factory.LazyAttribute(lambda c: f"{randgen.randint(100, 3999)}/QĐ-UBND")
    status = Certificate.Status.VALID

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        certificate = super()._create(model_class, *args, **kwargs)
        spans_rebuild([certificate.product_id])  # as every certificate service does
        return certificate
