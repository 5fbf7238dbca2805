"""Shared fixtures of the evaluation tests: a province round with a complete criteria set and a council."""

import datetime as dt

import pytest

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.models import Category, Regime
from ocop.evaluation import services
from ocop.evaluation.tests.helpers import complete_test_set
from ocop.producers.models import ProducerMembership
from ocop.producers.tests.factories import ProducerFactory


@pytest.fixture
def cycle(cao_bang, commune, commune_officer, province_officer):
    criteria_set = complete_test_set()
    producer = ProducerFactory(commune=commune, province=cao_bang, name="Hợp tác xã Miến dong Nguyên Bình")
    owner = UserFactory(username="htx", role=User.Role.PRODUCER)
    ProducerMembership.objects.create(user=owner, producer=producer)
    evaluation_round = services.round_open(
        province=cao_bang, year=2026, number=1, opens_on=dt.date(2026, 1, 5), submission_deadline=dt.date(2026, 4, 30),
        scoring_deadline=dt.date(2026, 6, 30), regime=Regime.D1489_2025, by=province_officer,
    )  # fmt: skip
    members = [UserFactory(username=f"hd{i}", role=User.Role.COUNCIL_MEMBER, province=cao_bang) for i in range(3)]
    council = services.council_create(
        evaluation_round=evaluation_round, level="province", name="Hội đồng OCOP tỉnh Cao Bằng",
        members=[(members[0], "chair"), (members[1], "member"), (members[2], "member")], by=province_officer,
    )  # fmt: skip
    category = Category.objects.get(regime=Regime.D148_2023, code="I.1.a")
    return {"set": criteria_set, "producer": producer, "owner": owner, "round": evaluation_round,
            "members": members, "council": council, "category": category}  # fmt: skip
