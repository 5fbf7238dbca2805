"""Scenario `load`: the site under gunicorn on 127.0.0.1, a mix of what people do, bounded in time.

1. A PostgreSQL database (`ocop_bench_load`, the production database) of 2,000 demo products, built afresh.
   (SQLite serialises writers: under 8 concurrent writers its busy handler's back-off makes each write wait
   hundreds of milliseconds, so the load is measured on the database a national deployment runs.)
2. gunicorn (4 workers, the repository's config) with its usual local cache.
3. wrk (16 connections, BENCH_DURATION) rotating over catalog searches, product pages, certificate
   verification (page and JSON), the statistics pages and the public API: throughput, p50/p99 latency, errors.
4. At the same time, 8 threads send 25 inquiries each through the real form (CSRF included) while wrk runs;
   afterwards the database must hold exactly one inquiry (and one first message) per accepted form: nothing
   lost, nothing written twice.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from bench.catalog import BENCH_DIR, PG_ADMIN_URL, PG_URL, ROOT, _env, _free_port, _manage, _wrk
from bench.registry import scenario

LOAD_DIR = BENCH_DIR / "load"
PRODUCTS = 2000
THREADS, PER_THREAD = 8, 25


LOAD_PG_URL = PG_URL.rsplit("/", 1)[0] + "/ocop_bench_load"


def _query(sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(LOAD_PG_URL) as conn:
        return conn.execute(sql).fetchall()


def _build() -> dict[str, str]:
    import psycopg

    shutil.rmtree(LOAD_DIR, ignore_errors=True)
    LOAD_DIR.mkdir(parents=True)
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute('DROP DATABASE IF EXISTS "ocop_bench_load" WITH (FORCE)')
        admin.execute('CREATE DATABASE "ocop_bench_load"')
    # One address sends everything here: the per-address guards (inquiry floods, API throttle) are raised.
    env = {**_env(LOAD_PG_URL), "OCOP_VAR_DIR": str(LOAD_DIR), "OCOP_INQUIRIES_PER_10_MINUTES": "100000",
           "OCOP_INQUIRIES_PER_DAY": "100000", "OCOP_API_PER_MINUTE": "1000000"}  # fmt: skip
    _manage("migrate", "-v0", env=env)
    _manage("load_reference", env=env)
    _manage("seed_demo", "--products", str(PRODUCTS), "--seed", "7", "--no-users", env=env)
    return env


def _paths() -> list[str]:
    products = _query("SELECT id, slug FROM catalog_product ORDER BY id LIMIT 40")
    codes = [r[0] for r in _query("SELECT verification_code FROM certification_certificate ORDER BY id LIMIT 20")]
    searches = ["mat ong", "gạo", "che tan cuong", "banh", "ca phe", "nuoc mam", "mien dong", "ruou"]
    return (
        [f"/san-pham/?q={urllib.parse.quote(q)}" for q in searches]
        + [f"/san-pham/{pk}-{slug}/" for pk, slug in products]
        + [f"/verify/{c}/" for c in codes[:10]]
        + [f"/verify/{c}.json" for c in codes[10:]]
        + ["/thong-ke/", "/thong-ke/tinh/ha-noi/", "/api/v1/products?limit=20", "/api/v1/statistics"]
    )


def _inquiries(base: str, product_ids: list[int], results: list[int]) -> None:
    """Send inquiries through the form as a browser would: fetch the page (CSRF cookie), post the form."""
    for i in range(PER_THREAD):
        pk = product_ids[i % len(product_ids)]
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        page = opener.open(f"{base}/giao-thuong/hoi-mua/san-pham/{pk}/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        marker = f"load-{threading.get_ident()}-{i}"
        data = urllib.parse.urlencode({
            "csrfmiddlewaretoken": token, "name": "Khách thử tải", "email": "tai@example.vn", "quantity": "10",
            "unit": "kg", "message": marker,
        }).encode()  # fmt: skip
        url = f"{base}/giao-thuong/hoi-mua/san-pham/{pk}/"  # always http://127.0.0.1
        request = urllib.request.Request(url, data=data, headers={"Referer": base})  # noqa: S310
        try:
            response = opener.open(request, timeout=30)
            results.append(response.status)
        except urllib.error.HTTPError as error:
            results.append(error.code)


@scenario("load")
def load_scenario() -> dict:
    if not shutil.which("wrk"):
        return {"skipped": "wrk is not installed (make bench installs it)"}
    started = time.monotonic()
    env = _build()
    build_s = time.monotonic() - started
    product_ids = [r[0] for r in _query("SELECT id FROM catalog_product ORDER BY id LIMIT 50")]
    port = _free_port()
    server_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "4", "OCOP_CACHE": "locmem"}
    _manage("collectstatic", "--no-input", "-v0", env=server_env)
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT,
                               env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/ping", timeout=1).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        paths = _paths()
        for path in paths:  # warm each page once (caches, imports), as a running site would be
            urllib.request.urlopen(base + path, timeout=60).read()  # noqa: S310
        statuses: list[int] = []
        threads = [threading.Thread(target=_inquiries, args=(base, product_ids, statuses)) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        mix = _wrk(base, paths)
        for thread in threads:
            thread.join()
    finally:
        process.terminate()
        process.wait(timeout=30)
    stored = _query("SELECT COUNT(*), COUNT(DISTINCT message) FROM market_inquiry")[0]
    messages = _query("SELECT COUNT(*) FROM market_inquirymessage")[0][0]
    accepted = sum(1 for s in statuses if s in (200, 302))
    result = {
        "database": "postgresql",
        "build_seconds": round(build_s, 1),
        "products": PRODUCTS,
        "mix": mix,
        "inquiries_sent": len(statuses),
        "inquiries_accepted": accepted,
        "inquiries_refused": len(statuses) - accepted,
        "inquiries_stored": stored[0],
        "inquiries_distinct": stored[1],
        "first_messages_stored": messages,
        "lost_or_duplicated": abs(stored[0] - accepted) + (stored[0] - stored[1]) + abs(messages - stored[0]),
    }
    result["markdown"] = (
        f"Load mix (wrk, 16 connections): {mix['rps']} requests/s, p99 {mix['p99_ms']} ms, {mix['errors']} errors; "
        f"inquiries under load: {accepted}/{len(statuses)} accepted, {stored[0]} stored, "
        f"{result['lost_or_duplicated']} lost or duplicated."
    )
    (ROOT / "bench" / "results" / "load.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return result
