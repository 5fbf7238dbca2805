"""Building certified products with chosen names for search and page tests."""

from __future__ import annotations

import datetime as dt

from ocop.catalog.tests.factories import ProductFactory, leaf
from ocop.certification.rules import certificate_status_on
from ocop.certification.services import products_sync_certification
from ocop.certification.tests.factories import CertificateFactory
from ocop.geo.models import Commune
from ocop.producers.tests.factories import ProducerFactory


def certified_product(
    name: str,
    *,
    stars: int = 3,
    issued_on: dt.date | None = None,
    producer=None,
    leaf_code: str | None = None,
    status: str | None = None,
    **producer_kwargs,
):
    """A public product named `name` whose current certificate has `stars`, issued on `issued_on`.

    Unless told otherwise the producer has a neutral name in Xã Khun Há (Lai Châu), so that only
    the product's own name can match a search.
    """
    if producer is None:
        if "commune" not in producer_kwargs:
            commune = Commune.objects.select_related("province").get(name="Xã Khun Há")
            producer_kwargs.update(commune=commune, province=commune.province)
        producer_kwargs.setdefault("name", "Chủ thể thử nghiệm")
        producer_kwargs.setdefault("legacy_province", None)
        producer = ProducerFactory(**producer_kwargs)
    leaf_code = leaf_code or "IV.1"  # a group whose words no test searches for
    extra = {"leaf_code": leaf_code, "category": leaf(leaf_code)}
    product = ProductFactory(producer=producer, name=name, **extra)
    issued_on = issued_on or dt.date.today() - dt.timedelta(days=200)
    certificate = CertificateFactory(product=product, stars=stars, issued_on=issued_on)
    if status == "revoked":
        certificate.status = "revoked"
        certificate.revoked_on = issued_on + dt.timedelta(days=30)
        certificate.revocation_decision = "99/QĐ-UBND"
        certificate.revocation_reason = "Vi phạm quy định về an toàn thực phẩm."
        certificate.save()
    elif status == "expired" or (status is None and certificate_status_on(certificate, dt.date.today()) == "expired"):
        certificate.status = "expired"
        certificate.save()
    products_sync_certification([product.pk])
    product.refresh_from_db()
    return product
