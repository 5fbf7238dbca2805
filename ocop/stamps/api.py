"""API: verify a stamp (public, as the scan page does: the call counts as a scan) and a producer's batches and
stamp series (token)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from ocop.accounts.auth import token_auth
from ocop.api.schemas import AUTH_ERRORS, ERRORS
from ocop.core.middleware import client_ip
from ocop.stamps import counterfeit
from ocop.stamps.models import Batch, StampSeries
from ocop.stamps.selectors import batches_for

router = Router(tags=["stamps"])
me_router = Router(tags=["me (token)"], auth=token_auth)


class StampBatchOut(Schema):
    lot: str
    produced_on: str
    best_before: str | None


class StampCertificateOut(Schema):
    number: str
    stars: int
    issued_on: str
    expires_on: str
    revoked_on: str | None
    status_now: str
    status_on_production_date: str


class StampProductOut(Schema):
    id: int
    name: str
    gtin: str
    producer: str
    province: str
    url: str


class StampOut(Schema):
    code: str
    outcome: str
    serial: int
    scans: int
    possibly_copied: bool
    product: StampProductOut
    batch: StampBatchOut
    certificate: StampCertificateOut
    scan_page: str


def _day(value) -> str | None:
    return value.isoformat() if value else None


@router.get("/{code}", response={200: StampOut, **ERRORS}, summary="Verify a stamp")
def stamp_verify_api(request: HttpRequest, code: str):
    """The stamp's product, batch and certificate, the certificate's status today (`valid`, `expired`, `revoked`)
    and on the production date, how often the stamp was scanned and whether it looks copied. Counts as a scan.
    404 for an unknown code; 400 (`mistyped`) when the check letter shows a typing mistake."""
    agent = counterfeit.agent_family(request.headers.get("User-Agent", ""))
    result = counterfeit.scan_take(code=code[:60], network=counterfeit.network_of(client_ip(request)), agent=agent)
    if result.stamp is None:
        if result.outcome == "mistyped":
            raise HttpError(400, _("The code has a mistyped character: its check letter does not match."))
        raise Http404
    batch, certificate = result.batch, result.certificate
    product = batch.product
    return {
        "code": result.code, "outcome": result.outcome, "serial": result.stamp.serial, "scans": result.scans,
        "possibly_copied": result.copied,
        "product": {"id": product.pk, "name": product.name, "gtin": product.gtin, "producer": product.producer.name,
                    "province": product.producer.province.name,
                    "url": request.build_absolute_uri(reverse("site:product-detail", args=[product.pk, product.slug]))},
        "batch": {"lot": batch.lot, "produced_on": batch.produced_on.isoformat(),
                  "best_before": _day(batch.best_before)},
        "certificate": {"number": certificate.number, "stars": certificate.stars,
                        "issued_on": certificate.issued_on.isoformat(),
                        "expires_on": certificate.expires_on.isoformat(),
                        "revoked_on": _day(certificate.revoked_on), "status_now": result.status_now,
                        "status_on_production_date": result.status_when_made},
        "scan_page": request.build_absolute_uri(reverse("stamps:scan", args=[result.code])),
    }  # fmt: skip


class SeriesOut(Schema):
    id: int
    number: int
    quantity: int
    status: str
    printed_at: str | None
    labels_pdf: str
    codes_csv: str


class BatchOut(Schema):
    id: int
    product_id: int
    product: str
    lot: str
    produced_on: str
    best_before: str | None
    quantity: int
    certificate: str
    series: list[SeriesOut]


def _series_out(request: HttpRequest, series: StampSeries) -> dict:
    return {
        "id": series.pk, "number": series.number, "quantity": series.quantity, "status": series.status,
        "printed_at": series.printed_at.isoformat() if series.printed_at else None,
        "labels_pdf": request.build_absolute_uri(reverse("stamps:labels-pdf", args=[series.pk])),
        "codes_csv": request.build_absolute_uri(reverse("stamps:labels-csv", args=[series.pk])),
    }  # fmt: skip


def _batch_out(request: HttpRequest, batch: Batch) -> dict:
    return {
        "id": batch.pk, "product_id": batch.product_id, "product": batch.product.name, "lot": batch.lot,
        "produced_on": batch.produced_on.isoformat(), "best_before": _day(batch.best_before),
        "quantity": batch.quantity, "certificate": batch.certificate.number,
        "series": [_series_out(request, s) for s in batch.series.all()],
    }  # fmt: skip


@me_router.get("/batches", response={200: list[BatchOut], **AUTH_ERRORS}, summary="My production batches")
def my_batches(request: HttpRequest):
    """The production batches of the producers the token's user acts for (or of an officer's area), newest first,
    each with its stamp series and the addresses of their labels (the labels need a signed-in session)."""
    batches = batches_for(request.user).prefetch_related("series")[:500]
    return [_batch_out(request, b) for b in batches]


@me_router.get("/batches/{batch_id}", response={200: BatchOut, **AUTH_ERRORS}, summary="One of my batches")
def my_batch(request: HttpRequest, batch_id: int):
    """One production batch of the token's producers (or of an officer's area), with its stamp series; 404 for
    a batch that is not theirs."""
    batch = get_object_or_404(batches_for(request.user).prefetch_related("series"), pk=batch_id)
    return _batch_out(request, batch)
