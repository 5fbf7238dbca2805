"""Scenario `import`: a 100,000-row list in the messy published style, imported on SQLite and PostgreSQL.

1. Writes (once, then reuses) var/bench/import-100000.xlsx: a title block, a two-row header with merged
   cells, stars written as "4 sao", "3*", "★★★★★" or 4, addresses in former districts and provinces,
   decision numbers with their date, scores with a decimal comma, about 1% bad rows and some rows of
   split communes (sent to review).
2. In a child process per database (so each peak memory is its own): the bare python-calamine read of the
   file, then the full import into an empty database (parse, validate, match, write), then the export of
   every product as .xlsx, each timed in the same run.
Targets: import ≤ 8× the bare read and < 60 s; peak memory < 500 MB; export of 100,000 rows < 10 s.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
from pathlib import Path

from bench.catalog import BENCH_DIR, PG_ADMIN_URL, ROOT, _env, _manage
from bench.registry import scenario

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
PG_IMPORT_URL = os.environ.get("BENCH_IMPORT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_bench_import")
STAR_SPELLINGS = {3: ["3 sao", "3*", "★★★", 3], 4: ["4 sao", "4*", "★★★★", 4], 5: ["5 sao", "5*", "★★★★★", 5]}


def build_file(path: Path, rows: int) -> None:
    """The list, from the reference data's former communes (resolved today) and split ones (to review)."""
    import xlsxwriter

    from ocop.core.demo_words import PRODUCT_STEMS
    from ocop.geo.models import LegacyCommune

    rng = random.Random(100_000)
    olds = list(
        LegacyCommune.objects.filter(successor__isnull=False).values_list(
            "name", "district__name", "district__province__name"
        )
    )
    splits = list(
        LegacyCommune.objects.filter(successor__isnull=True).values_list(
            "name", "district__name", "district__province__name"
        )[:50]
    )
    stems = [stem for stems, *_rest in PRODUCT_STEMS.values() for stem in stems]
    qualities = ["", " loại 1", " đặc biệt", " cao cấp", " hữu cơ", " truyền thống"]
    kinds = ["Hợp tác xã", "Công ty TNHH", "Hộ kinh doanh", "Tổ hợp tác", "Công ty cổ phần"]
    workbook = xlsxwriter.Workbook(str(path))  # not constant_memory: merged header cells span two rows
    sheet = workbook.add_worksheet("Phụ lục")
    bold = workbook.add_format({"bold": True, "border": 1, "text_wrap": True})
    sheet.write(0, 0, "UỶ BAN NHÂN DÂN")
    sheet.write(1, 0, "DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT OCOP")
    sheet.write(2, 0, "(Kèm theo các Quyết định công nhận của UBND tỉnh)")
    header = ["STT", "Tên sản phẩm", "Chủ thể sản xuất", "Mã số thuế", "Địa chỉ", "Hạng sao", "Điểm",
              "Số quyết định", "Năm"]  # fmt: skip
    for col, title in enumerate(header):
        sheet.merge_range(4, col, 5, col, title, bold)  # a two-row header, merged like the published ones
    producers: list[tuple[str, str, str]] = []
    for index in range(rows):
        r = 6 + index
        if producers and rng.random() < 0.55:  # many producers hold several products
            producer, tax, address = rng.choice(producers[-2000:])
        else:
            place = rng.choice(splits) if rng.random() < 0.002 else rng.choice(olds)
            address = f"Thôn {rng.randint(1, 12)}, {place[0].lower()}, {place[1].lower()}, {place[2]}"
            producer = f"{rng.choice(kinds)} {rng.choice(stems)} {len(producers) + 1}"
            tax = f"{4_600_000_000 + len(producers)}" if rng.random() < 0.4 else ""
            producers.append((producer, tax, address))
        stars = rng.choices((3, 4, 5), weights=(70, 27, 3))[0]
        spelled = rng.choice(STAR_SPELLINGS[stars])
        if rng.random() < 0.01:
            spelled = "6 sao"  # a bad row, rejected with its reason
        score = {3: rng.uniform(50, 69.9), 4: rng.uniform(70, 89.9), 5: rng.uniform(90, 100)}[stars]
        year = rng.randint(2019, 2025)
        day = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        values = [
            index + 1,
            f"{rng.choice(stems)}{rng.choice(qualities)} {index + 1}",
            producer,
            tax,
            address,
            spelled,
            f"{score:.2f}".replace(".", ",") if rng.random() < 0.5 else round(score, 2),
            f"{rng.randint(100, 3999)}/QĐ-UBND ngày {day:%d/%m/%Y}",
            float(year),  # read back as 2021.0, as legacy files do
        ]
        for col, value in enumerate(values):
            if value != "":
                sheet.write(r, col, value)
    workbook.close()


def _fresh_database(database_url: str) -> dict[str, str]:
    env = _env(database_url, OCOP_TASKS="immediate")
    if database_url:
        import psycopg

        name = database_url.rsplit("/", 1)[1]
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    else:
        folder = BENCH_DIR / "import"
        folder.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            (folder / f"ocop.sqlite3{suffix}").unlink(missing_ok=True)
        env["OCOP_VAR_DIR"] = str(folder)
    _manage("migrate", "-v0", env=env)
    _manage("load_reference", env=env)
    return env


def _run(env: dict[str, str], path: Path, *extra: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.import_worker", str(path), *extra],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"bench.import_worker failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@scenario("import")
def import_scenario() -> dict:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"import-{ROWS}.xlsx"
    results: dict = {"rows": ROWS}
    for label, url in (("sqlite", ""), ("postgresql", PG_IMPORT_URL)):
        env = _fresh_database(url)
        if not path.exists():
            _run(env, path, "--build", str(ROWS))  # from the reference data just loaded
        results["file_mb"] = round(path.stat().st_size / 1024 / 1024, 1)
        results[label] = _run(env, path)
        results[label]["import_vs_read"] = round(results[label]["import_s"] / results[label]["read_s"], 2)
    results["markdown"] = _markdown(results)
    return results


def _markdown(results: dict) -> str:
    lines = [
        f"{results['rows']:,} rows, {results['file_mb']} MB .xlsx",
        "",
        "| database | bare read s | import s | import ÷ read (≤ 8) | import peak RSS MB (< 500) "
        "| import peak anonymous MB | with the export: peak RSS / anonymous MB | new | rejected | review "
        "| export s (< 10) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label in ("sqlite", "postgresql"):
        r = results[label]
        lines.append(
            f"| {label} | {r['read_s']} | {r['import_s']} | {r['import_vs_read']} | {r['import_peak_mb']} "
            f"| {r['import_peak_anonymous_mb']} | {r['peak_mb']} / {r['peak_anonymous_mb']} | {r['new']} "
            f"| {r['rejected']} | {r['review']} | {r['export_s']} |"
        )
    return "\n".join(lines)
