"""Reading the spreadsheets provinces publish: .xlsx, legacy .xls and .csv, into rows of cells."""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from ocop.core.errors import ApplicationError

MAX_BYTES = 20 * 1024 * 1024  # 20 MB: a province's list is a few hundred kB; 100,000 rows is ~8 MB
MAX_COLUMNS = 200
MAX_ROWS = 200_000
MAX_CELLS = 4_000_000  # 200,000 rows of 20 columns: what memory holds comfortably as Python cells
MAX_SHEET_XML = 400 * 1024 * 1024  # the worksheet's XML, uncompressed: a zip bomb is refused before it is read
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other Office 97 files)


class ImportRefused(ApplicationError):
    """The file as a whole cannot be imported; nothing was read into the database."""


@dataclass
class Table:
    """The first worksheet's cells as Python values, with its merged ranges."""

    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    kind: str = "xlsx"


def sniff_kind(head: bytes, filename: str) -> str:
    """What the file really is, by its first bytes (the extension is only a hint)."""
    if head.startswith(_ZIP):
        return "xlsx"
    if head.startswith(_OLE):
        return "xls"
    if any(byte < 0x20 and byte not in (0x09, 0x0A, 0x0D) for byte in head[:4096]):  # control bytes: not text
        raise ImportRefused(
            _("“%(name)s” is not a spreadsheet (.xlsx, .xls or .csv).") % {"name": filename}, code="not_spreadsheet"
        )
    return "csv"


def check_upload(path: Path, filename: str, *, max_bytes: int = MAX_BYTES) -> str:
    """What can be said of a file without reading it: its size and, from its first bytes, its kind."""
    size = path.stat().st_size
    if size == 0:
        raise ImportRefused(_("“%(name)s” is empty.") % {"name": filename}, code="empty")
    if size > max_bytes:
        raise ImportRefused(
            _("“%(name)s” is %(size)s MB; files up to %(max)s MB are accepted. Split it into several files.")
            % {"name": filename, "size": round(size / 1024 / 1024, 1), "max": round(max_bytes / 1024 / 1024, 1)},
            code="too_big",
        )
    with open(path, "rb") as fh:
        head = fh.read(8192)
    return sniff_kind(head, filename)


def read_table(
    path: Path, filename: str | None = None, *, max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES
) -> Table:
    """Read a spreadsheet file, refusing what is too big, empty, not a spreadsheet, or too wide.

    Smaller `max_rows` and `max_bytes` bound a small sheet read where it is needed at once (a criteria sheet of
    a few dozen rows): memory then stays within `max_rows` × 200 cells whatever the file declares.
    """
    filename = filename or path.name
    kind = check_upload(path, filename, max_bytes=max_bytes)
    table = _read_csv(path, filename, max_rows) if kind == "csv" else _read_workbook(path, filename, kind, max_rows)
    if not any(any(cell not in (None, "") for cell in row) for row in table.rows):
        raise ImportRefused(_("“%(name)s” has no data.") % {"name": filename}, code="empty")
    widest = max((len(row) for row in table.rows), default=0)
    if widest > MAX_COLUMNS:
        raise ImportRefused(
            _("“%(name)s” has a row of %(n)s columns; at most %(max)s are accepted.")
            % {"name": filename, "n": widest, "max": MAX_COLUMNS},
            code="too_wide",
        )
    if len(table.rows) > max_rows:
        raise ImportRefused(
            _("“%(name)s” has %(n)s rows; at most %(max)s are accepted in one file.")
            % {"name": filename, "n": len(table.rows), "max": max_rows},
            code="too_long",
        )
    return table


# A cell beyond column GR (the 200th: GS…ZZ or three letters), a cell or row beyond row 200,099 (six digits
# from 200100, or seven): only the offending references match, so a normal sheet costs one fast scan.
_FAR = rb"(?:[0-9]{7}|[3-9][0-9]{5}|2[1-9][0-9]{4}|20[1-9][0-9]{3}|200[1-9][0-9]{2})\b"
_WIDE_CELL = re.compile(rb'\sr="(?:[A-Z]{3}|G[S-Z]|[H-Z][A-Z])[0-9]|\sr="[A-Z]{1,3}' + _FAR)
_FAR_ROW = re.compile(rb'<(?:[a-z]+:)?row r="' + _FAR)
_ROW_NUMBER = re.compile(rb'<(?:[a-z]+:)?row r="([0-9]+)"')


def _first_sheet_xml(book: zipfile.ZipFile) -> str | None:
    """The member holding the workbook's first worksheet (the one read), from workbook.xml and its relations."""
    names = set(book.namelist())
    try:
        workbook = book.read("xl/workbook.xml")
        relations = book.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    first = re.search(rb'<(?:[a-z]+:)?sheet\b[^>]*\br:id="([^"]+)"', workbook)
    if first is None:
        return None
    for relation in re.finditer(rb"<Relationship\b[^>]*>", relations):
        tag = relation.group(0)
        if re.search(rb'\bId="' + re.escape(first.group(1)) + rb'"', tag):
            target = re.search(rb'\bTarget="([^"]+)"', tag)
            if target is None:
                return None
            member = target.group(1).decode().lstrip("/")
            member = member if member.startswith("xl/") else f"xl/{member}"
            return member if member in names else None
    return None


def _check_xlsx_bounds(path: Path, filename: str, max_rows: int = MAX_ROWS) -> None:
    """Refuse, before any cell is read, a workbook whose first sheet reaches beyond the limits: a 2 KB file with
    one cell at GR1048576 would otherwise make the reader lay out 200 × 1,048,576 cells. The sheet's XML is
    streamed (never held whole) and every cell and row reference checked; its uncompressed size is bounded."""
    too_big = ImportRefused(
        _("“%(name)s” reaches beyond %(rows)s rows or %(columns)s columns; split it into several files.")
        % {"name": filename, "rows": f"{max_rows:,}".replace(",", "."), "columns": MAX_COLUMNS},
        code="too_big",
    )
    max_cells = min(MAX_CELLS, max_rows * MAX_COLUMNS)
    small = max_rows < MAX_ROWS  # row numbers then checked one by one (cheap: one per row, not per cell)
    try:
        with zipfile.ZipFile(path) as book:
            member = _first_sheet_xml(book)
            if member is None:
                return  # not laid out as we know it: the reader decides
            if book.getinfo(member).file_size > MAX_SHEET_XML:
                raise too_big
            with book.open(member) as sheet:
                tail = b""
                cells = 0
                while chunk := sheet.read(1024 * 1024):
                    data = tail + chunk
                    cells += chunk.count(b"<c ") + chunk.count(b":c ")
                    if cells > max_cells or _WIDE_CELL.search(data) or _FAR_ROW.search(data):
                        raise too_big
                    if small and any(int(m.group(1)) > max_rows + 100 for m in _ROW_NUMBER.finditer(data)):
                        raise too_big
                    tail = data[-64:]  # a reference cut by the chunk's end is found in the next round
    except ImportRefused:
        raise
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return  # the reader refuses it with its own message


def _read_workbook(path: Path, filename: str, kind: str, max_rows: int = MAX_ROWS) -> Table:
    if kind == "xlsx":
        _check_xlsx_bounds(path, filename, max_rows)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        if sheet.total_width > MAX_COLUMNS:
            raise ImportRefused(
                _("“%(name)s” has a row of %(n)s columns; at most %(max)s are accepted.")
                % {"name": filename, "n": sheet.total_width, "max": MAX_COLUMNS},
                code="too_wide",
            )
        rows = sheet.to_python(skip_empty_area=False)
        merged = list(sheet.merged_cell_ranges or [])
    except ImportRefused:
        raise
    except (CalamineError, ValueError, OSError, IndexError) as exc:
        raise ImportRefused(
            _("“%(name)s” could not be read as a spreadsheet (%(reason)s).") % {"name": filename, "reason": exc},
            code="unreadable",
        ) from None
    table = Table(rows=[list(row) for row in rows], merged=merged, kind=kind)
    _fill_merged_down(table)
    return table


def _fill_merged_down(table: Table) -> None:
    """Every cell of a range merged over several rows gets the range's value: a producer, address or decision
    written once for its several products ("Chủ thể" merged down three product rows) belongs to each row.
    Ranges within one row (a header over its sub-columns, a title across the sheet) are left as they are."""
    rows = table.rows
    for (first_row, first_col), (last_row, last_col) in table.merged:
        if last_row <= first_row or first_row >= len(rows):
            continue
        for column in range(first_col, last_col + 1):
            if column >= len(rows[first_row]):
                continue
            value = rows[first_row][column]
            for row in rows[first_row + 1 : last_row + 1]:
                if column < len(row) and row[column] in (None, ""):
                    row[column] = value


def _read_csv(path: Path, filename: str, max_rows: int = MAX_ROWS) -> Table:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1258", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise ImportRefused(_("“%(name)s” is not a text file.") % {"name": filename}, code="not_spreadsheet")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(1024 * 1024)
    rows: list[list[str]] = []
    cells = 0
    for row in csv.reader(io.StringIO(text), dialect):
        cells += len(row)
        if len(row) > MAX_COLUMNS:  # stopped as soon as it is known, before the rest is held in memory
            raise ImportRefused(
                _("“%(name)s” has a row of %(n)s columns; at most %(max)s are accepted.")
                % {"name": filename, "n": len(row), "max": MAX_COLUMNS},
                code="too_wide",
            )
        if len(rows) >= max_rows:
            raise ImportRefused(
                _("“%(name)s” has more than %(max)s rows; split it into several files.")
                % {"name": filename, "max": f"{max_rows:,}".replace(",", ".")},
                code="too_long",
            )
        if cells > min(MAX_CELLS, max_rows * MAX_COLUMNS):
            raise ImportRefused(
                _("“%(name)s” reaches beyond %(rows)s rows or %(columns)s columns; split it into several files.")
                % {"name": filename, "rows": f"{max_rows:,}".replace(",", "."), "columns": MAX_COLUMNS},
                code="too_big",
            )
        rows.append(row)
    return Table(rows=rows, kind="csv")


@contextmanager
def upload_on_disk(upload: Any) -> Iterator[Path]:
    """An uploaded file written to a temporary path (streamed by chunks), removed when the block ends."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload"
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        yield path


def read_upload(upload: Any, *, max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES) -> Table:
    """A small uploaded sheet read at once, within bounds (see `read_table`)."""
    with upload_on_disk(upload) as path:
        return read_table(path, upload.name, max_rows=max_rows, max_bytes=max_bytes)
