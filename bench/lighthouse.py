"""Scenario `lighthouse`: npm's Lighthouse drives Debian's Chromium (mobile emulation, its default throttling)
over six page kinds of the demo site with its drawn pictures — home, search results, product, producer,
statistics, verification — served as production serves them: gunicorn with DEBUG off behind Debian's nginx
and the shipped locations (docs/deploy.md). Scores (0–100) per category go to bench/results/lighthouse.json;
the targets are performance, accessibility and best practices ≥ 95, and SEO ≥ 95 on the indexed pages (all six)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.catalog import BENCH_DIR, ROOT, _env, _free_port, _manage
from bench.registry import scenario, wait_until_up
from deploy.nginx import NGINX, nginx_start

SITE_DIR = BENCH_DIR / "lighthouse"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# Search results for a query and a certificate's verification page tell robots not to index them (noindex): the
# SEO target is for the pages meant to be found.
NOT_INDEXED = {"search", "verification"}
TARGET = 95


def _build() -> dict[str, str]:
    shutil.rmtree(SITE_DIR, ignore_errors=True)
    SITE_DIR.mkdir(parents=True)
    env = {**_env(), "OCOP_VAR_DIR": str(SITE_DIR), "OCOP_CACHE": "file"}
    _manage("migrate", "-v0", env=env)
    _manage("load_reference", env=env)
    _manage("seed_demo", "--products", "300", "--seed", "1", env=env)  # every product gets a drawn photo
    _manage("collectstatic", "--no-input", "-v0", env=env)
    return env


def _pages() -> dict[str, str]:
    with sqlite3.connect(SITE_DIR / "ocop.sqlite3") as db:
        product = db.execute(
            "SELECT p.id, p.slug, p.producer_id FROM catalog_product p WHERE p.cover IS NOT NULL AND p.cover != '' "
            "AND p.certificate_status = 'valid' ORDER BY p.id LIMIT 1"
        ).fetchone()
        producer = db.execute("SELECT id, slug FROM producers_producer WHERE id = ?", (product[2],)).fetchone()
        code = db.execute(
            "SELECT verification_code FROM certification_certificate WHERE product_id = ? ORDER BY id DESC",
            (product[0],),
        ).fetchone()[0]
    return {
        "home": "/",
        "search": "/san-pham/?q=" + urllib.parse.quote("mat ong"),
        "product": f"/san-pham/{product[0]}-{product[1]}/",
        "producer": f"/chu-the/{producer[0]}-{producer[1]}/",
        "statistics": "/thong-ke/",
        "verification": f"/verify/{code}/",
    }


RUNS = 3  # Lighthouse's own advice: the median of several runs, since one run varies by a few points


def _run(url: str, report: Path) -> dict[str, int]:
    for attempt in range(3):  # a trace is sometimes lost on a busy machine (NO_NAVSTART): run it again
        done = subprocess.run(
            [str(LIGHTHOUSE), url, f"--chrome-path={CHROMIUM}", f"--chrome-flags={CHROME_FLAGS}",
             f"--only-categories={','.join(CATEGORIES)}", "--output=json", f"--output-path={report}", "--quiet"],
            cwd=ROOT, timeout=300, check=False,
        )  # fmt: skip
        if done.returncode == 0:
            data = json.loads(report.read_text())
            return {name: round((data["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}
        time.sleep(2 + attempt)
    raise RuntimeError(f"Lighthouse failed three times on {url}")


def _lighthouse(url: str, report: Path) -> dict[str, int]:
    runs = [_run(url, report) for _ in range(RUNS)]
    return {name: int(statistics.median(run[name] for run in runs)) for name in CATEGORIES}


@scenario("lighthouse")
def lighthouse_scenario() -> dict:
    if not LIGHTHOUSE.exists():
        return {"skipped": "npm's lighthouse is not installed (make assets installs it)"}
    if not Path(CHROMIUM).exists():
        return {"skipped": "Chromium is not installed (make bench installs it)"}
    env = _build()
    pages = _pages()
    port, proxy_port = _free_port(), _free_port()
    server_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2", "DJANGO_BEHIND_PROXY": "true",
                  "OCOP_TRUSTED_PROXIES": "127.0.0.1"}  # fmt: skip
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT,
                               env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    proxy = nginx_start(SITE_DIR / "nginx", port=proxy_port, upstream=f"127.0.0.1:{port}",
                        media_root=SITE_DIR / "media")  # fmt: skip
    base = f"http://127.0.0.1:{proxy_port}"
    scores: dict[str, dict[str, int]] = {}
    try:
        wait_until_up(base)
        for path in pages.values():  # warm caches once, as a running site is
            urllib.request.urlopen(base + path, timeout=60).read()  # noqa: S310
        for name, path in pages.items():
            scores[name] = _lighthouse(base + path, SITE_DIR / f"{name}.report.json")
    finally:
        for running in (proxy, process):
            running.terminate()
            running.wait(timeout=30)
    below = [f"{page} {category} {score}" for page, found in scores.items() for category, score in found.items()
             if score < TARGET and not (category == "seo" and page in NOT_INDEXED)]  # fmt: skip
    rows = "\n".join(
        f"| {page} | " + " | ".join(str(found[c]) for c in CATEGORIES) + " |" for page, found in scores.items()
    )
    return {
        "pages": pages, "scores": scores, "target": TARGET, "below_target": below, "nginx": NGINX,
        "not_indexed": sorted(NOT_INDEXED), "runs_per_page": RUNS,
        "markdown": "| page | " + " | ".join(CATEGORIES) + " |\n|---|---|---|---|---|\n" + rows
        + f"\n\nNot indexed by design (SEO not targeted): {', '.join(sorted(NOT_INDEXED))}."
        + ("\nBelow target: " + ", ".join(below) if below else "\nEvery page meets every target."),
    }  # fmt: skip
