"""API: a product's whole public record, its certificates and where it is sold (catalog, certification and
market together)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema

from ocop.api.schemas import ERRORS, last_modified
from ocop.catalog.api import ProductOut, product_out
from ocop.catalog.models import Product
from ocop.catalog.selectors import product_get_public
from ocop.certification.rules import certificate_status_stored
from ocop.certification.selectors import product_certificates
from ocop.market.selectors import product_channels

router = Router(tags=["products"])


class CertificateOut(Schema):
    number: str
    verification_code: str
    stars: int
    score: float | None
    status: str
    decision_number: str
    issued_on: dt.date
    expires_on: dt.date
    revoked_on: dt.date | None


class ChannelOut(Schema):
    kind: str
    name: str
    url: str
    since: dt.date | None


class ProductDetailOut(ProductOut):
    description: str
    story: str
    packaging: str
    annual_capacity: int | None
    capacity_unit: str
    certificates: list[CertificateOut]
    channels: list[ChannelOut]


@router.get(
    "/{int:product_id}", response={200: ProductDetailOut, **ERRORS}, summary="One product",
    operation_id="ocop_catalog_api_product_detail",  # as published before the router moved here
)  # fmt: skip
def product_detail(request: HttpRequest, product_id: int, response: HttpResponse):
    """A product with its certificates (newest first) and where it is sold."""
    try:
        product = product_get_public(pk=product_id)
    except Product.DoesNotExist:
        raise Http404 from None
    out = product_out(request, product)
    today = timezone.localdate()
    out.update(
        description=product.description, story=product.story, packaging=product.packaging,
        annual_capacity=product.annual_capacity, capacity_unit=product.capacity_unit,
        certificates=[
            {"number": c.number, "verification_code": c.verification_code, "stars": c.stars,
             "score": float(c.score) if c.score is not None else None,
             "status": certificate_status_stored(c, today), "decision_number": c.decision_number,
             "issued_on": c.issued_on, "expires_on": c.expires_on, "revoked_on": c.revoked_on}
            for c in product_certificates(product=product)
        ],
        channels=[
            {"kind": ch.kind, "name": ch.name, "url": ch.url, "since": ch.since}
            for channels in product_channels(product=product).values()
            for ch in channels
        ],
    )  # fmt: skip
    last_modified(response, product.updated_at)
    return out
