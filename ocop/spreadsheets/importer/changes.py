"""What the records change against the database (`match`, a handful of queries), and writing it in one transaction
(`write_changes`; certificates through certification's `certificates_import`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from ocop.catalog.models import Product
from ocop.catalog.services import product_fill_derived
from ocop.certification.models import Certificate
from ocop.certification.rules import certificate_status_stored, certifying_level, regime_on
from ocop.certification.services import certificates_import
from ocop.core.bulk import bulk_insert
from ocop.core.dates import certificate_expiry
from ocop.core.models import AuditEntry
from ocop.core.services import audit_changes_bulk, audit_created_bulk
from ocop.core.text import vn_fold
from ocop.geo.models import Province
from ocop.producers.models import Producer
from ocop.producers.services import producer_fill_derived
from ocop.spreadsheets.importer.rows import Plan, Progress


@dataclass
class Changes:
    """What writing a plan would do to each table."""

    new_producers: list[Producer] = field(default_factory=list)
    changed_producers: dict[int, tuple[Producer, dict]] = field(default_factory=dict)
    new_products: list[Product] = field(default_factory=list)
    changed_products: dict[int, tuple[Product, dict]] = field(default_factory=dict)
    new_certificates: list[Certificate] = field(default_factory=list)
    changed_certificates: dict[int, tuple[Certificate, dict]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=lambda: {"new": 0, "updated": 0, "unchanged": 0})


def _diff(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    changed = {}
    for key, value in values.items():
        old = getattr(obj, key)
        if value not in (None, "") and old != value:
            changed[key] = [None if old is None else str(old), str(value)]
            setattr(obj, key, value)
    return changed


def match(plan: Plan, progress: Progress | None = None) -> Changes:
    """Match each record to existing producers, products and certificates and work out the changes."""
    changes = Changes()
    tax_codes = {r.tax_code for r in plan.records if r.tax_code}
    names = {vn_fold(r.producer_name) for r in plan.records}
    with_places = Producer.objects.select_related("commune", "province", "legacy_province")
    producers = list(with_places.filter(tax_code__in=tax_codes)) + list(with_places.filter(name_folded__in=names))
    by_tax = {p.tax_code: p for p in producers if p.tax_code}
    by_name = {(p.name_folded, p.commune_id): p for p in producers}
    products = Product.objects.filter(producer__in={p.pk for p in producers}).select_related("category__group")
    product_index = {(p.producer_id, p.name_folded): p for p in products}
    certificates = Certificate.objects.filter(product__in=[p.pk for p in product_index.values()])
    certificate_index = {(c.decision_number, c.product_id): c for c in certificates}
    provinces = Province.objects.in_bulk()
    new_producer_index: dict[tuple[str, int], Producer] = {}
    new_product_index: dict[tuple[int, str], Product] = {}
    total = max(len(plan.records), 1)
    for index, record in enumerate(plan.records):
        if progress and index % 2000 == 0:
            progress(0.5 + index / total * 0.25)
        row_changed = row_new = False
        key = (vn_fold(record.producer_name), record.commune.pk)
        producer = (by_tax.get(record.tax_code) if record.tax_code else None) or by_name.get(key)
        producer = producer or new_producer_index.get(key)
        if producer is None:
            producer = Producer(
                name=record.producer_name, kind=_guess_kind(record.producer_name), tax_code=record.tax_code or None,
                representative=record.representative, phone=record.phone, address=_street(record.address),
                commune=record.commune, province_id=record.commune.province_id, legacy_province=record.legacy_province,
            )  # fmt: skip
            producer.province = provinces[record.commune.province_id]  # no query per row in fill_derived
            producer_fill_derived(producer)
            changes.new_producers.append(producer)
            new_producer_index[key] = producer
            row_new = True
        elif producer.pk:
            diff = _diff(producer, {"representative": record.representative, "phone": record.phone})
            if diff:
                changes.changed_producers.setdefault(producer.pk, (producer, {}))[1].update(diff)
                row_changed = True
        product_key = (producer.pk or id(producer), vn_fold(record.product_name))
        product = product_index.get(product_key) if producer.pk else None
        product = product or new_product_index.get(product_key)
        if product is None:
            product = Product(producer=producer, name=record.product_name, category=record.category)
            product.category = record.category
            product_fill_derived(product)
            changes.new_products.append(product)
            new_product_index[product_key] = product
            row_new = True
        certificate = certificate_index.get((record.decision_number, product.pk or id(product)))
        if certificate is None:
            certificate = Certificate(
                product=product, stars=record.stars, score=record.score, decision_number=record.decision_number,
                issued_on=record.issued_on, expires_on=certificate_expiry(record.issued_on),
                regime=regime_on(record.issued_on), round_label=record.round_label,
                level=certifying_level(regime=regime_on(record.issued_on), stars=record.stars).level,
                issuer=record.issuer, province_id=record.commune.province_id,  # the issuer as the file says, or none
                legacy_province=record.legacy_province,
            )  # fmt: skip
            changes.new_certificates.append(certificate)
            certificate_index[(record.decision_number, product.pk or id(product))] = certificate
            row_new = True
        elif certificate.pk:
            diff = _diff(
                certificate,
                {"stars": record.stars, "score": record.score, "issued_on": record.issued_on,
                 "round_label": record.round_label},
            )  # fmt: skip
            if "issued_on" in diff:
                certificate.expires_on = certificate_expiry(certificate.issued_on)
            if diff:
                changes.changed_certificates.setdefault(certificate.pk, (certificate, {}))[1].update(diff)
                row_changed = True
        changes.rows["new" if row_new else "updated" if row_changed else "unchanged"] += 1
    return changes


def _street(address: str) -> str:
    pieces = [p.strip() for p in address.split(",") if p.strip()]
    local = [p for p in pieces if vn_fold(p).startswith(("thon", "ban", "xom", "to ", "ap", "khu", "so ", "duong"))]
    return ", ".join(local)[:255]


def _guess_kind(name: str) -> str:
    folded = vn_fold(name)
    if folded.startswith(("hop tac xa", "htx")):
        return Producer.Kind.COOPERATIVE
    if folded.startswith(("to hop tac", "tht")):
        return Producer.Kind.COOPERATIVE_GROUP
    if folded.startswith(("cong ty", "doanh nghiep", "cty", "dntn")):
        return Producer.Kind.ENTERPRISE
    return Producer.Kind.HOUSEHOLD


@transaction.atomic(savepoint=False)  # inside an import: no savepoint (SQLite keeps its journal in memory)
def write_changes(changes: Changes, *, by: Any = None, source: str = "", progress: Progress | None = None) -> None:
    """Write the changes in one transaction: producers and products here, certificates through
    certification's `certificates_import` (numbers, audit entries, timelines, as a decision issues them)."""
    now = timezone.now()
    # A new product's stars, status and date come from its newest certificate in this import: set before
    # the insert, so only products that existed before need the copy from the database afterwards.
    today = timezone.localdate()
    for certificate in changes.new_certificates:
        product = certificate.product
        if product.pk is None and (product.certified_on is None or certificate.issued_on >= product.certified_on):
            product.stars = certificate.stars
            product.certificate_status = certificate_status_stored(certificate, today)
            product.certified_on = certificate.issued_on
    bulk_insert(changes.new_producers)
    for product in changes.new_products:
        product.producer = product.producer  # picks up the new producer's id
        product.province_id = product.producer.province_id
        product.commune_id = product.producer.commune_id
    bulk_insert(changes.new_products)
    if progress:
        progress(0.85)
    if changes.changed_producers:
        Producer.objects.bulk_update([p for p, _d in changes.changed_producers.values()], ["representative", "phone"])
    # Producers and products: changes one entry per object with what changed, creations one entry per kind.
    entries = audit_changes_bulk(
        code="spreadsheets.producer.updated", changed=list(changes.changed_producers.values()), actor=by,
        reason=source, at=now,
    )  # fmt: skip
    entries += audit_created_bulk(
        code="spreadsheets.producer.imported", created=changes.new_producers, actor=by, reason=source, at=now
    )
    entries += audit_created_bulk(
        code="spreadsheets.product.imported", created=changes.new_products, actor=by, reason=source, at=now
    )
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    certificates_import(
        new=changes.new_certificates,
        changed=list(changes.changed_certificates.values()),
        products_already_current={p.pk for p in changes.new_products},
        by=by,
        source=source,
    )
    if progress:
        progress(1.0)
