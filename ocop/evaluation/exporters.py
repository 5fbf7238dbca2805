"""The dossiers an officer sees, as a spreadsheet (.xlsx or .csv)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ObjectDoesNotExist

from ocop.core.exporting import Column, Exporter


def _result(dossier: Any, field: str) -> Any:
    try:
        value = getattr(dossier.result, field)
    except ObjectDoesNotExist:
        return None
    return float(value) if field == "mean_total" else value


class DossierExporter(Exporter):
    title = "DANH SÁCH HỒ SƠ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP"
    columns: ClassVar[list[Column]] = [
        ("STT", lambda d: None, 6),
        ("Tên sản phẩm", lambda d: d.product_name, 40),
        ("Chủ thể", lambda d: d.producer.name, 40),
        ("Xã/phường", lambda d: d.commune.name if d.commune_id else "", 24),
        ("Nhóm sản phẩm", lambda d: f"{d.category.code} {d.category.name}" if d.category_id else "", 32),
        ("Loại hồ sơ", lambda d: str(d.get_kind_display()), 16),
        ("Đợt", lambda d: f"{d.round.number}/{d.round.year}", 10),
        ("Trạng thái", lambda d: str(d.get_status_display()), 24),
        ("Ngày nộp", lambda d: d.submitted_at.date() if d.submitted_at else None, 14),
        ("Điểm", lambda d: _result(d, "mean_total"), 9),
        ("Hạng sao", lambda d: _result(d, "stars"), 9),
        ("Số giấy chứng nhận", lambda d: d.certificate.number if d.certificate_id else "", 22),
    ]
