"""Scenario `catalog`: search at 200,000 products on SQLite and PostgreSQL, and page throughput.

1. Builds (once, then reuses) a 200,000-product database: `seed_demo --products 200000 --seed 42` on
   SQLite under var/bench/, copied row for row into the PostgreSQL database `ocop_bench`.
2. Measures the search selector in-process on each database (p50/p95 over 200 queries).
3. Serves the site with gunicorn and loads it with wrk (16 connections) on 127.0.0.1: the trivial
   view /ping (the framework's ceiling), the uncached search page and the product page, each as
   requests per second and as a ratio of the trivial view's, all in the same run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from bench.registry import scenario

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "200000"))
PRODUCERS = int(os.environ.get("BENCH_PRODUCERS", str(PRODUCTS * 3 // 5)))  # 120,000 for 200,000
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_bench")
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = 16
COPIED_TABLES = [
    "geo_province", "geo_commune", "geo_legacyprovince", "geo_legacydistrict", "geo_legacycommune",
    "geo_legacycommune_split_into", "catalog_category", "producers_producer", "catalog_product",
    "certification_certificate", "market_saleschannel", "dashboards_certifiedspan",
]  # fmt: skip


def _env(database_url: str = "", **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OCOP_", "DATABASE_URL"))}
    env.update(
        OCOP_VAR_DIR=str(BENCH_DIR),
        DJANGO_SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",  # noqa: S106
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_COOKIES="false",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_SSL_REDIRECT="false",
        DJANGO_LOG_LEVEL="WARNING",
        **extra,
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _sqlite_products() -> int:
    """Products in the SQLite bench database (0 when it is missing or has too few producers)."""
    path = BENCH_DIR / "ocop.sqlite3"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(path) as db:
            if db.execute("SELECT COUNT(*) FROM producers_producer").fetchone()[0] < PRODUCERS:
                return 0
            return db.execute("SELECT COUNT(*) FROM catalog_product").fetchone()[0]
    except sqlite3.DatabaseError:
        return 0


def ensure_sqlite() -> float:
    """The SQLite bench database with PRODUCTS products; returns the seconds spent building it."""
    if _sqlite_products() >= PRODUCTS:
        _manage("migrate", "-v0", env=_env())  # a reused database gets the newest indexes
        return 0.0
    started = time.monotonic()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (BENCH_DIR / f"ocop.sqlite3{suffix}").unlink(missing_ok=True)
    env = _env()
    _manage("migrate", "-v0", env=env)
    _manage("load_reference", env=env)
    _manage(
        "seed_demo", "--products", str(PRODUCTS), "--producers", str(PRODUCERS), "--seed", "42", "--no-users", env=env
    )
    return time.monotonic() - started


def ensure_postgres() -> float:
    """The PostgreSQL bench database, copied from the SQLite one; returns the seconds spent."""
    import psycopg

    dbname = PG_URL.rsplit("/", 1)[1]
    if _pg_exists(dbname):
        with psycopg.connect(PG_URL) as conn:
            try:
                counts = conn.execute(
                    "SELECT (SELECT COUNT(*) FROM catalog_product), (SELECT COUNT(*) FROM producers_producer)"
                ).fetchone()
                if counts[0] >= PRODUCTS and counts[1] >= PRODUCERS:
                    _manage("migrate", "-v0", env=_env(PG_URL))
                    return 0.0
            except psycopg.Error:
                pass
    started = time.monotonic()
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{dbname}"')
    _manage("migrate", "-v0", env=_env(PG_URL))
    source = sqlite3.connect(BENCH_DIR / "ocop.sqlite3")
    with psycopg.connect(PG_URL) as target:
        target.execute("TRUNCATE " + ", ".join(COPIED_TABLES) + " CASCADE")
        for table in COPIED_TABLES:
            columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
            column_list = ", ".join(f'"{c}"' for c in columns)
            with target.cursor().copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in source.execute(f"SELECT {column_list} FROM {table}"):
                    copy.write_row(row)
            if "id" in columns:
                target.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
        target.commit()
        target.execute("ANALYZE")
    return time.monotonic() - started


def _pg_exists(dbname: str) -> bool:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL) as admin:
        return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone() is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wrk(url: str, paths: list[str]) -> dict:
    """requests/s, latency and errors of wrk rotating over `paths` with 16 connections."""
    script = BENCH_DIR / "paths.lua"
    lua_paths = ",\n".join(json.dumps(p) for p in paths)
    script.write_text(
        f"local paths = {{{lua_paths}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
    )
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", "-s", str(script), url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += (
        sum(int(n) for n in re.findall(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)[0])
        if "Socket errors" in out
        else 0
    )
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {"rps": rps, "errors": errors, "p99_ms": float(p99.group(1)) * scale[p99.group(2)] if p99 else None}


class _Server:
    """gunicorn with the repository's config on a free port of 127.0.0.1, for one database and cache."""

    def __init__(self, database_url: str, cache: str) -> None:
        self.port = _free_port()
        self.env = _env(database_url, OCOP_CACHE=cache, GUNICORN_BIND=f"127.0.0.1:{self.port}", GUNICORN_WORKERS="4")
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> _Server:
        _manage("collectstatic", "--no-input", "-v0", env=self.env)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT, env=self.env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{self.base}/ping", timeout=1).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        return self

    def warm(self, paths: list[str]) -> None:
        for path in paths:
            urllib.request.urlopen(self.base + path, timeout=60).read()  # noqa: S310

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _throughput(database_url: str, queries: list[str], product_paths: list[str]) -> dict:
    """Search pages on a server without any cache; product pages on one with its usual (local) cache."""
    search_paths = [f"/san-pham/?q={quote(q)}" for q in queries]
    with _Server(database_url, "dummy") as server:
        server.warm(search_paths[:10])
        trivial = _wrk(server.base, ["/ping"])
        search = _wrk(server.base, search_paths)
        facets = _wrk(server.base, [p.replace("/san-pham/?", "/san-pham/bo-loc/?") for p in search_paths])
    with _Server(database_url, "locmem") as server:
        server.warm(product_paths * 8)  # each of the 4 workers renders each page once, then serves it cached
        trivial_cached = _wrk(server.base, ["/ping"])
        product = _wrk(server.base, product_paths)
    return {
        "trivial": trivial,
        "search_page": search,
        "search_filters_fragment": facets,
        "trivial_cached_server": trivial_cached,
        "product_page": product,
        "search_vs_trivial": round(search["rps"] / trivial["rps"], 3),
        "product_vs_trivial": round(product["rps"] / trivial_cached["rps"], 3),
    }


def _selector(database_url: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.catalog_worker"], cwd=ROOT, env=_env(database_url),
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


@scenario("catalog")
def catalog_scenario() -> dict:
    from bench.catalog_worker import queries

    build = {"sqlite_s": round(ensure_sqlite(), 1), "postgresql_s": round(ensure_postgres(), 1)}
    with sqlite3.connect(BENCH_DIR / "ocop.sqlite3") as db:
        # 50 product pages: a hot set such as a fair or a promotion sends traffic to.
        rows = db.execute("SELECT id, slug FROM catalog_product ORDER BY id LIMIT 50 OFFSET 1000").fetchall()
    product_paths = [f"/san-pham/{pk}-{slug}/" for pk, slug in rows]
    results: dict = {"products": PRODUCTS, "build_seconds": build, "databases": {}}
    for name, url in (("sqlite", ""), ("postgresql", PG_URL)):
        results["databases"][name] = {
            "selector": _selector(url),
            "throughput": _throughput(url, queries(), product_paths) if shutil.which("wrk") else None,
        }
    results["markdown"] = _markdown(results)
    (ROOT / "bench" / "results" / "catalog.md").write_text(results["markdown"] + "\n")
    return results


def _markdown(results: dict) -> str:
    lines = [
        f"Catalog at {results['products']:,} products (targets: search p95 ≤ 15 ms; search page, uncached, ≥ 35% and "
        "product page ≥ 50% of the trivial view's requests/s on the same server).",
        "",
        "| database | search p50 ms | search p95 ms | accented p95 | facets p95 (uncached) | COUNT(*) p50 ms "
        "| trivial rps | search rps (ratio) | filters fragment rps | product rps (ratio) | errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, data in results["databases"].items():
        sel, thr = data["selector"], data["throughput"] or {}
        tr, se, pr = thr.get("trivial", {}), thr.get("search_page", {}), thr.get("product_page", {})
        fa = thr.get("search_filters_fragment", {})
        lines.append(
            f"| {name} | {sel['search_selector']['p50_ms']} | {sel['search_selector']['p95_ms']} "
            f"| {sel['search_selector_accented']['p95_ms']} | {sel['facets_uncached']['p95_ms']} "
            f"| {sel['baseline_count_star']['p50_ms']} | {tr.get('rps')} "
            f"| {se.get('rps')} ({thr.get('search_vs_trivial')}) | {fa.get('rps')} "
            f"| {pr.get('rps')} ({thr.get('product_vs_trivial')}) "
            f"| {tr.get('errors', 0) + se.get('errors', 0) + pr.get('errors', 0) + fa.get('errors', 0)} |"
        )
    return "\n".join(lines)
