"""The "cần bổ sung" list: what imported records still lack (the decision's day, the commune, the product group,
the issuer), in the officer's area, with counts for the dashboard and suggestions that a person confirms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ocop.accounts.scoping import area_of
from ocop.catalog.models import Category, Product, Regime
from ocop.certification.models import Certificate
from ocop.core.dates import DatePrecision
from ocop.producers.models import Producer
from ocop.spreadsheets.importer.rows import CategoryGuesser

# The kinds of gap, by their URL key, with their label.
GAPS: dict[str, Any] = {
    "ngay": _("Decision day unknown"),
    "xa": _("Commune unknown"),
    "nhom": _("Product group unknown"),
    "co-quan": _("Issuer not stated"),
}


def _province_filter(user: Any, province_id: int | None) -> int | bool | None:
    """The province the lists are limited to: the officer's own; for the central office, the one chosen (or
    None: every province). False when the user answers for no area."""
    area = area_of(user)
    if area is None:
        return False
    if area.is_national:
        return province_id
    return area.province_id


def gap_querysets(user: Any, *, province_id: int | None = None) -> dict[str, QuerySet]:
    """Each gap's records in the user's area (every one empty for users without an area)."""
    province = _province_filter(user, province_id)
    certificates = Certificate.objects.all()
    producers = Producer.objects.all()
    products = Product.objects.exclude(status=Product.Status.DRAFT)
    if province is False:
        return {key: Certificate.objects.none() for key in GAPS}
    if province is not None:
        certificates = certificates.filter(province_id=province)
        producers = producers.filter(province_id=province)
        products = products.filter(province_id=province)
    return {
        "ngay": certificates.exclude(issued_precision=DatePrecision.DAY)
        .select_related("product__producer", "province")
        .order_by("issued_on", "product__sort_key", "pk"),
        "xa": producers.filter(commune__isnull=True)
        .select_related("province", "legacy_district", "legacy_province")
        .order_by("sort_key", "pk"),
        "nhom": products.filter(category__isnull=True).select_related("producer__province").order_by("sort_key", "pk"),
        "co-quan": certificates.filter(Q(issuer="")).select_related("product__producer", "province")
        .order_by("-issued_on", "product__sort_key", "pk"),
    }  # fmt: skip


@dataclass
class GapCount:
    key: str
    label: Any
    count: int


def gap_counts(user: Any, *, province_id: int | None = None) -> list[GapCount]:
    """How many records lack each thing (four counting queries)."""
    return [
        GapCount(key, GAPS[key], queryset.count())
        for key, queryset in gap_querysets(user, province_id=province_id).items()
    ]


def group_suggestions(products: list[Product]) -> dict[int, Category | None]:
    """A suggested product group for each product, from its name ("Mật ong…" → I.2.b); shown, never applied."""
    guesser = CategoryGuesser()
    return {product.pk: guesser.from_name(product.name) for product in products}


def leaf_categories() -> QuerySet[Category]:
    """The criteria-set leaves a product may be classified into (today's classification)."""
    return Category.objects.filter(is_leaf=True, regime=Regime.D148_2023).order_by("position")
