"""Trade lists as spreadsheets (.xlsx and .csv), with Vietnamese headers as the trade-promotion offices keep them."""

from __future__ import annotations

from typing import ClassVar

from ocop.core.exporting import Column, Exporter


def _number(value) -> float | None:
    return float(value) if value is not None else None


class ContractExporter(Exporter):
    title = "HỢP ĐỒNG TIÊU THỤ VỚI HỆ THỐNG BÁN LẺ"
    columns: ClassVar[list[Column]] = [
        ("STT", lambda c: None, 6),
        ("Tên sản phẩm", lambda c: c.product.name, 40),
        ("Chủ thể", lambda c: c.product.producer.name, 40),
        ("Tỉnh/thành phố", lambda c: c.product.province.name if c.product.province_id else "", 18),
        ("Hệ thống bán lẻ", lambda c: c.chain, 24),
        ("Giai đoạn", lambda c: str(c.get_stage_display()), 16),
        ("Số cửa hàng", lambda c: c.stores, 10),
        ("Sản lượng", lambda c: _number(c.volume), 12),
        ("Đơn vị", lambda c: c.unit, 12),
        ("Giá trị (đồng)", lambda c: c.value, 16),
        ("Ngày ký", lambda c: c.signed_on, 14),
        ("Cung ứng từ", lambda c: c.supply_from, 14),
        ("Ngày kết thúc", lambda c: c.ended_on, 14),
        ("Ghi chú", lambda c: c.note, 40),
    ]


class InquiryExporter(Exporter):
    title = "YÊU CẦU HỎI MUA"
    columns: ClassVar[list[Column]] = [
        ("STT", lambda i: None, 6),
        ("Ngày gửi", lambda i: i.created_at.date(), 14),
        ("Sản phẩm", lambda i: i.product.name, 40),
        ("Chủ thể", lambda i: i.producer.name, 36),
        ("Người hỏi", lambda i: i.name, 24),
        ("Đơn vị", lambda i: i.organisation, 28),
        ("Điện thoại", lambda i: i.phone, 16),
        ("E-mail", lambda i: i.email, 28),
        ("Số lượng", lambda i: _number(i.quantity), 12),
        ("Đơn vị tính", lambda i: i.unit, 12),
        ("Giá mong muốn (đồng)", lambda i: i.target_price, 16),
        ("Cần trước ngày", lambda i: i.needed_by, 14),
        ("Trạng thái", lambda i: str(i.get_status_display()), 18),
    ]


class DemandExporter(Exporter):
    title = "NHU CẦU MUA HÀNG"
    columns: ClassVar[list[Column]] = [
        ("STT", lambda d: None, 6),
        ("Ngày đăng", lambda d: d.created_at.date(), 14),
        ("Bên mua", lambda d: d.organisation, 30),
        ("Sản phẩm cần mua", lambda d: d.title, 40),
        ("Số lượng", lambda d: _number(d.quantity), 12),
        ("Đơn vị tính", lambda d: d.unit, 12),
        ("Tần suất", lambda d: str(d.get_frequency_display()), 14),
        ("Hạng sao tối thiểu", lambda d: d.min_stars, 10),
        ("Giao tại", lambda d: d.delivery_province.name if d.delivery_province_id else "", 18),
        ("Hạn", lambda d: d.deadline, 14),
        ("Trạng thái", lambda d: str(d.get_status_display()), 14),
    ]


class BoothRequestExporter(Exporter):
    title = "ĐĂNG KÝ GIAN HÀNG"
    columns: ClassVar[list[Column]] = [
        ("STT", lambda b: None, 6),
        ("Chủ thể", lambda b: b.producer.name, 40),
        ("Loại gian hàng", lambda b: b.booth_type.name, 24),
        ("Giá (đồng)", lambda b: b.booth_type.price, 14),
        ("Sản phẩm trưng bày", lambda b: "; ".join(p.name for p in b.products.all()), 50),
        ("Trạng thái", lambda b: str(b.get_status_display()), 18),
        ("Số gian", lambda b: b.booth_number, 8),
        ("Số hợp đồng, biên bản ghi nhớ", lambda b: b.deals, 12),
        ("Doanh thu (đồng)", lambda b: b.sales_value, 16),
    ]


class SalePointExporter(Exporter):
    title = "ĐIỂM GIỚI THIỆU VÀ BÁN SẢN PHẨM OCOP"
    columns: ClassVar[list[Column]] = [
        ("STT", lambda p: None, 6),
        ("Tên điểm", lambda p: p.name, 36),
        ("Đơn vị vận hành", lambda p: p.operator, 30),
        ("Địa chỉ", lambda p: ", ".join(x for x in (p.address, p.commune.name) if x), 46),
        ("Tỉnh/thành phố", lambda p: p.province.name, 18),
        ("Giờ mở cửa", lambda p: p.opening_hours, 20),
        ("Điện thoại", lambda p: p.phone, 16),
        ("Vĩ độ", lambda p: p.lat, 10),
        ("Kinh độ", lambda p: p.lon, 10),
        ("Ngày mở", lambda p: p.opened_on, 14),
    ]
