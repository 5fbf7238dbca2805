from __future__ import annotations

import factory
from factory.random import randgen

from ocop.geo.tests.factories import random_commune
from ocop.producers.models import Producer
from ocop.producers.services import producer_fill_derived
from ocop.site.demo import person_name, place_word, producer_name, random_kind


class ProducerFactory(factory.django.DjangoModelFactory):
    """A producer in a random commune, named like real ones ("Hợp tác xã Suối Giàng …")."""

    class Meta:
        model = Producer

    kind = factory.LazyFunction(lambda: random_kind(randgen))
    commune = factory.LazyFunction(random_commune)
    province = factory.LazyAttribute(lambda p: p.commune.province)
    name = factory.LazyAttribute(lambda p: producer_name(randgen, p.kind, place_word(p.commune)))
    tax_code = factory.Sequence(lambda n: f"{4600000000 + n:010d}")
    representative = factory.LazyFunction(lambda: person_name(randgen))
    phone = factory.LazyFunction(lambda: f"09{randgen.randrange(10**8):08d}")
    email = factory.LazyAttribute(lambda p: f"lienhe{p.tax_code[-6:]}@example.vn")
    address = factory.LazyFunction(lambda: f"Thôn {randgen.randint(1, 12)}")
    founded_on = factory.Faker("date_between", start_date="-25y", end_date="-2y")
    members = factory.LazyFunction(lambda: randgen.randint(3, 120))

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        producer = model_class(*args, **kwargs)
        producer_fill_derived(producer)
        return producer

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        producer = cls._build(model_class, *args, **kwargs)
        producer.save()
        return producer
