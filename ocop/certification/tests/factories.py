from __future__ import annotations

import datetime as dt

import factory
from factory.random import randgen

from ocop.catalog.tests.factories import ProductFactory
from ocop.certification.models import Certificate
from ocop.certification.projection import spans_rebuild
from ocop.certification.rules import certificate_number_format, certifying_level, regime_on, verification_code_new
from ocop.core.dates import certificate_expiry
from ocop.site.demo import issuer_for, random_stars, score_for


class CertificateFactory(factory.django.DjangoModelFactory):
    """A certificate whose score lies in its star band and whose expiry is 36 months after issue."""

    class Meta:
        model = Certificate

    product = factory.SubFactory(ProductFactory)
    stars = factory.LazyFunction(lambda: random_stars(randgen))
    score = factory.LazyAttribute(lambda c: score_for(randgen, c.stars))
    issued_on = factory.LazyFunction(lambda: dt.date(2022, 1, 1) + dt.timedelta(days=randgen.randrange(1400)))
    expires_on = factory.LazyAttribute(lambda c: certificate_expiry(c.issued_on))
    regime = factory.LazyAttribute(lambda c: regime_on(c.issued_on))
    level = factory.LazyAttribute(lambda c: certifying_level(regime=c.regime, stars=c.stars).level)
    province = factory.LazyAttribute(lambda c: c.product.producer.province)
    issuer = factory.LazyAttribute(lambda c: issuer_for(stars=c.stars, issued_on=c.issued_on, province=c.province))
    number = factory.LazyAttributeSequence(
        lambda c, n: certificate_number_format(province_code=c.province.code, year=c.issued_on.year, serial=90000 + n)
    )
    verification_code = factory.LazyFunction(lambda: verification_code_new(randgen))
    decision_number = factory.LazyAttribute(lambda c: f"{randgen.randint(100, 3999)}/QĐ-UBND")
    status = Certificate.Status.VALID

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        certificate = super()._create(model_class, *args, **kwargs)
        spans_rebuild([certificate.product_id])  # as every certificate service does
        return certificate
