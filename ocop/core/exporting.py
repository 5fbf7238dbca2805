"""Lists out as .xlsx or .csv with the column headers provinces use, through one exporter base."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

import xlsxwriter
from django.http import HttpResponse, StreamingHttpResponse

Column = tuple[str, Callable[[Any], Any], int]  # header, value of a row object, width in characters

# Every workbook we write: text is text, never a formula (a product named "=HYPERLINK(…)" stays that text).
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d[\d.,\s]*$")


def formula_safe(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP "CSV injection"): text beginning with =, +,
    -, @, a tab or a carriage return gets a leading apostrophe; a plain number written as text ("-5", "+84 912")
    is left alone. Numbers and dates are not text and never pass here."""
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


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
        workbook = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS | {"constant_memory": True})
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

    def iter_csv(self, rows_per_chunk: int = 1000) -> Iterator[bytes]:
        """UTF-8 with a BOM, so that Excel opens the Vietnamese text correctly; written as it is read, a chunk of
        rows at a time (a download of 100,000 rows starts at once and holds one chunk in memory)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow(self.header())
        for count, row in enumerate(self.rows(), start=1):
            writer.writerow([_csv_value(value) for value in row])
            if count % rows_per_chunk == 0:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode("utf-8")

    def to_csv(self) -> bytes:
        return b"".join(self.iter_csv())


EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def export_response(exporter: Exporter, fmt: str, stem: str) -> HttpResponse | StreamingHttpResponse:
    """The exporter's table as a download named `stem`.xlsx or `stem`.csv (CSV streamed as it is written; a
    workbook is written in constant memory, then sent)."""
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(exporter.iter_csv(), content_type=EXPORT_TYPES[fmt])
    else:
        response = HttpResponse(exporter.to_xlsx(), content_type=EXPORT_TYPES[fmt])
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
    if isinstance(value, str):
        return formula_safe(value)
    return value


def export_if_asked(
    request: Any, exporter: type[Exporter], objects: Any, stem: str
) -> HttpResponse | StreamingHttpResponse | None:
    """The list as a download when the page was asked for it (?xuat=xlsx or ?xuat=csv), else None: every list
    page offers its rows, with the filters applied, through `components/_export.html`."""
    fmt = request.GET.get("xuat")
    if fmt not in EXPORT_TYPES:
        return None
    if hasattr(objects, "iterator"):
        objects = objects.iterator(chunk_size=2000)
    return export_response(exporter(objects), fmt, stem)
