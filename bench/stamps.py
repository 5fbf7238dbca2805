"""Scenario `stamps` (issue 21): a million-stamp series, its CSV and PDF, and the scan page under load.

On SQLite and on PostgreSQL (a small catalog of its own: `seed_demo --products 200`):
1. Baseline: a million random codes written to a file. Then, in the same process: a series of a million stamps
   drawn and stored, and its printer CSV written. Target: ≤ 20× the baseline.
2. The label PDF of the whole series (65 labels an A4 sheet: 15,385 pages) in its own process, written to a
   counting sink: time and peak memory. Target: peak below 300 MB (constant: the same at any size).
3. gunicorn (4 workers, the production cache: Redis) loaded by wrk: the trivial view /ping, then the scan page
   rotating over 30,000 stamps of the series — each first opening stores a scan, so the load writes. Target: the
   scan page ≥ 0.5× the trivial view's requests/s, 0 errors.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bench.catalog import BENCH_DIR, PG_ADMIN_URL, ROOT, _env, _manage, _Server, _wrk
from bench.registry import scenario

COUNT = int(os.environ.get("BENCH_STAMPS", "1000000"))
SCAN_CODES = 30_000
WARM = 40
SQLITE_URL = f"sqlite:///{BENCH_DIR / 'stamps.sqlite3'}"
PG_URL = PG_ADMIN_URL.rsplit("/", 1)[0] + "/ocop_bench_stamps"


def _worker(env: dict[str, str], *args: str) -> object:
    out = subprocess.run([sys.executable, "-m", "bench.stamps_worker", *args], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def _prepare(url: str) -> dict[str, str]:
    """A fresh database for each run: the series, scans and signals of earlier runs would make this one slower
    (millions of stamps in the indexes, open signals), so every run measures the same thing."""
    env = _env(url)
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS ocop_bench_stamps WITH (FORCE)")
            conn.execute("CREATE DATABASE ocop_bench_stamps")
    else:
        for suffix in ("", "-wal", "-shm"):
            (BENCH_DIR / f"stamps.sqlite3{suffix}").unlink(missing_ok=True)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    _manage("migrate", "--no-input", "-v0", env=env)
    _manage("load_reference", "-v0", env=env)
    _manage("seed_demo", "--products", "200", "--seed", "7", "--no-users", "--pictures", "0", "-v0", env=env)
    return env


def _one(url: str, *, pdf: bool) -> dict:
    env = _prepare(url)
    _worker(env, "setup")
    generated = _worker(env, "generate", str(COUNT))
    assert isinstance(generated, dict)
    result: dict = {"generate": generated}
    if pdf:
        result["pdf"] = _worker(env, "pdf", str(generated["series"]))
    codes = _worker(env, "codes", str(generated["series"]), str(SCAN_CODES + WARM))
    assert isinstance(codes, list)
    codes, warm = codes[:-WARM], codes[-WARM:]
    with _Server(url, "redis") as server:
        # Each worker's first scan page loads the URL map, the static manifest and compiles the template (half a
        # second): done before measuring, as on a running site (the trivial view needs none of it).
        server.warm([f"/t/{code}" for code in warm] + ["/ping"] * 8)
        trivial = _wrk(server.base, ["/ping"], "ping")
        scan = _wrk(server.base, [f"/t/{code}" for code in codes], "scan")
    result.update(trivial=trivial, scan_page=scan, scan_vs_trivial=round(scan["rps"] / trivial["rps"], 3))
    return result


@scenario("stamps")
def stamps_scenario() -> dict:
    results = {"SQLite": _one(SQLITE_URL, pdf=True), "PostgreSQL": _one(PG_URL, pdf=False)}
    results["markdown"] = _markdown(results)
    (ROOT / "bench" / "results" / "stamps.md").write_text(results["markdown"] + "\n")
    return results


def _markdown(results: dict) -> str:
    lines = [
        "Targets: a 1,000,000-stamp series and its CSV ≤ 20× writing 1,000,000 random codes; its PDF below 300 MB; "
        "the scan page (which stores a scan) ≥ 0.5× the trivial view's requests/s, 0 errors.",
        "",
        "| database | random codes → file s | series drawn + stored s | + CSV s | ratio | scan rps (× trivial) | "
        "scan p50 / p99 ms | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in ("SQLite", "PostgreSQL"):
        r = results[name]
        g, s = r["generate"], r["scan_page"]
        lines.append(
            f"| {name} | {g['baseline_s']} | {g['draw_and_store_s']} | {g['with_csv_s']} | {g['ratio']}× "
            f"| {s['rps']} ({r['scan_vs_trivial']}) | {s['p50_ms']} / {s['p99_ms']} | {s['errors']} |"
        )
    pdf = results["SQLite"].get("pdf")
    if pdf:
        lines += ["", f"PDF of {pdf['labels']:,} labels ({pdf['pages']:,} pages, {pdf['bytes'] / 1e6:.0f} MB): "
                      f"{pdf['seconds']} s, peak memory {pdf['peak_mb']} MB (the process before: "
                      f"{pdf['before_mb']} MB)."]  # fmt: skip
    return "\n".join(lines)
