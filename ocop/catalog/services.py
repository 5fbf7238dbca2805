"""Writes for products."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ocop.catalog.models import Product
from ocop.catalog.signals import products_reclassified
from ocop.catalog.versioning import catalog_changed
from ocop.core.services import audit_log, model_changes
from ocop.core.text import nfc, plain_text, slugify_vn, vn_fold, vn_sort_key, vn_tone_key

_LINE_FIELDS = ("name", "packaging", "unit", "capacity_unit", "code")
_TEXT_FIELDS = ("description", "story")


def product_fill_derived(product: Product) -> None:
    """Normalise text to NFC and fill the folded name, sort key and slug."""
    for field in _LINE_FIELDS:
        setattr(product, field, nfc(getattr(product, field) or ""))
    for field in _TEXT_FIELDS:
        setattr(product, field, plain_text(getattr(product, field) or "", multiline=True))
    product.name_folded = vn_fold(product.name)
    product.name_tone = vn_tone_key(product.name)
    product.sort_key = vn_sort_key(product.name)
    product.slug = slugify_vn(product.name)
    producer = product.producer
    product.province_id = producer.province_id
    product.commune_id = producer.commune_id
    product.legacy_province_id = producer.legacy_province_id
    product.producer_kind = producer.kind
    product.group_id = product.category.group_id if product.category is not None else None
    product.search_document = product_search_document(product)


def product_search_document(product: Product) -> str:
    """The folded text a product is found by besides its name: producer, group, commune, province."""
    producer = product.producer
    parts = [producer.name]
    category = product.category if product.category_id else None
    if category is not None:
        parts.append(category.name)
        parent = category.parent if category.parent_id else None
        if parent is not None:
            parts.append(parent.name)
        group = category.group if category.group_id not in (None, category.pk, category.parent_id) else None
        if group is not None:
            parts.append(group.name)
    if producer.commune is not None:
        parts.append(producer.commune.name)
    elif producer.legacy_district is not None:
        parts.append(producer.legacy_district.name)
    parts.append(producer.province.name)
    legacy = producer.legacy_province if producer.legacy_province_id else None
    if legacy is not None and legacy.name != producer.province.name:
        parts.append(legacy.name)
    return vn_fold(" ".join(parts))


def on_producer_changed(sender: object, *, producer_id: int, **kwargs: object) -> None:
    """Receiver of `producers.signals.producer_changed`."""
    products_refresh_for_producer(producer_id=producer_id)


def products_refresh_for_producer(*, producer_id: int) -> int:
    """Recompute the search projection of a producer's products after the producer changed."""
    products = list(
        Product.objects.filter(producer_id=producer_id).select_related(
            "producer__commune",
            "producer__province",
            "producer__legacy_province",
            "category__parent",
            "category__group",
        )
    )
    for product in products:
        product_fill_derived(product)
    fields = ["province", "commune", "legacy_province", "producer_kind", "group", "search_document"]
    Product.objects.bulk_update(products, fields, batch_size=1000)
    products_reclassified.send(sender=Product, product_ids=[product.pk for product in products])
    catalog_changed()
    return len(products)


@transaction.atomic
def product_create(*, by: Any = None, **fields: Any) -> Product:
    """Create a product and record it in the audit trail."""
    product = Product(**fields)
    product_fill_derived(product)
    product.full_clean()
    product.save()
    audit_log(code="catalog.product.created", obj=product, actor=by)
    catalog_changed()
    return product


@transaction.atomic
def product_update(*, product: Product, by: Any = None, **fields: Any) -> Product:
    """Change a product's fields; the audit entry lists what changed."""
    before = {key: getattr(product, key) for key in fields}
    for key, value in fields.items():
        setattr(product, key, value)
    product_fill_derived(product)
    product.full_clean()
    product.save()
    changes = model_changes(before, {key: getattr(product, key) for key in fields})
    if changes:
        audit_log(code="catalog.product.updated", obj=product, actor=by, changes=changes)
        if "category" in changes or "producer" in changes:
            products_reclassified.send(sender=Product, product_ids=[product.pk])
        catalog_changed()
    return product
