"""Uploaded spreadsheets are read within bounds: a tiny file declaring a huge sheet is refused at once, without
the memory a full layout would take (measured in a child process, as the worker runs it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import xlsxwriter

from ocop.core.tabular import ImportRefused, read_table

ROOT = Path(__file__).resolve().parents[3]
CHILD = """
import json, os, sys, time
import django
django.setup()
from ocop.core.tabular import ImportRefused, read_table
started = time.perf_counter()
try:
    read_table(__import__("pathlib").Path(sys.argv[1]), "ds.xlsx")
    outcome = "read"
except ImportRefused as exc:
    outcome = exc.code
status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
print(json.dumps({"outcome": outcome, "seconds": time.perf_counter() - started,
                  "peak_mb": int(status["VmHWM"].split()[0]) // 1024}))
"""


def sparse_workbook(path: Path, cell: tuple[int, int]) -> Path:
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, ["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao"])
        sheet.write(*cell, "x")
    return path


def _read_in_child(path: Path) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "OCOP_TESTING": "true"}
    done = subprocess.run(  # noqa: S603 - our own code on a file the test wrote
        [sys.executable, "-c", CHILD, str(path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_tiny_workbook_with_one_cell_at_gr1048576_is_refused_at_once_in_little_memory(tmp_path):
    small = _read_in_child(sparse_workbook(tmp_path / "small.xlsx", (3, 3)))
    assert small["outcome"] == "read"
    sparse = sparse_workbook(tmp_path / "sparse.xlsx", (1048575, 199))
    assert sparse.stat().st_size < 10_000
    result = _read_in_child(sparse)
    assert result["outcome"] == "too_big"
    assert result["seconds"] < 1.0
    assert result["peak_mb"] - small["peak_mb"] < 100


def test_a_workbook_declaring_300000_rows_and_a_wide_csv_are_refused(tmp_path):
    path = sparse_workbook(tmp_path / "long.xlsx", (300_000, 2))
    with pytest.raises(ImportRefused) as refused:
        read_table(path, "long.xlsx")
    assert refused.value.code == "too_big"
    csv = tmp_path / "many.csv"
    csv.write_text("\n".join(",".join(["a"] * 150) for _ in range(30_000)), encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        read_table(csv, "many.csv")
    assert refused.value.code == "too_big"


def test_a_small_sheet_read_in_the_request_is_held_to_its_own_row_limit(tmp_path):
    """A criteria sheet is read at once in the request: a cell far below its few dozen rows is refused before any
    cell is read, so a 2 KB file cannot make the request lay out 150,000 rows of cells."""
    far = sparse_workbook(tmp_path / "far.xlsx", (150_000, 30))
    with pytest.raises(ImportRefused) as refused:
        read_table(far, "far.xlsx", max_rows=2_000, max_bytes=2 * 1024 * 1024)
    assert refused.value.code == "too_big" and "2.000" in refused.value.message
    assert len(read_table(sparse_workbook(tmp_path / "ok.xlsx", (40, 5)), max_rows=2_000).rows) == 41
    big = tmp_path / "big.csv"
    big.write_text("a,b\n" * 3_000)
    with pytest.raises(ImportRefused):
        read_table(big, max_rows=2_000)
