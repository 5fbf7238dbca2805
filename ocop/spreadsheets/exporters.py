"""Lists out as .xlsx or .csv with the column headers provinces use, through one exporter base."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

import xlsxwriter
from django.http import HttpResponse

from ocop.catalog.models import Product
from ocop.certification.models import Certificate
from ocop.producers.models import Producer

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
        # constant_memory streams each row to a temporary file (in_memory would override it and keep every cell).
        workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True})
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
        write_string, write_number = sheet.write_string, sheet.write_number
        for r, row in enumerate(self.rows(), start=first + 1):
            for col, value in enumerate(row):
                kind = type(value)
                if kind is str:
                    if value:
                        write_string(r, col, value)
                elif kind is int or kind is float:
                    write_number(r, col, value)
                elif value is None:
                    continue
                elif hasattr(value, "isoformat"):
                    sheet.write_datetime(r, col, _as_datetime(value), date)
                elif isinstance(value, int | float):
                    write_number(r, col, value)
                else:
                    write_string(r, col, str(value))
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


EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def export_response(exporter: Exporter, fmt: str, stem: str) -> HttpResponse:
    """The exporter's table as a download named `stem`.xlsx or `stem`.csv."""
    content = exporter.to_xlsx() if fmt == "xlsx" else exporter.to_csv()
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


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
            for values in Product.objects.filter(pk__in=part).values_list("pk", *_PRODUCT_VALUES.values())
        }
        current: dict[int, tuple] = {}
        for values in (
            Certificate.objects.filter(product_id__in=part)
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
