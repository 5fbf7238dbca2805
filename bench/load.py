"""Scenario `load`: the site under gunicorn behind Debian's nginx (the shipped locations, as docs/deploy.md
serves it) on 127.0.0.1, a mix of what people do, bounded in time.

1. A PostgreSQL database (`ocop_bench_load`, the production database) of 2,000 demo products, built afresh.
   (SQLite serialises writers: under 8 concurrent writers its busy handler's back-off makes each write wait
   hundreds of milliseconds, so the load is measured on the database a national deployment runs.)
2. gunicorn (4 workers, the repository's config) with its usual local cache.
3. wrk (16 connections, BENCH_DURATION) rotating over catalog searches, product pages, certificate
   verification (page and JSON), the statistics pages and the public API: throughput, p50/p99 latency, errors.
4. At the same time, 8 threads send 25 inquiries each through the real form (CSRF included), and the 4 members
   of a province council (bench/load_setup.py) sign in and score 20 dossiers each through the score-sheet form
   (every criterion, then finalise). Afterwards the database must hold exactly one inquiry (and one first
   message) per accepted form, one final sheet per member and dossier with one score per criterion, and one
   result per dossier: nothing lost, nothing written twice.
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
from pathlib import Path

from bench.catalog import BENCH_DIR, PG_ADMIN_URL, PG_URL, ROOT, _env, _free_port, _manage, _wrk
from bench.registry import scenario, wait_until_up
from deploy.nginx import NGINX, nginx_start

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


def _setup_scoring(env: dict[str, str]) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.load_setup"], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def _open(opener, url: str, data: dict | None = None, base: str = "") -> tuple[int, str]:
    """One request as a browser makes it; the response is closed once read (gunicorn's sync workers linger up
    to 2 s for the client to close, so a client leaving connections open would stall a worker each time)."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Referer": base} if base else {})  # noqa: S310
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, ""


def _csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _score(base: str, username: str, password: str, dossiers: list[int], results: list[int]) -> None:
    """A council member signs in and finalises a sheet for each dossier: every criterion's first option."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    _status, page = _open(opener, f"{base}/tai-khoan/dang-nhap/")
    _open(opener, f"{base}/tai-khoan/dang-nhap/",
          {"csrfmiddlewaretoken": _csrf(page), "username": username, "password": password}, base)  # fmt: skip
    for pk in dossiers:
        url = f"{base}/ho-so/{pk}/phieu-cham/"
        _status, page = _open(opener, url)
        choices: dict[str, str] = {}
        for name, value in re.findall(r'type="radio" name="(c_\d+)" value="(\d+)"', page):
            choices.setdefault(name, value)
        status, _page = _open(opener, url, {"csrfmiddlewaretoken": _csrf(page), **choices, "action": "finalise"}, base)
        results.append(status)


def _inquiries(base: str, product_ids: list[int], results: list[int]) -> None:
    """Send inquiries through the form as a browser would: fetch the page (CSRF cookie), post the form."""
    for i in range(PER_THREAD):
        pk = product_ids[i % len(product_ids)]
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        # Each response is closed once read, as a browser does: gunicorn's sync workers linger up to 2 s for
        # the client to close a connection, so a client that leaves them open stalls a worker each time.
        with opener.open(f"{base}/giao-thuong/hoi-mua/san-pham/{pk}/", timeout=30) as response:
            page = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        marker = f"load-{threading.get_ident()}-{i}"
        data = urllib.parse.urlencode({
            "csrfmiddlewaretoken": token, "name": "Khách thử tải", "email": "tai@example.vn", "quantity": "10",
            "unit": "kg", "message": marker,
        }).encode()  # fmt: skip
        url = f"{base}/giao-thuong/hoi-mua/san-pham/{pk}/"  # always http://127.0.0.1
        request = urllib.request.Request(url, data=data, headers={"Referer": base})  # noqa: S310
        try:
            with opener.open(request, timeout=30) as response:
                response.read()
                results.append(response.status)
        except urllib.error.HTTPError as error:
            results.append(error.code)
            error.close()


@scenario("load")
def load_scenario() -> dict:
    if not shutil.which("wrk"):
        return {"skipped": "wrk is not installed (make bench installs it)"}
    if not shutil.which("nginx") and not Path(NGINX).exists():
        return {"skipped": "nginx is not installed (make bench installs it)"}
    started = time.monotonic()
    env = _build()
    scoring = _setup_scoring(env)
    build_s = time.monotonic() - started
    product_ids = [r[0] for r in _query("SELECT id FROM catalog_product ORDER BY id LIMIT 50")]
    port, proxy_port = _free_port(), _free_port()
    server_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "4", "OCOP_CACHE": "locmem",
                  "DJANGO_BEHIND_PROXY": "true", "OCOP_TRUSTED_PROXIES": "127.0.0.1"}  # fmt: skip
    _manage("collectstatic", "--no-input", "-v0", env=server_env)
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT,
                               env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    # Through Debian's nginx with the shipped locations, as production serves it (docs/deploy.md).
    proxy = nginx_start(BENCH_DIR / "nginx", port=proxy_port, upstream=f"127.0.0.1:{port}",
                        media_root=BENCH_DIR / "media")  # fmt: skip
    base = f"http://127.0.0.1:{proxy_port}"
    try:
        wait_until_up(base)
        paths = _paths()
        for path in paths:  # warm each page once (caches, imports), as a running site would be
            urllib.request.urlopen(base + path, timeout=60).read()  # noqa: S310
        statuses: list[int] = []
        threads = [threading.Thread(target=_inquiries, args=(base, product_ids, statuses)) for _ in range(THREADS)]
        scored: list[int] = []
        threads += [
            threading.Thread(target=_score, args=(base, member, scoring["password"], scoring["dossiers"], scored))
            for member in scoring["members"]
        ]
        for thread in threads:
            thread.start()
        mix = _wrk(base, paths)
        for thread in threads:
            thread.join()
    finally:
        for running in (proxy, process):
            running.terminate()
            running.wait(timeout=30)
    stored = _query("SELECT COUNT(*), COUNT(DISTINCT message) FROM market_inquiry")[0]
    messages = _query("SELECT COUNT(*) FROM market_inquirymessage")[0][0]
    accepted = sum(1 for s in statuses if s in (200, 302))
    dossier_ids = ",".join(str(pk) for pk in scoring["dossiers"])
    sheets, sheet_pairs = _query(
        "SELECT COUNT(*), COUNT(DISTINCT (dossier_id, member_id)) FROM evaluation_scoresheet"
        f" WHERE status = 'final' AND dossier_id IN ({dossier_ids})"
    )[0]
    scores = _query(
        "SELECT COUNT(*) FROM evaluation_sheetscore s JOIN evaluation_scoresheet h ON h.id = s.sheet_id"
        f" WHERE h.dossier_id IN ({dossier_ids})"
    )[0][0]
    results = _query(f"SELECT COUNT(*) FROM evaluation_dossierresult WHERE dossier_id IN ({dossier_ids})")[0][0]
    sheets_expected = len(scoring["members"]) * len(scoring["dossiers"])
    scoring_gaps = (
        abs(sheets - sheets_expected) + (sheets - sheet_pairs) + abs(scores - sheets_expected * scoring["leaves"])
        + abs(results - len(scoring["dossiers"])) + sum(1 for s in scored if s not in (200, 302))
    )  # fmt: skip
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
        "sheets_finalised": sheets,
        "sheets_expected": sheets_expected,
        "scores_stored": scores,
        "results_computed": results,
        "scoring_lost_or_duplicated": scoring_gaps,
    }
    result["markdown"] = (
        f"Load mix through nginx (wrk, 16 connections): {mix['rps']} requests/s, p99 {mix['p99_ms']} ms, "
        f"{mix['errors']} errors; "
        f"inquiries under load: {accepted}/{len(statuses)} accepted, {stored[0]} stored, "
        f"{result['lost_or_duplicated']} lost or duplicated; scoring under load: {sheets}/{sheets_expected} sheets "
        f"finalised, {scores} scores, {results} results, {scoring_gaps} lost or duplicated."
    )
    (ROOT / "bench" / "results" / "load.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return result
