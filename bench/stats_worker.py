"""Scenario `stats`, in one database: adds the evaluation history (1,000,000 score rows) if missing, then
times the dashboard selectors, uncached and cached, next to a COUNT(*) over the products table.

Run by bench/stats.py once per database (DATABASE_URL picks it); prints one JSON line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

SCORE_ROWS = int(os.environ.get("BENCH_SCORE_ROWS", "1000000"))
MEMBERS = 3
REPEAT = int(os.environ.get("BENCH_STATS_REPEAT", "20"))


def ensure_scores() -> float:
    """Rounds 2023–2026 in every province, dossiers with three members' sheets, one score per criterion,
    until SCORE_ROWS score rows exist; returns the seconds spent (0 when already there)."""
    import time

    from django.db import connection, transaction
    from factory.random import randgen, reseed_random

    from ocop.accounts.models import User
    from ocop.catalog.models import Category, Regime
    from ocop.core.bulk import bulk_insert
    from ocop.evaluation.models import (
        Council,
        CouncilMember,
        Criterion,
        Dossier,
        EvaluationRound,
        ScoreSheet,
        SheetScore,
    )
    from ocop.evaluation.tests.helpers import complete_test_set
    from ocop.geo.models import Province
    from ocop.producers.models import Producer

    if SheetScore.objects.count() >= SCORE_ROWS:
        return 0.0
    started = time.monotonic()
    reseed_random(7)
    criteria_set = complete_test_set()
    criteria = list(
        Criterion.objects.filter(criteria_set=criteria_set, children__isnull=True).prefetch_related("options")
    )
    per_dossier = len(criteria) * MEMBERS
    dossiers_needed = -(-SCORE_ROWS // per_dossier)
    category = Category.objects.get(regime=Regime.D148_2023, code="I.1.a")
    provinces = list(Province.objects.order_by("code"))
    producers_by_province: dict[int, list] = {}
    for pk, province_id, commune_id in Producer.objects.order_by("pk").values_list("pk", "province_id", "commune_id"):
        producers_by_province.setdefault(province_id, []).append((pk, commune_id))
    kinds = ["new"] * 78 + ["upgrade"] * 5 + ["reevaluation"] * 17
    statuses = ["recognised"] * 80 + ["not_recognised"] * 12 + ["scored"] * 8
    with transaction.atomic():
        members: dict[int, list[CouncilMember]] = {}
        rounds: list[tuple[EvaluationRound, int]] = []
        for province in provinces:
            users = [
                User.objects.create(
                    username=f"bench-hd-{province.code}-{i}", role=User.Role.COUNCIL_MEMBER, province=province
                )
                for i in range(MEMBERS)
            ]
            for year in (2023, 2024, 2025, 2026):
                evaluation_round = EvaluationRound.objects.create(
                    province=province, year=year, number=1, opens_on=dt.date(year, 2, 1),
                    submission_deadline=dt.date(year, 5, 31), scoring_deadline=dt.date(year, 8, 31),
                    regime=Regime.D148_2023 if year < 2025 else Regime.D1489_2025,
                )  # fmt: skip
                council = Council.objects.create(round=evaluation_round, name=f"Hội đồng {province.name} {year}")
                members[evaluation_round.pk] = [
                    CouncilMember.objects.create(council=council, user=user, role="chair" if i == 0 else "member")
                    for i, user in enumerate(users)
                ]
                rounds.append((evaluation_round, province.pk))
        made = 0
        while made < dossiers_needed:
            batch = []
            for _ in range(min(2000, dossiers_needed - made)):
                evaluation_round, province_id = randgen.choice(rounds)
                producer_id, commune_id = randgen.choice(producers_by_province.get(province_id) or [(None, None)])
                if producer_id is None:
                    continue
                batch.append(
                    Dossier(
                        round=evaluation_round,
                        producer_id=producer_id,
                        kind=randgen.choice(kinds),
                        status=randgen.choice(statuses),
                        regime=evaluation_round.regime,
                        product_name=f"Sản phẩm hồ sơ {made + len(batch)}",
                        category=category,
                        criteria_set=criteria_set,
                        province_id=province_id,
                        commune_id=commune_id,
                        submitted_at=dt.datetime(evaluation_round.year, 4, 1, tzinfo=dt.UTC),
                    )
                )
            bulk_insert(batch, batch_size=1000)
            sheets = [
                ScoreSheet(dossier=dossier, member=member, status="final")
                for dossier in batch
                for member in members[dossier.round_id]
            ]
            bulk_insert(sheets, batch_size=1000)
            scores = []
            for sheet in sheets:
                for criterion in criteria:
                    option = randgen.choice(list(criterion.options.all()))
                    scores.append(SheetScore(sheet=sheet, criterion=criterion, option=option, points=option.points))
            bulk_insert(scores, batch_size=1000)
            made += len(batch)
    if connection.vendor == "postgresql":  # after a bulk load, as the importer and docs/deploy.md do
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return time.monotonic() - started


def main() -> None:
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection

    from bench.registry import summary_ms, timed
    from ocop.dashboards.selectors import (
        certificates_stats_by_year,
        certificates_stats_lapsed,
        certified_stats,
        channel_stats,
        dashboard_stats,
        plan_stats,
        registration_stats,
    )
    from ocop.evaluation.models import SheetScore
    from ocop.geo.models import Province
    from ocop.geo.scope import Scope

    build = ensure_scores()
    on = dt.date.today()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM producers_producer")
        producers = cursor.fetchone()[0]

    def count_star() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM catalog_product")
            cursor.fetchone()

    largest = Province.objects.get(code="01")  # Hà Nội, about 15% of all products
    median = Province.objects.get(code="04")
    scopes = {"nation": Scope.nation(), "province_largest": Scope.of(largest), "province_typical": Scope.of(median)}
    results: dict = {
        "build_seconds": round(build, 1),
        "score_rows": SheetScore.objects.count(),
        "producers": producers,
        "baseline_count_star": summary_ms(timed(count_star, REPEAT)),
    }
    for _ in range(2):  # warm the database's own caches, as a serving process would be
        dashboard_stats(scope=scopes["nation"], on=on, use_cache=False)
    for name, scope in scopes.items():
        parts = {
            "certified": lambda s=scope: certified_stats(scope=s, on=on),
            "by_year": lambda s=scope: certificates_stats_by_year(scope=s, on=on),
            "lapsed": lambda s=scope: certificates_stats_lapsed(scope=s, on=on, year=on.year),
            "channels": lambda s=scope: channel_stats(scope=s, on=on),
            "registrations": lambda s=scope: registration_stats(scope=s, year=on.year),
            "plans": lambda s=scope: plan_stats(scope=s, on=on),
        }
        entry = {part: summary_ms(timed(fn, REPEAT)) for part, fn in parts.items()}
        entry["dashboard_uncached"] = summary_ms(
            timed(lambda s=scope: dashboard_stats(scope=s, on=on, use_cache=False), REPEAT)
        )
        cache.clear()
        dashboard_stats(scope=scope, on=on)
        entry["dashboard_cached"] = summary_ms(timed(lambda s=scope: dashboard_stats(scope=s, on=on), REPEAT))
        base = results["baseline_count_star"]["p50_ms"]
        entry["uncached_p95_vs_count_star"] = round(entry["dashboard_uncached"]["p95_ms"] / base, 2)
        results[name] = entry
    print(json.dumps(results))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
