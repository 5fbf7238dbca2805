"""The catalog's one filter definition: the page, the API and the exports all read products through it."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from ocop.catalog.models import Category, CertificateStatus, Product, Regime
from ocop.core.programme import LAST_YEAR, PROGRAMME_FIRST_YEAR
from ocop.core.text import nfc
from ocop.geo.models import Commune, LegacyProvince, Province
from ocop.producers.models import Producer


class Sort:
    RELEVANCE = "relevance"
    STARS = "stars"
    NEWEST = "newest"
    NAME = "name"
    CHOICES = [
        (RELEVANCE, _("Relevance")),
        (STARS, _("Stars")),
        (NEWEST, _("Newest certificate")),
        (NAME, _("Name (A–Z)")),
    ]


CHANNELS = [
    ("ecommerce", _("Listed on e-commerce")),
    ("retail", _("Sold in supermarkets")),
    ("export", _("Exported")),
]
CHANNEL_FIELDS = {"ecommerce": "has_ecommerce", "retail": "in_retail", "export": "exported"}


class CodeChoiceField(forms.ModelChoiceField):
    """Chooses a reference object by its code; a wrong code is an error naming the value."""

    default_error_messages = {"invalid_choice": _("“%(value)s” is not a known code.")}


class ProductFilterForm(forms.Form):
    """Every catalog filter, read from the query string (shareable URLs)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    province = CodeChoiceField(
        label=_("Province"), queryset=Province.objects.all(), to_field_name="code", required=False
    )
    former_province = CodeChoiceField(
        label=_("Former province"), queryset=LegacyProvince.objects.all(), to_field_name="code", required=False
    )
    commune = CodeChoiceField(label=_("Commune"), queryset=Commune.objects.all(), to_field_name="code", required=False)
    group = CodeChoiceField(
        label=_("Product group"),
        queryset=Category.objects.filter(regime=Regime.D148_2023, level=Category.Level.GROUP),
        to_field_name="code",
        required=False,
    )
    category = CodeChoiceField(
        label=_("Subgroup"),
        queryset=Category.objects.filter(regime=Regime.D148_2023),
        to_field_name="code",
        required=False,
    )
    stars = forms.TypedChoiceField(
        label=_("Stars"), choices=[("", _("Any")), (3, "3★"), (4, "4★"), (5, "5★")], coerce=int, empty_value=None,
        required=False,
    )  # fmt: skip
    status = forms.ChoiceField(
        label=_("Certificate"), choices=[("", _("Any")), *CertificateStatus.choices], required=False
    )
    year = forms.IntegerField(
        label=_("Certified in"), min_value=PROGRAMME_FIRST_YEAR, max_value=LAST_YEAR, required=False
    )
    producer_kind = forms.ChoiceField(
        label=_("Producer type"), choices=[("", _("Any")), *Producer.Kind.choices], required=False
    )
    channel = forms.ChoiceField(label=_("Sales channel"), choices=[("", _("Any")), *CHANNELS], required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=Sort.CHOICES, required=False)

    FACETS = ("province", "former_province", "group", "category", "stars", "status", "year", "producer_kind")

    def valid_filters(self) -> dict[str, Any]:
        """The valid part of the query string: an invalid value is reported, the rest still applies."""
        if self.is_valid():
            return self.cleaned_data
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}

    def clean_q(self) -> str:
        return nfc(self.cleaned_data["q"])


# Filters that are one column equal to the chosen value (the product table's copies of its producer's facts).
_EQUAL = {
    "province": "province", "former_province": "legacy_province", "commune": "commune", "group": "group",
    "stars": "stars", "status": "certificate_status", "year": "certified_on__year", "producer_kind": "producer_kind",
}  # fmt: skip


def filter_conditions(data: dict[str, Any]) -> dict[str, Q]:
    """Each chosen filter as a condition over the product table alone (no join: the search reads the product
    table from its index, and the facets count every option in one pass)."""
    conditions = {name: Q(**{field: data[name]}) for name, field in _EQUAL.items() if data.get(name)}
    if data.get("category"):
        category = data["category"]
        if category.level == Category.Level.GROUP:
            conditions["category"] = Q(category=category) | Q(group=category)
        elif category.level == Category.Level.SUBGROUP:
            children = Category.objects.filter(parent=category).values("pk")
            conditions["category"] = Q(category=category) | Q(category_id__in=children)
        else:
            conditions["category"] = Q(category=category)
    if data.get("channel"):
        conditions["channel"] = Q(**{CHANNEL_FIELDS[data["channel"]]: True})
    return conditions


def apply_filters(
    products: QuerySet[Product], data: dict[str, Any], *, skip: str | Collection[str] | None = None
) -> QuerySet[Product]:
    """Narrow `products` by the cleaned filters, leaving out `skip` (a facet's own, for its counts)."""
    skipped = {skip} if isinstance(skip, str) else set(skip or ())
    condition = Q()
    for name, q in filter_conditions(data).items():
        if name not in skipped:
            condition &= q
    return products.filter(condition)


def year_of_certificate():
    return ExtractYear("certified_on")
