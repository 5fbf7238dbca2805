"""The products with their current certificate, as provinces publish their lists (.xlsx and .csv)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from ocop.catalog.models import Product
from ocop.certification.models import Certificate
from ocop.core.exporting import Column, Exporter
from ocop.producers.models import Producer

STATUS_VI = {"valid": "Còn hiệu lực", "expired": "Hết hiệu lực", "revoked": "Đã thu hồi"}
KIND_VI = {
    Producer.Kind.ENTERPRISE: "Doanh nghiệp", Producer.Kind.COOPERATIVE: "Hợp tác xã",
    Producer.Kind.COOPERATIVE_GROUP: "Tổ hợp tác", Producer.Kind.HOUSEHOLD: "Hộ sản xuất, kinh doanh",
}  # fmt: skip


def _address(row: dict) -> str:
    return ", ".join(part for part in (row["address"], row["commune"], row["province_full"]) if part)


def _score(row: dict) -> float | None:
    return float(row["score"]) if row.get("score") is not None else None


class ProductListExporter(Exporter):
    """The catalog as provinces publish it: one row per product with its current certificate."""

    title = "DANH SÁCH SẢN PHẨM OCOP"
    columns: ClassVar[list[Column]] = [
        ("STT", lambda r: None, 6),
        ("Tên sản phẩm", lambda r: r["name"], 40),
        ("Chủ thể", lambda r: r["producer"], 40),
        ("Loại hình chủ thể", lambda r: KIND_VI.get(r["kind"], ""), 18),
        ("Địa chỉ", _address, 50),
        ("Tỉnh/thành phố", lambda r: r["province"], 18),
        ("Nhóm sản phẩm", lambda r: f"{r['category_code']} {r['category']}", 36),
        ("Hạng sao", lambda r: r["stars"], 9),
        ("Điểm", _score, 8),
        ("Số giấy chứng nhận", lambda r: r.get("number", ""), 22),
        ("Số quyết định", lambda r: r.get("decision_number", ""), 20),
        ("Ngày quyết định", lambda r: r.get("issued_on"), 14),
        ("Ngày hết hạn", lambda r: r.get("expires_on"), 14),
        ("Tình trạng", lambda r: STATUS_VI.get(r["certificate_status"], ""), 14),
    ]


_PRODUCT_VALUES = {
    "name": "name", "producer": "producer__name", "kind": "producer__kind", "address": "producer__address",
    "commune": "producer__commune__name", "province": "producer__province__name",
    "province_full": "producer__province__full_name", "category_code": "category__code", "category": "category__name",
    "stars": "stars", "certificate_status": "certificate_status",
}  # fmt: skip
_CERTIFICATE_VALUES = ("number", "decision_number", "issued_on", "expires_on", "score")


def products_for_export(ids: Iterable[int], *, chunk: int = 5000) -> Iterator[dict[str, Any]]:
    """Products in the given order as plain rows (producer, place, group, current certificate), a chunk at a time.

    Plain values, not model instances: an export of 100,000 products builds no ORM objects.
    """
    ids = list(ids)
    names = list(_PRODUCT_VALUES)
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        rows = {
            values[0]: dict(zip(names, values[1:], strict=True))
            for values in Product.objects.filter(pk__among=part).values_list("pk", *_PRODUCT_VALUES.values())
        }
        current: dict[int, tuple] = {}
        for values in (
            Certificate.objects.filter(product_id__among=part)
            .order_by("issued_on", "id")
            .values_list("product_id", *_CERTIFICATE_VALUES)
        ):
            current[values[0]] = values[1:]
        for pk in part:
            row = rows.get(pk)
            if row is not None:
                if pk in current:
                    row.update(zip(_CERTIFICATE_VALUES, current[pk], strict=True))
                yield row


class ExpiringCertificatesExporter(Exporter):
    """The certificates an officer sees expiring soon: who to remind, by when."""

    title = "GIẤY CHỨNG NHẬN OCOP SẮP HẾT HIỆU LỰC"
    columns: ClassVar[list[Column]] = [
        ("STT", lambda c: None, 6),
        ("Tên sản phẩm", lambda c: c.product.name, 40),
        ("Chủ thể", lambda c: c.product.producer.name, 40),
        ("Xã/phường", lambda c: c.product.producer.commune.name if c.product.producer.commune_id else "", 24),
        ("Tỉnh/thành phố", lambda c: c.province.name if c.province_id else "", 18),
        ("Số giấy chứng nhận", lambda c: c.number, 22),
        ("Hạng sao", lambda c: c.stars, 9),
        ("Ngày hết hạn", lambda c: c.expires_on, 14),
        ("Đã nhắc ngày", lambda c: c.expiry_reminded_on, 14),
    ]
