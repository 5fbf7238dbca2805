"""Scenario `catalog`: search at 200,000 products on SQLite and PostgreSQL, and page throughput.

1. Builds (once, then reuses) a 200,000-product database: `seed_demo --products 200000 --seed 42` on
   SQLite under var/bench/, copied row for row into the PostgreSQL database `ocop_bench`.
2. Measures the search selector in-process on each database (p50/p95 over 200 queries).
   Before it and before each page's load below, the database's files are read into memory (`warm_database`):
   a running server holds them; this VM's page cache does not stay.
3. Serves the site with gunicorn (4 workers, no recycling) and loads it with wrk (16 connections, 10 s timeout,
   latency percentiles) on 127.0.0.1: the trivial view /ping (the framework's ceiling), search pages rotating over
   300 searches and filter combinations, the filters fragment, and product pages rotating over every product;
   once with the production cache (Redis) and once without any cache, each as requests per second and as a ratio
   of the trivial view's on the same server in the same run.
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

from bench.registry import scenario, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "200000"))
PRODUCERS = int(os.environ.get("BENCH_PRODUCERS", str(PRODUCTS * 3 // 5)))  # 120,000 for 200,000
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = 16
COPIED_TABLES = [
    "geo_province", "geo_commune", "geo_legacyprovince", "geo_legacydistrict", "geo_legacycommune",
    "geo_legacycommune_split_into", "catalog_category", "producers_producer", "catalog_product",
    "certification_certificate", "market_saleschannel", "dashboards_certifiedspan",
    "certification_certifiedproducerspan", "certification_certifiedcount",
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
                    pg_settings(dbname)
                    _manage("migrate", "-v0", env=_env(PG_URL))
                    return 0.0
            except psycopg.Error:
                pass
    started = time.monotonic()
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{dbname}"')
    pg_settings(dbname)
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
    with psycopg.connect(PG_URL, autocommit=True) as target:
        target.execute("VACUUM ANALYZE")  # the GIN indexes' pending lists and the planner's statistics
    return time.monotonic() - started


# The database settings docs/deploy.md gives operators (shared_buffers needs a server restart: left as is).
PG_DATABASE_SETTINGS = {
    "random_page_cost": "1.1", "jit": "off", "work_mem": "16MB", "effective_cache_size": "16GB",
    "effective_io_concurrency": "200",
}  # fmt: skip


def pg_settings(dbname: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        for name, value in PG_DATABASE_SETTINGS.items():
            admin.execute(f"ALTER DATABASE \"{dbname}\" SET {name} = '{value}'")


def _pg_exists(dbname: str) -> bool:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL) as admin:
        return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone() is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wrk(url: str, paths: list[str], name: str = "mix") -> dict:
    """requests/s, latency percentiles and errors of wrk rotating over `paths` (16 connections, 10 s timeout:
    a slow answer is measured as slow, not counted as an error)."""
    script = BENCH_DIR / f"paths-{name}.lua"
    lua_paths = ",\n".join(json.dumps(p) for p in paths)
    script.write_text(
        f"local paths = {{{lua_paths}}}\nlocal i = 0\n"
        "setup = function(thread) thread:set('offset', math.random(#paths)) end\n"
        "init = function() i = tonumber(offset) or 0 end\n"
        "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
    )
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--timeout", "10s", "--latency", "-s", str(script), url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.findall(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors += sum(int(n) for n in socket_errors[0]) if socket_errors else 0
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    latency = {}
    for percent in ("50", "90", "99"):
        found = re.search(rf"\s{percent}%\s+([\d.]+)(us|ms|s)", out)
        latency[f"p{percent}_ms"] = round(float(found.group(1)) * scale[found.group(2)], 2) if found else None
    return {"rps": rps, "errors": errors, "paths": len(paths), **latency}


class _Server:
    """gunicorn with the repository's config on a free port of 127.0.0.1, for one database and cache: 4 workers,
    no recycling during a run (every page measured on the same settings)."""

    def __init__(self, database_url: str, cache: str) -> None:
        self.port = _free_port()
        self.env = _env(
            database_url, OCOP_CACHE=cache, GUNICORN_BIND=f"127.0.0.1:{self.port}", GUNICORN_WORKERS="4",
            GUNICORN_MAX_REQUESTS="0", REDIS_URL=REDIS_URL, OCOP_CACHE_PREFIX=f"bench{self.port}",
        )  # fmt: skip
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> _Server:
        _manage("collectstatic", "--no-input", "-v0", env=self.env)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT, env=self.env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until_up(self.base)
        return self

    def warm(self, paths: list[str]) -> None:
        for path in paths:
            urllib.request.urlopen(self.base + path, timeout=60).read()  # noqa: S310

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def warm_database(database_url: str) -> None:
    """The database's files read into the OS page cache (and PostgreSQL's buffers), as a running server holds
    them. This shared VM gives its page cache back within a minute or two of disuse: without this, a phase
    rotating over 200,000 products measured the disk (SQLite's product pages: 624 rps right after the build's
    copy, 1,121 rps in the next phase, in one run)."""
    if not database_url:
        for suffix in ("", "-wal"):
            path = BENCH_DIR / f"ocop.sqlite3{suffix}"
            if path.exists():
                with open(path, "rb") as fh:
                    while fh.read(8 * 1024 * 1024):
                        pass
        return
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        conn.execute(
            "SELECT pg_prewarm(c.oid::regclass, 'read') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 't')"
        )
        # The hottest tables and their indexes also into shared_buffers (128 MB by default).
        conn.execute(
            "SELECT pg_prewarm(i.indexrelid::regclass) FROM pg_index i "
            "WHERE i.indrelid IN ('catalog_product'::regclass, 'catalog_searchrow'::regclass)"
        )


def search_paths() -> list[str]:
    """At least 200 distinct searches: every query of the set alone, and with a filter (province, stars, group,
    sort) so that filter combinations rotate too."""
    from bench.catalog_worker import queries

    extras = ["", "&stars=5", "&province=01", "&group=I", "&sort=newest", "&status=valid", "&stars=4&group=II"]
    return [f"/san-pham/?q={quote(q)}{extras[i % len(extras)]}" for i, q in enumerate(queries())] + [
        f"/san-pham/?q={quote(q)}" for q in queries()[:100]
    ]


def _throughput(database_url: str, product_paths: list[str]) -> dict:
    """The trivial view, search pages, the filters fragment and product pages, rotating inputs, on a server with
    the production cache (Redis) and on one without any cache ("uncached")."""
    paths = search_paths()
    results: dict = {}
    for label, cache in (("cached", "redis"), ("uncached", "dummy")):
        with _Server(database_url, cache) as server:
            # Search pages warmed once, as on a running site (cached: each of the 300 answers from the cache
            # afterwards); product pages never: over every product, each is read about once in a run.
            server.warm(paths if cache != "dummy" else paths[:5])
            trivial = _wrk(server.base, ["/ping"], "ping")
            warm_database(database_url)  # before each phase: the VM's page cache does not stay
            search = _wrk(server.base, paths, "search")
            warm_database(database_url)
            facets = _wrk(server.base, [p.replace("/san-pham/?", "/san-pham/bo-loc/?") for p in paths], "facets")
            warm_database(database_url)
            product = _wrk(server.base, product_paths, "product")
        results[label] = {
            "trivial": trivial, "search_page": search, "search_filters_fragment": facets, "product_page": product,
            "search_vs_trivial": round(search["rps"] / trivial["rps"], 3),
            "product_vs_trivial": round(product["rps"] / trivial["rps"], 3),
        }  # fmt: skip
    return results


def _selector(database_url: str) -> dict:
    out = subprocess.run(
        # No shared cache: the facets are measured uncached, and the two databases' runs share the var directory.
        [sys.executable, "-m", "bench.catalog_worker"], cwd=ROOT, env=_env(database_url, OCOP_CACHE="dummy"),
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


@scenario("catalog")
def catalog_scenario() -> dict:
    build = {"sqlite_s": round(ensure_sqlite(), 1), "postgresql_s": round(ensure_postgres(), 1)}
    with sqlite3.connect(BENCH_DIR / "ocop.sqlite3") as db:
        # Every public product, in an order no cache can follow (a product page is read once in a run).
        rows = db.execute(
            "SELECT id, slug FROM catalog_product WHERE status <> 'draft' ORDER BY (id * 7919) % 200003"
        ).fetchall()
    product_paths = [f"/san-pham/{pk}-{slug}/" for pk, slug in rows]
    results: dict = {"products": PRODUCTS, "build_seconds": build, "databases": {}}
    for name, url in (("sqlite", ""), ("postgresql", PG_URL)):
        warm_database(url)
        results["databases"][name] = {
            "selector": _selector(url),
            "throughput": _throughput(url, product_paths) if shutil.which("wrk") else None,
        }
    results["markdown"] = _markdown(results)
    (ROOT / "bench" / "results" / "catalog.md").write_text(results["markdown"] + "\n")
    return results


def _markdown(results: dict) -> str:
    lines = [
        f"Catalog at {results['products']:,} products. Targets: search selector p95 ≤ 15 ms; with the production "
        "cache (Redis) the search page ≥ 0.35× and the product page ≥ 0.50× the trivial view's requests/s on the "
        "same server in the same run, 0 errors (wrk, 16 connections, 10 s timeout, rotating over every product and "
        "300 searches). The uncached server's figures beside them.",
        "",
        "| database | search p50 / p95 ms | accented p95 | facets p95 | nDCG@10 | server | trivial rps "
        "| search rps (ratio) p99 ms | filters fragment rps | product rps (ratio) p99 ms | errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, data in results["databases"].items():
        sel = data["selector"]
        for label, thr in (data["throughput"] or {}).items():
            tr, se, pr, fa = thr["trivial"], thr["search_page"], thr["product_page"], thr["search_filters_fragment"]
            lines.append(
                f"| {name} | {sel['search_selector']['p50_ms']} / {sel['search_selector']['p95_ms']} "
                f"| {sel['search_selector_accented']['p95_ms']} | {sel['facets_uncached']['p95_ms']} "
                f"| {sel.get('relevance', {}).get('ndcg_at_10')} | {label} | {tr['rps']} "
                f"| {se['rps']} ({thr['search_vs_trivial']}) {se['p99_ms']} | {fa['rps']} "
                f"| {pr['rps']} ({thr['product_vs_trivial']}) {pr['p99_ms']} "
                f"| {tr['errors'] + se['errors'] + pr['errors'] + fa['errors']} |"
            )
    return "\n".join(lines)
