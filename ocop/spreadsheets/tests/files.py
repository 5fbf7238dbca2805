"""Spreadsheets in the messy shapes provinces publish, built by the tests themselves."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter
import xlwt

TITLE = [
    "UỶ BAN NHÂN DÂN TỈNH CAO BẰNG",
    "",
    "DANH SÁCH SẢN PHẨM OCOP NĂM 2021",
    "(Kèm theo Quyết định số 2751/QĐ-UBND)",
]


def write_xlsx(path: Path, rows: list[list[Any]], *, title: list[str] | None = None, merges: list[tuple] = ()) -> Path:
    """An .xlsx with an optional title block above the table and merged cells."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Danh sách")
    offset = 0
    for line in title or []:
        sheet.write(offset, 0, line)
        offset += 1
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str) and value.startswith("="):
                sheet.write_formula(offset + r, c, value)
            elif isinstance(value, dt.date):
                sheet.write_datetime(
                    offset + r,
                    c,
                    dt.datetime.combine(value, dt.time()),
                    workbook.add_format({"num_format": "dd/mm/yyyy"}),
                )
            elif value is not None:
                sheet.write(offset + r, c, value)
    for first_row, first_col, last_row, last_col, value in merges:
        sheet.merge_range(offset + first_row, first_col, offset + last_row, last_col, value)
    workbook.close()
    return path


def write_xls(path: Path, rows: list[list[Any]], *, title: list[str] | None = None) -> Path:
    """A legacy .xls (Excel 97-2003), as many provinces still publish."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("DS")
    offset = 0
    for line in title or []:
        sheet.write(offset, 0, line)
        offset += 1
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(offset + r, c, value)
    book.save(str(path))
    return path


def write_csv(path: Path, rows: list[list[Any]], *, encoding: str = "utf-8-sig", delimiter: str = ",") -> Path:
    with open(path, "w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerows(rows)
    return path
