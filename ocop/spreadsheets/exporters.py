"""Lists out as .xlsx or .csv with the column headers provinces use, through one exporter base."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

import xlsxwriter

from ocop.catalog.models import Product
from ocop.certification.models import Certificate

Column = tuple[str, Callable[[Any], Any], int]  # header, value of a row object, width in characters


class Exporter:
    """Writes `objects` as a table: a subclass names its columns; rows stream, memory stays flat."""

    sheet_name: ClassVar[str] = "Danh sách"
    title: ClassVar[str] = ""
    columns: ClassVar[list[Column]] = []

    def __init__(self, objects: Iterable[Any]) -> None:
        self.objects = objects

    def header(self) -> list[str]:
        return [header for header, _value, _width in self.columns]

    def rows(self) -> Iterator[list[Any]]:
        for index, obj in enumerate(self.objects, start=1):
            yield [value(obj) if header != "STT" else index for header, value, _width in self.columns]

    def to_xlsx(self) -> bytes:
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
        sheet = workbook.add_worksheet(self.sheet_name[:31])
        bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
        date = workbook.add_format({"num_format": "dd/mm/yyyy"})
        first = 0
        if self.title:
            sheet.write(0, 0, self.title, workbook.add_format({"bold": True, "font_size": 13}))
            first = 2
        for col, (header, _value, width) in enumerate(self.columns):
            sheet.set_column(col, col, width)
            sheet.write(first, col, header, bold)
        for r, row in enumerate(self.rows(), start=first + 1):
            for col, value in enumerate(row):
                if value is None or value == "":
                    continue
                if hasattr(value, "isoformat") and not isinstance(value, str):
                    sheet.write_datetime(r, col, _as_datetime(value), date)
                elif isinstance(value, int | float):
                    sheet.write_number(r, col, value)
                else:
                    sheet.write_string(r, col, str(value))
        sheet.freeze_panes(first + 1, 0)
        workbook.close()
        return buffer.getvalue()

    def to_csv(self) -> bytes:
        """UTF-8 with a BOM, so that Excel opens the Vietnamese text correctly."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self.header())
        for row in self.rows():
            writer.writerow([_csv_value(value) for value in row])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _as_datetime(value: Any):
    import datetime as dt

    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return value


STATUS_VI = {"valid": "Còn hiệu lực", "expired": "Hết hiệu lực", "revoked": "Đã thu hồi"}


def _address(product: Product) -> str:
    producer = product.producer
    return ", ".join(part for part in (producer.address, producer.commune.name, producer.province.full_name) if part)


class ProductListExporter(Exporter):
    """The catalog as provinces publish it: one row per product with its current certificate."""

    title = "DANH SÁCH SẢN PHẨM OCOP"
    columns: ClassVar[list[Column]] = [
        ("STT", lambda p: None, 6),
        ("Tên sản phẩm", lambda p: p.name, 40),
        ("Chủ thể", lambda p: p.producer.name, 40),
        ("Loại hình chủ thể", lambda p: p.producer.get_kind_display(), 18),
        ("Địa chỉ", _address, 50),
        ("Tỉnh/thành phố", lambda p: p.producer.province.name, 18),
        ("Nhóm sản phẩm", lambda p: f"{p.category.code} {p.category.name}", 36),
        ("Hạng sao", lambda p: p.stars, 9),
        ("Điểm", lambda p: float(p.current.score) if p.current and p.current.score is not None else None, 8),
        ("Số giấy chứng nhận", lambda p: p.current.number if p.current else "", 22),
        ("Số quyết định", lambda p: p.current.decision_number if p.current else "", 20),
        ("Ngày quyết định", lambda p: p.current.issued_on if p.current else None, 14),
        ("Ngày hết hạn", lambda p: p.current.expires_on if p.current else None, 14),
        ("Tình trạng", lambda p: STATUS_VI.get(p.certificate_status, ""), 14),
    ]


def products_for_export(ids: Iterable[int], *, chunk: int = 2000) -> Iterator[Product]:
    """Products in the given order with producer, place, group and current certificate, a chunk at a time."""
    ids = list(ids)
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        products = Product.objects.select_related("producer__commune", "producer__province", "category").in_bulk(part)
        current: dict[int, Certificate] = {}
        for certificate in Certificate.objects.filter(product_id__in=part).order_by("issued_on", "id"):
            current[certificate.product_id] = certificate
        for pk in part:
            product = products.get(pk)
            if product is not None:
                product.current = current.get(pk)  # type: ignore[attr-defined]
                yield product


class RejectedRowsExporter(Exporter):
    """The rows an import rejected, as they were, with a "Lỗi" column: fix them and import just those."""

    sheet_name = "Dòng bị loại"

    def __init__(self, headers: list[str], rejected: list[tuple[list[Any], str]]) -> None:
        super().__init__(rejected)
        self.source_headers = headers

    def header(self) -> list[str]:
        return [*(h or f"Cột {i + 1}" for i, h in enumerate(self.source_headers)), "Lỗi"]

    @property
    def columns(self) -> list[Column]:  # type: ignore[override]
        width = len(self.source_headers)
        return [
            (h, (lambda row, i=i: row[0][i] if i < len(row[0]) else None), 20)
            for i, h in enumerate(self.header()[:width])
        ] + [("Lỗi", lambda row: row[1], 60)]

    def rows(self) -> Iterator[list[Any]]:
        for cells, reason in self.objects:
            yield [*(list(cells) + [None] * len(self.source_headers))[: len(self.source_headers)], reason]
