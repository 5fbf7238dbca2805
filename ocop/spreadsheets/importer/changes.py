"""What the records change against the database (`match`, a handful of queries), and writing it in one transaction
(`write_changes`; certificates through certification's `certificates_import`)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from ocop.catalog.models import Product
from ocop.catalog.search import index_rank
from ocop.catalog.services import product_fill_derived, products_refresh_for_producer
from ocop.certification.models import Certificate
from ocop.certification.projection import spans_rebuild
from ocop.certification.rules import certificate_status_stored, certifying_level, regime_on
from ocop.certification.services import certificates_import
from ocop.core.bulk import bulk_insert
from ocop.core.dates import PRECISION_RANK, DatePrecision, certificate_expiry, period_start
from ocop.core.models import AuditEntry
from ocop.core.services import audit_changes_bulk, audit_created_bulk
from ocop.core.text import vn_fold
from ocop.evaluation.models import Dossier, EvaluationRound
from ocop.geo.models import Province
from ocop.producers.models import Producer
from ocop.producers.services import producer_fill_derived
from ocop.spreadsheets.importer.rows import Plan, Progress, RowRecord


@dataclass
class Changes:
    """What writing a plan would do to each table."""

    new_producers: list[Producer] = field(default_factory=list)
    changed_producers: dict[int, tuple[Producer, dict]] = field(default_factory=dict)
    new_products: list[Product] = field(default_factory=list)
    changed_products: dict[int, tuple[Product, dict]] = field(default_factory=dict)
    new_certificates: list[Certificate] = field(default_factory=list)
    changed_certificates: dict[int, tuple[Certificate, dict]] = field(default_factory=dict)
    new_rounds: list[EvaluationRound] = field(default_factory=list)
    new_dossiers: list[Dossier] = field(default_factory=list)
    changed_dossiers: list[Dossier] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=lambda: {"new": 0, "updated": 0, "unchanged": 0})


def _diff(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    changed = {}
    for key, value in values.items():
        old = getattr(obj, key)
        if value not in (None, "") and old != value:
            changed[key] = [None if old is None else str(old), str(value)]
            setattr(obj, key, value)
    return changed


def _pick_producer(candidates: list[Producer], record: RowRecord) -> Producer | None:
    """The producer of that name in the row's province the row means. Only producers whose known places do not
    contradict the row's (former province, former district, commune) are candidates; among them the one in
    the row's commune, else in its former district, else the only one."""
    legacy_id = getattr(record.place_legacy_province, "pk", None)
    district_id = getattr(record.legacy_district, "pk", None)
    commune_id = getattr(record.commune, "pk", None)
    compatible = [
        p
        for p in candidates
        if (legacy_id is None or p.legacy_province_id in (None, legacy_id))
        and (district_id is None or p.legacy_district_id in (None, district_id))
        and (commune_id is None or p.commune_id in (None, commune_id))
    ]
    for same in (
        [p for p in compatible if commune_id is not None and p.commune_id == commune_id],
        [p for p in compatible if district_id is not None and p.legacy_district_id == district_id],
    ):
        if same:
            return same[0]
    return compatible[0] if len(compatible) == 1 else None


def _same_recognition(certificate: Certificate, record: RowRecord) -> bool:
    """A certificate is the row's recognition when their decision numbers do not differ and the known part of
    the date agrees (a list giving the year, then a list giving the day, describe the same decision)."""
    if certificate.decision_number and record.decision_number and certificate.decision_number != record.decision_number:
        return False
    coarse = min(certificate.issued_precision, record.issued_precision, key=PRECISION_RANK.__getitem__)
    return period_start(certificate.issued_on, coarse) == period_start(record.issued_on, coarse)


def _completion(certificate: Certificate, record: RowRecord) -> dict[str, Any]:
    """What the row adds to a certificate it describes: a finer date (the precision only grows), a number, a
    score or an issuer it lacked; a changed score or stars as before."""
    values: dict[str, Any] = {"stars": record.stars, "score": record.score, "round_label": record.round_label}
    if PRECISION_RANK[record.issued_precision] > PRECISION_RANK[certificate.issued_precision] or (
        record.issued_precision == certificate.issued_precision and record.issued_on != certificate.issued_on
        and record.issued_precision == DatePrecision.DAY
    ):  # fmt: skip
        values["issued_on"] = record.issued_on
        values["issued_precision"] = record.issued_precision
    if record.decision_number and not certificate.decision_number:
        values["decision_number"] = record.decision_number
    if record.issuer and not certificate.issuer:
        values["issuer"] = record.issuer
    return values


def match(plan: Plan, progress: Progress | None = None) -> Changes:
    """Match each record to existing producers, products and certificates and work out the changes."""
    changes = Changes()
    tax_codes = {r.tax_code for r in plan.records if r.tax_code}
    names = {vn_fold(r.producer_name) for r in plan.records}
    with_places = Producer.objects.select_related("commune", "province", "legacy_province")
    producers = list(with_places.filter(tax_code__in=tax_codes)) + list(with_places.filter(name_folded__in=names))
    by_tax = {p.tax_code: p for p in producers if p.tax_code}
    by_name: dict[tuple[str, int], list[Producer]] = defaultdict(list)
    for p in {p.pk: p for p in producers}.values():
        by_name[(p.name_folded, p.province_id)].append(p)
    products = Product.objects.filter(producer__among={p.pk for p in producers})  # the category only by its id
    product_index = {(p.producer_id, p.name_folded): p for p in products}
    certificate_index: dict[Any, list[Certificate]] = defaultdict(list)
    for c in Certificate.objects.filter(product__among=[p.pk for p in product_index.values()]).order_by("pk"):
        certificate_index[c.product_id].append(c)
    provinces = Province.objects.in_bulk()
    new_product_index: dict[tuple[int, str], Product] = {}
    rounds = _Rounds(plan, changes)
    total = max(len(plan.records), 1)
    for index, record in enumerate(plan.records):
        if progress and index % 2000 == 0:
            progress(0.5 + index / total * 0.25)
        row_changed = row_new = False
        province_id = record.province.pk
        name_key = (vn_fold(record.producer_name), province_id)
        producer = by_tax.get(record.tax_code) if record.tax_code else None
        producer = producer or _pick_producer(by_name[name_key], record)
        if producer is None:
            producer = Producer(
                name=record.producer_name, kind=_guess_kind(record.producer_name), tax_code=record.tax_code or None,
                representative=record.representative, phone=record.phone, address=_street(record.address),
                commune=record.commune, province_id=province_id, legacy_province=record.place_legacy_province,
                legacy_district=record.legacy_district,
            )  # fmt: skip
            producer.province = provinces[province_id]  # no query per row in fill_derived
            producer_fill_derived(producer)
            changes.new_producers.append(producer)
            by_name[name_key].append(producer)
            row_new = True
        else:
            values: dict[str, Any] = {"representative": record.representative, "phone": record.phone}
            if producer.commune_id is None and record.commune is not None:  # the row completes the address
                values.update(commune=record.commune, province=record.commune.province)
            if producer.legacy_district_id is None and record.legacy_district is not None:
                values["legacy_district"] = record.legacy_district
            if producer.legacy_province_id is None and record.place_legacy_province is not None:
                values["legacy_province"] = record.place_legacy_province
            diff = _diff(producer, values)
            if diff and producer.pk:
                changes.changed_producers.setdefault(producer.pk, (producer, {}))[1].update(diff)
                row_changed = True
        product_key = (producer.pk or id(producer), vn_fold(record.product_name))
        product = product_index.get(product_key) if producer.pk else None
        product = product or new_product_index.get(product_key)
        if product is None:
            product = Product(producer=producer, name=record.product_name, category=record.category)
            product_fill_derived(product)
            changes.new_products.append(product)
            new_product_index[product_key] = product
            row_new = True
        elif product.category_id is None and record.category is not None:  # the row classifies it
            diff = _diff(product, {"category": record.category})
            if product.pk:
                changes.changed_products.setdefault(product.pk, (product, {}))[1].update(diff)
                row_changed = True
        certificate = None
        if record.stars is not None:
            certificate, created, changed = _certificate_for(record, product, certificate_index, changes)
            row_new = row_new or created
            row_changed = row_changed or changed
        if record.registered:
            created, changed = rounds.register(record, producer, product, certificate)
            row_new = row_new or created
            row_changed = row_changed or changed
        changes.rows["new" if row_new else "updated" if row_changed else "unchanged"] += 1
    return changes


def _certificate_for(
    record: RowRecord, product: Product, index: dict[Any, list[Certificate]], changes: Changes
) -> tuple[Certificate, bool, bool]:
    """The certificate the row describes (found, completed, or new) and whether it was created or changed."""
    stars = record.stars
    assert stars is not None  # a row with stars: a registration not recognised has no certificate
    known = index[product.pk or id(product)]
    same_period = [c for c in known if _same_recognition(c, record)]
    certificate = (
        next((c for c in known if record.decision_number and c.decision_number == record.decision_number), None)
        or next((c for c in same_period if c.stars == record.stars), None)
        # A corrected star level of a recognition already recorded (two in one file are two recognitions).
        or (same_period[0] if len(same_period) == 1 and same_period[0].pk else None)
    )
    if certificate is None:
        regime = regime_on(record.issued_on)
        certificate = Certificate(
            product=product, stars=stars, score=record.score, decision_number=record.decision_number,
            issued_on=record.issued_on, issued_precision=record.issued_precision,
            expires_on=certificate_expiry(record.issued_on), regime=regime, round_label=record.round_label,
            level=certifying_level(regime=regime, stars=stars).level,
            issuer=record.issuer, province_id=record.province.pk,  # the issuer as the file says, or none
            legacy_province=record.legacy_province,
        )  # fmt: skip
        changes.new_certificates.append(certificate)
        known.append(certificate)
        return certificate, True, False
    if not certificate.pk:
        return certificate, False, False
    diff = _diff(certificate, _completion(certificate, record))
    if "issued_on" in diff:
        certificate.expires_on = certificate_expiry(certificate.issued_on)
        certificate.regime = regime_on(certificate.issued_on)
    if diff:
        changes.changed_certificates.setdefault(certificate.pk, (certificate, {}))[1].update(diff)
    return certificate, False, bool(diff)


class _Rounds:
    """The imported rounds of a round's list ("đợt đánh giá" of a province and year) and their registrations."""

    def __init__(self, plan: Plan, changes: Changes) -> None:
        self.changes = changes
        self.rounds: dict[tuple, EvaluationRound] = {}
        registered = [r for r in plan.records if r.registered]
        self.dossiers: dict[tuple, Dossier] = {}
        if registered:
            years = {r.issued_on.year for r in registered}
            for evaluation_round in EvaluationRound.objects.filter(historic=True, year__in=years):
                self.rounds[self._key_of(evaluation_round)] = evaluation_round
            for dossier in Dossier.objects.filter(round__in=list(self.rounds.values())).select_related("certificate"):
                self.dossiers[(dossier.round_id, dossier.product_id)] = dossier

    @staticmethod
    def _key_of(evaluation_round: EvaluationRound) -> tuple:
        return (
            evaluation_round.province_id, evaluation_round.legacy_province_id, evaluation_round.year,
            evaluation_round.number,
        )  # fmt: skip

    def register(
        self, record: RowRecord, producer: Producer, product: Product, certificate: Certificate | None
    ) -> tuple[bool, bool]:
        year = record.issued_on.year
        number = int(m.group(1)) if (m := re.search(r"(\d+)", record.round_label or "")) and int(m.group(1)) < 20 else 1
        legacy = record.legacy_province
        key = (record.province.pk, getattr(legacy, "pk", None), year, number)
        evaluation_round = self.rounds.get(key)
        if evaluation_round is None:
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
            evaluation_round = EvaluationRound(
                province=record.province, legacy_province=legacy, year=year, number=number, historic=True,
                regime=regime_on(record.issued_on), opens_on=start, submission_deadline=end, scoring_deadline=end,
            )  # fmt: skip
            self.rounds[key] = evaluation_round
            self.changes.new_rounds.append(evaluation_round)
        status = Dossier.Status.RECOGNISED if record.stars is not None else Dossier.Status.NOT_RECOGNISED
        dossier = self.dossiers.get((evaluation_round.pk, product.pk)) if evaluation_round.pk and product.pk else None
        dossier = dossier or self.dossiers.get((id(evaluation_round), id(product)))
        if dossier is None:
            dossier = Dossier(
                round=evaluation_round, producer=producer, product=product, kind=record.kind, status=status,
                regime=evaluation_round.regime, product_name=record.product_name, category=record.category,
                province=record.province, commune=record.commune, certificate=certificate,
                submitted_at=timezone.make_aware(dt.datetime(year, 1, 1)),
            )  # fmt: skip
            self.dossiers[(id(evaluation_round), id(product))] = dossier
            self.changes.new_dossiers.append(dossier)
            return True, False
        if not dossier.pk:
            return False, False
        diff = _diff(dossier, {"kind": record.kind, "status": status})
        if certificate is not None and dossier.certificate_id != certificate.pk:
            dossier.certificate = certificate
            diff["certificate"] = [None, str(certificate.pk)]
        if diff:
            self.changes.changed_dossiers.append(dossier)
        return False, bool(diff)


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
    changes.new_products.sort(key=index_rank)  # SQLite's search index appends rows in rank order
    bulk_insert(changes.new_products)
    if progress:
        progress(0.85)
    if changes.changed_producers:
        Producer.objects.bulk_update(
            [p for p, _d in changes.changed_producers.values()],
            ["representative", "phone", "commune", "province", "legacy_district", "legacy_province"],
        )
    if changes.changed_products:
        for product, _d in changes.changed_products.values():
            product_fill_derived(product)
        Product.objects.bulk_update(
            [p for p, _d in changes.changed_products.values()], ["category", "group", "search_document"]
        )
    # Producers and products: changes one entry per object with what changed, creations one entry per kind.
    entries = audit_changes_bulk(
        code="spreadsheets.producer.updated", changed=list(changes.changed_producers.values()), actor=by,
        reason=source, at=now,
    )  # fmt: skip
    entries += audit_changes_bulk(
        code="spreadsheets.product.updated", changed=list(changes.changed_products.values()), actor=by,
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
    moved = [pk for pk, (_p, diff) in changes.changed_producers.items() if {"commune", "legacy_district"} & set(diff)]
    for producer_id in moved:  # an address completed: the products' place, search text and timelines follow
        products_refresh_for_producer(producer_id=producer_id)
    if changes.changed_products:  # the timelines carry the product group
        spans_rebuild(set(changes.changed_products))
    _write_rounds(changes, by=by, source=source, at=now)
    if progress:
        progress(1.0)


def _write_rounds(changes: Changes, *, by: Any, source: str, at: Any) -> None:
    """Imported rounds and their registrations, after the certificates they point to have their ids."""
    EvaluationRound.objects.bulk_create(changes.new_rounds)  # a few rows: Django's own insert
    for dossier in changes.new_dossiers:
        dossier.round = dossier.round
        dossier.producer = dossier.producer
        dossier.product = dossier.product
        if dossier.certificate is not None:
            dossier.certificate = dossier.certificate
    Dossier.objects.bulk_create(changes.new_dossiers, batch_size=1000)
    if changes.changed_dossiers:
        Dossier.objects.bulk_update(changes.changed_dossiers, ["kind", "status", "certificate"])
    AuditEntry.objects.bulk_create(
        audit_created_bulk(code="spreadsheets.round.imported", created=changes.new_rounds, actor=by, reason=source,
                           at=at)
        + audit_created_bulk(code="spreadsheets.dossier.imported", created=changes.new_dossiers, actor=by,
                             reason=source, at=at),
    )  # fmt: skip
