"""The statistics projection: each product's certification timeline as `CertifiedSpan` rows.

`certification_spans` is pure (certificates in, spans out) and held by a property test to the rule it
encodes: on any day, a product's span is its best valid certificate (highest stars, then latest issued),
and there is a span exactly when some certificate is valid. `spans_rebuild` writes the spans of a set of
products; the certificate services, the product services and the importer call it, in their transaction.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from django.db import transaction

from ocop.catalog.models import Product
from ocop.certification.models import Certificate, CertifiedSpan
from ocop.certification.rollup import SPAN_FIELDS, rollup_rebuild, spans_changed
from ocop.certification.rules import certificate_valid_until
from ocop.certification.signals import spans_replaced
from ocop.core.bulk import insert_rows
from ocop.core.dates import DatePrecision, period_end

CHUNK = 5000


@dataclass(frozen=True)
class CertificateDates:
    """What the timeline needs of a certificate."""

    id: int
    stars: int
    issued_on: dt.date
    expires_on: dt.date
    revoked_on: dt.date | None = None
    precision: str = DatePrecision.DAY

    @property
    def counts_from(self) -> dt.date:
        """The first day it certainly holds: the decision day, or the last day of its month or year when the
        source gave only those (it counts from then until its earliest possible expiry)."""
        return period_end(self.issued_on, self.precision)

    @property
    def valid_until(self) -> dt.date:
        """The first day it is no longer valid (expiry, or revocation if earlier)."""
        return certificate_valid_until(self)

    def valid_on(self, day: dt.date) -> bool:
        return self.counts_from <= day < self.valid_until


@dataclass(frozen=True)
class Span:
    certificate_id: int
    stars: int
    starts_on: dt.date
    ends_on: dt.date
    run_ends_on: dt.date
    is_first: bool


def _rank(c: CertificateDates) -> tuple[int, dt.date, int]:
    return (c.stars, c.issued_on, c.id)


def certification_spans(certificates: Sequence[CertificateDates]) -> list[Span]:
    """The timeline of one product: consecutive intervals, each with the best certificate valid in it."""
    bounds = sorted({d for c in certificates for d in (c.counts_from, c.valid_until)})
    pieces: list[list] = []  # [certificate, start, end], merged while the best stays the same
    for start, end in itertools.pairwise(bounds):
        valid = [c for c in certificates if c.counts_from <= start < c.valid_until]
        if not valid:
            continue
        best = max(valid, key=_rank)
        if pieces and pieces[-1][0].id == best.id and pieces[-1][2] == start:
            pieces[-1][2] = end
        else:
            pieces.append([best, start, end])
    # An unbroken run of certification ends where the next piece does not start on the same day.
    run_end: list[dt.date] = [end for _c, _s, end in pieces]
    for i in reversed(range(len(pieces) - 1)):
        if pieces[i][2] == pieces[i + 1][1]:
            run_end[i] = run_end[i + 1]
    spans: list[Span] = []
    seen: set[int] = set()
    for i, (certificate, start, end) in enumerate(pieces):
        spans.append(Span(certificate.id, certificate.stars, start, end, run_end[i], certificate.id not in seen))
        seen.add(certificate.id)
    for certificate in certificates:  # shadowed all its life: one empty span, so it is still counted as issued
        if certificate.id not in seen:
            day = min(certificate.counts_from, certificate.valid_until)
            spans.append(Span(certificate.id, certificate.stars, day, day, day, True))
    return spans


_CERTIFICATE_FIELDS = ("id", "product_id", "stars", "issued_on", "expires_on", "revoked_on", "issued_precision")
_PRODUCT_FIELDS = (
    "id",
    "producer_id",
    "province_id",
    "legacy_province_id",
    "commune_id",
    "category_id",
    "producer_kind",
)


# A span row, in this order (`insert_rows` writes them as they are).
ROW_FIELDS = (
    "certificate_id", "product_id", "producer_id", "province_id", "legacy_province_id", "commune_id", "category_id",
    "producer_kind", "stars", "starts_on", "ends_on", "run_ends_on", "is_first", "issued_year", "issued_on",
    "expires_on", "revoked_on",
)  # fmt: skip
_rollup_part = itemgetter(*[ROW_FIELDS.index(name) for name in SPAN_FIELDS])


def _span_rows(product_id: int, place: tuple, certificates: list[CertificateDates]) -> list[tuple]:
    """The span rows of one product (`ROW_FIELDS`): its timeline, each span carrying the product's place and
    kind (`place` in the order of `_PRODUCT_FIELDS` after the id) and its certificate's dates."""
    producer_id, province_id, legacy_id, commune_id, category_id, kind = place
    by_id = {c.id: c for c in certificates}
    rows = []
    for span in certification_spans(certificates):
        c = by_id[span.certificate_id]
        rows.append((
            c.id, product_id, producer_id, province_id, legacy_id, commune_id, category_id, kind, span.stars,
            span.starts_on, span.ends_on, span.run_ends_on, span.is_first, c.issued_on.year, c.issued_on,
            c.expires_on, c.revoked_on,
        ))  # fmt: skip
    return rows


def spans_insert_for_new_products(certificates: Iterable[Any]) -> int:
    """The timelines of products created in this transaction, from their certificates in memory (all of them,
    saved just before): nothing to read and nothing to delete, as an import of 100,000 new products needs."""
    by_product: dict[int, list[CertificateDates]] = defaultdict(list)
    products: dict[int, Any] = {}
    for c in certificates:
        by_product[c.product_id].append(
            CertificateDates(c.pk, c.stars, c.issued_on, c.expires_on, c.revoked_on, c.issued_precision)
        )
        products[c.product_id] = c.product
    rows = []
    for pid, dates in by_product.items():
        product = products[pid]
        place = tuple(getattr(product, field) for field in _PRODUCT_FIELDS[1:])
        rows += _span_rows(pid, place, dates)
    insert_rows(CertifiedSpan, ROW_FIELDS, rows)
    spans_changed((), map(_rollup_part, rows))
    spans_replaced.send(sender=CertifiedSpan, product_ids=list(by_product))
    return len(rows)


def spans_rebuild(product_ids: Iterable[int], *, models: tuple | None = None, rollup: bool = True) -> int:
    """Replace the spans of these products with ones computed from their certificates; returns how many.

    `models` (certificate, product, span) lets the data migration pass its historical models (the rollup is
    then left alone: its own migration builds it). With `rollup` False the caller rebuilds it afterwards.
    """
    certificate_model, product_model, span_model = models or (Certificate, Product, CertifiedSpan)
    rollup = rollup and models is None
    ids = sorted(set(product_ids))
    written = 0
    with transaction.atomic(savepoint=False):
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            old = span_model.objects.filter(product_id__among=part)
            removed = list(old.values_list(*SPAN_FIELDS)) if rollup else []
            old.delete()
            by_product: dict[int, list[CertificateDates]] = defaultdict(list)
            for cid, product_id, *dates in certificate_model.objects.filter(product_id__among=part).values_list(
                *_CERTIFICATE_FIELDS
            ):
                by_product[product_id].append(CertificateDates(cid, *dates))
            rows = []
            if by_product:
                products = product_model.objects.filter(pk__among=list(by_product)).values_list(*_PRODUCT_FIELDS)
                for pid, *place in products:
                    rows += _span_rows(pid, tuple(place), by_product[pid])
                written += insert_rows(span_model, ROW_FIELDS, rows)
            if rollup:
                spans_changed(removed, map(_rollup_part, rows))
                spans_replaced.send(sender=CertifiedSpan, product_ids=part)
    return written


def spans_rebuild_all(*, models: tuple | None = None) -> int:
    """Rebuild the whole projection and its rollup (after a bulk load such as the demo data, or to repair)."""
    certificate_model: Any = models[0] if models else Certificate
    ids = certificate_model.objects.order_by().values_list("product_id", flat=True).distinct()
    written = spans_rebuild(list(ids), models=models, rollup=False)
    if models is None:
        rollup_rebuild()
    return written


def on_products_reclassified(sender: object, *, product_ids: Iterable[int], **kwargs: object) -> None:
    """Receiver of `catalog.signals.products_reclassified`: the spans copy the product's place and category."""
    spans_rebuild(product_ids)
