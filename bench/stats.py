"""Scenario `stats`: the dashboards' selectors at 200,000 products, 120,000 producers and 1,000,000 score
rows, on SQLite and PostgreSQL, uncached and cached, with a COUNT(*) over the products table as baseline.

Targets (issue "Statistics and reports"): national dashboard p95 under 150 ms on PostgreSQL and under
400 ms on SQLite, with or without a cache; a province's under 50 ms.
"""

from __future__ import annotations

import json
import subprocess
import sys

from bench.catalog import PG_URL, ROOT, _env, ensure_postgres, ensure_sqlite
from bench.registry import scenario

TARGETS_MS = {
    "sqlite": {"nation": 400, "province_largest": 50, "province_typical": 50},
    "postgresql": {"nation": 150, "province_largest": 50, "province_typical": 50},
}


def _worker(database_url: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.stats_worker"], cwd=ROOT, env=_env(database_url),
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


@scenario("stats")
def stats_scenario() -> dict:
    build = {"sqlite_s": round(ensure_sqlite(), 1), "postgresql_s": round(ensure_postgres(), 1)}
    results: dict = {"build_seconds": build, "databases": {}}
    for name, url in (("sqlite", ""), ("postgresql", PG_URL)):
        results["databases"][name] = _worker(url)
    results["markdown"] = _markdown(results)
    (ROOT / "bench" / "results" / "stats.md").write_text(results["markdown"] + "\n")
    return results


def _markdown(results: dict) -> str:
    lines = [
        "Dashboard selectors (all figures of one dashboard: certified products by stars/area/group/type and "
        "producers, certificates per year, the year's issued/expired/revoked, registrations, plan targets, "
        "sales channels, sale points and fairs), p95 over 20 runs, in ms.",
        "",
        "| database | scope | COUNT(*) p50 | uncached p95 | target | ratio to COUNT(*) | cached p95 "
        "| certified | by year | lapsed | channels |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for db, data in results["databases"].items():
        base = data["baseline_count_star"]["p50_ms"]
        for scope in ("nation", "province_largest", "province_typical"):
            e = data[scope]
            lines.append(
                f"| {db} | {scope} | {base} | {e['dashboard_uncached']['p95_ms']} | {TARGETS_MS[db][scope]} "
                f"| {e['uncached_p95_vs_count_star']} | {e['dashboard_cached']['p95_ms']} "
                f"| {e['certified']['p95_ms']} | {e['by_year']['p95_ms']} | {e['lapsed']['p95_ms']} "
                f"| {e['channels']['p95_ms']} |"
            )
        lines.append("")
        lines.append(f"{db}: {data['producers']:,} producers, {data['score_rows']:,} score rows.")
    return "\n".join(lines)
