"""The office's lists as spreadsheets, with Vietnamese headers as the province offices keep them."""

from __future__ import annotations

from typing import ClassVar

from ocop.core.exporting import Column, Exporter


class SupportExporter(Exporter):
    title = "HOẠT ĐỘNG HỖ TRỢ CHỦ THỂ OCOP"
    columns: ClassVar[list[Column]] = [
        ("STT", lambda a: None, 6),
        ("Ngày", lambda a: a.held_on, 12),
        ("Loại hỗ trợ", lambda a: str(a.get_kind_display()), 24),
        ("Nội dung", lambda a: a.title, 44),
        ("Tỉnh/thành phố", lambda a: a.province.name, 18),
        ("Đơn vị thực hiện", lambda a: a.provider, 28),
        ("Số người tham gia", lambda a: a.participants, 12),
        ("Số chủ thể", lambda a: a.producer_count, 10),
        ("Ngân sách trung ương (đồng)", lambda a: a.budget_central, 16),
        ("Ngân sách tỉnh (đồng)", lambda a: a.budget_province, 16),
        ("Ngân sách huyện, xã (đồng)", lambda a: a.budget_local, 16),
        ("Nguồn khác (đồng)", lambda a: a.budget_other, 16),
        ("Tổng kinh phí (đồng)", lambda a: a.budget, 16),
    ]


class InspectionExporter(Exporter):
    title = "KIỂM TRA, GIÁM SÁT SẢN PHẨM OCOP SAU CÔNG NHẬN"
    columns: ClassVar[list[Column]] = [
        ("STT", lambda i: None, 6),
        ("Sản phẩm", lambda i: i.certificate.product.name, 40),
        ("Chủ thể", lambda i: i.certificate.product.producer.name, 36),
        ("Số giấy chứng nhận", lambda i: i.certificate.number, 22),
        ("Hình thức", lambda i: str(i.get_kind_display()), 14),
        ("Ngày dự kiến", lambda i: i.planned_on, 12),
        ("Ngày kiểm tra", lambda i: i.inspected_on, 12),
        ("Kết quả", lambda i: str(i.get_outcome_display()), 20),
        ("Hạn khắc phục", lambda i: i.remedy_by, 12),
        ("Nội dung phát hiện", lambda i: i.findings, 50),
    ]
