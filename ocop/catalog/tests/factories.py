from __future__ import annotations

import factory
from factory.random import randgen

from ocop.catalog.models import Category, Product, Regime
from ocop.catalog.services import product_fill_derived
from ocop.core.demo_words import PRODUCT_STEMS, STORY_LINES
from ocop.producers.tests.factories import ProducerFactory
from ocop.site.demo import place_word, product_name, random_leaf_code


def leaf(code: str) -> Category:
    return Category.objects.select_related("parent", "group").get(regime=Regime.D148_2023, code=code)


def _price(leaf_code: str) -> tuple[int, int]:
    low, high = PRODUCT_STEMS[leaf_code][2:]
    a = randgen.randrange(low, high, 1000)
    return a, min(high, a + randgen.randrange(0, max(1000, (high - low) // 3), 1000))


class ProductFactory(factory.django.DjangoModelFactory):
    """A product of a producer, in one of the 26 criteria-set groups, with a plausible name and price."""

    class Meta:
        model = Product

    class Params:
        leaf_code = factory.LazyFunction(lambda: random_leaf_code(randgen))

    producer = factory.SubFactory(ProducerFactory)
    category = factory.LazyAttribute(lambda p: leaf(p.leaf_code))
    name = factory.LazyAttribute(lambda p: product_name(randgen, p.leaf_code, place_word(p.producer.commune)))
    unit = factory.LazyAttribute(lambda p: PRODUCT_STEMS[p.leaf_code][1])
    price_min = factory.LazyAttribute(lambda p: _price(p.leaf_code)[0])
    price_max = factory.LazyAttribute(lambda p: p.price_min + randgen.randrange(0, 50, 5) * 1000)
    description = factory.LazyAttribute(
        lambda p: f"{p.name} do {p.producer.name} sản xuất tại {p.producer.commune.name}."
    )
    story = factory.LazyFunction(lambda: " ".join(randgen.sample(STORY_LINES, 2)))
    packaging = factory.LazyFunction(lambda: randgen.choice(["Hộp giấy", "Túi zip", "Chai thủy tinh", "Hộp gỗ", ""]))
    annual_capacity = factory.LazyFunction(lambda: randgen.randrange(500, 200000, 500))
    capacity_unit = factory.LazyAttribute(lambda p: p.unit)
    status = Product.Status.ACTIVE

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        product = model_class(*args, **kwargs)
        product_fill_derived(product)
        return product

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        product = cls._build(model_class, *args, **kwargs)
        product.save()
        return product
