"""Exports of the import pages: the rows an import rejected."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ocop.core.exporting import Column, Exporter


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
