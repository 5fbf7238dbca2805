from __future__ import annotations

import factory
from factory.random import randgen

from ocop.core.demo_words import PRODUCER_PREFIXES, PRODUCER_WORDS
from ocop.geo.tests.factories import random_commune
from ocop.producers.models import Producer
from ocop.producers.services import producer_fill_derived

KIND_WEIGHTS = [  # shares of producers in 12/2023 (ocop.md §6)
    (Producer.Kind.COOPERATIVE, 38),
    (Producer.Kind.ENTERPRISE, 24),
    (Producer.Kind.HOUSEHOLD, 35),
    (Producer.Kind.COOPERATIVE_GROUP, 3),
]


def random_kind() -> str:
    kinds, weights = zip(*KIND_WEIGHTS, strict=True)
    return randgen.choices(kinds, weights)[0]


def producer_name(kind: str, place: str) -> str:
    prefix = randgen.choice(PRODUCER_PREFIXES[kind])
    word = randgen.choice(PRODUCER_WORDS)
    return f"{prefix} {word} {place}" if randgen.random() < 0.5 else f"{prefix} {word}"


class ProducerFactory(factory.django.DjangoModelFactory):
    """A producer in a random commune, named like real ones ("Hợp tác xã Suối Giàng …")."""

    class Meta:
        model = Producer

    kind = factory.LazyFunction(random_kind)
    commune = factory.LazyFunction(random_commune)
    province = factory.LazyAttribute(lambda p: p.commune.province)
    name = factory.LazyAttribute(lambda p: producer_name(p.kind, p.commune.name.split(" ", 1)[-1] if p.commune else ""))
    tax_code = factory.Sequence(lambda n: f"{4600000000 + n:010d}")
    representative = factory.Faker("name", locale="vi_VN")
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
