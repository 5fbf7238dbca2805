"""Scenario `load`, in its database: a province round in front of its council, for the scoring traffic.

Run by bench/load.py (DATABASE_URL picks the database); prints one JSON line: the members' usernames, their
password and the dossiers they score.
"""

from __future__ import annotations

import datetime as dt
import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

MEMBERS = 4
DOSSIERS = 20
PASSWORD = "bench-council-password-2026"  # noqa: S105 (a throw-away benchmark database)


def main() -> None:
    import django

    django.setup()
    from django.db import transaction

    from ocop.accounts.models import User
    from ocop.catalog.models import Category, Regime
    from ocop.evaluation.models import Council, CouncilMember, Dossier, EvaluationRound
    from ocop.evaluation.tests.helpers import complete_test_set
    from ocop.producers.models import Producer

    with transaction.atomic():
        criteria_set = complete_test_set()
        producer = Producer.objects.order_by("pk").first()
        province = producer.province
        evaluation_round = EvaluationRound.objects.create(
            province=province, year=2026, number=9, opens_on=dt.date(2026, 2, 1),
            submission_deadline=dt.date(2026, 5, 31), scoring_deadline=dt.date(2026, 12, 31),
            regime=Regime.D1489_2025,
        )  # fmt: skip
        council = Council.objects.create(round=evaluation_round, name=f"Hội đồng thử tải {province.name}")
        usernames = []
        for i in range(MEMBERS):
            user = User(username=f"bench-council-{i}", role=User.Role.COUNCIL_MEMBER, province=province)
            user.set_password(PASSWORD)
            user.save()
            CouncilMember.objects.create(council=council, user=user, role="chair" if i == 0 else "member")
            usernames.append(user.username)
        category = Category.objects.get(regime=Regime.D148_2023, code="I.1.a")
        dossiers = [
            Dossier.objects.create(
                round=evaluation_round,
                producer=producer,
                kind="new",
                status=Dossier.Status.AT_PROVINCE,
                regime=evaluation_round.regime,
                product_name=f"Sản phẩm chấm thử {n}",
                category=category,
                criteria_set=criteria_set,
                province_id=province.pk,
                commune_id=producer.commune_id,
                submitted_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
            )
            for n in range(DOSSIERS)
        ]
    leaves = criteria_set.criteria.filter(children__isnull=True).count()
    print(json.dumps({"members": usernames, "password": PASSWORD, "dossiers": [d.pk for d in dossiers],
                      "leaves": leaves}))  # fmt: skip


if __name__ == "__main__":
    main()
