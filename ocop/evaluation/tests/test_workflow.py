"""The dossier workflow: one table of moves, and what each role may do in each state (every state × role)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.core.errors import ApplicationError
from ocop.evaluation import services, workflow
from ocop.evaluation.models import Dossier, DossierResult

pytestmark = pytest.mark.django_db
S = Dossier.Status

ROLES = ["owner", "other_producer", "commune_officer", "other_commune_officer", "province_officer",
         "other_province_officer", "chair", "member", "central_officer", "buyer", "visitor"]  # fmt: skip

# What each role may do in each state, written out by hand from the procedure (Decision 1489/QĐ-TTg):
# (state, result) → {role: actions}; a role not named may do nothing. "90+" is a scored dossier of 5★ points,
# "flagged" one whose members' totals differ by more than 10 points.
EXPECTED: dict[tuple[str, str | None], dict[str, set[str]]] = {
    (S.DRAFT, None): {"owner": {"self_assess", "add_evidence", "submit"}},
    (S.RETURNED, None): {"owner": {"self_assess", "add_evidence", "submit"}},
    (S.SUBMITTED, None): {"commune_officer": {"precheck"}},
    (S.AT_PROVINCE, None): {"chair": {"score"}, "member": {"score"}},
    (S.AT_PROVINCE, "flagged"): {"chair": {"score", "reopen"}, "member": {"score"}},
    (S.SCORED, "4★"): {"province_officer": {"decide"}, "central_officer": {"decide"}},
    (S.SCORED, "90+"): {
        "province_officer": {"decide", "propose_central"},
        "central_officer": {"decide", "propose_central"},
    },
    (S.AT_CENTRAL, None): {"chair": {"score"}, "member": {"score"}},
    (S.RECOGNISED, "4★"): {},
    (S.NOT_RECOGNISED, "4★"): {},
}


@pytest.fixture
def people(cycle, commune_officer, other_commune, province_officer, central_officer, buyer, ha_noi):
    from ocop.producers.models import ProducerMembership
    from ocop.producers.tests.factories import ProducerFactory

    stranger = UserFactory(username="stranger", role=User.Role.PRODUCER)
    ProducerMembership.objects.create(user=stranger, producer=ProducerFactory(commune=other_commune))
    from django.contrib.auth.models import AnonymousUser

    return {
        "owner": cycle["owner"],
        "other_producer": stranger,
        "commune_officer": commune_officer,
        "other_commune_officer": UserFactory(
            username="xa2", role=User.Role.COMMUNE_OFFICER, commune=other_commune, province=other_commune.province
        ),
        "province_officer": province_officer,
        "other_province_officer": UserFactory(username="hn", role=User.Role.PROVINCE_OFFICER, province=ha_noi),
        "chair": cycle["members"][0],
        "member": cycle["members"][1],
        "central_officer": central_officer,
        "buyer": buyer,
        "visitor": AnonymousUser(),
    }


def _result(kind: str | None, dossier: Dossier) -> DossierResult | None:
    if kind is None:
        return None
    stars = 5 if kind == "90+" else 4
    total = Decimal("92") if kind == "90+" else Decimal("75")
    spread = Decimal("12") if kind == "flagged" else Decimal(0)
    return DossierResult(
        dossier=dossier, mean_total=total, stars=stars, band_stars=stars, needs_discussion=kind == "flagged",
        spread=spread,
    )  # fmt: skip


def test_every_state_and_role_is_covered_by_the_table():
    assert {state for state, _result in EXPECTED} == set(S.values)


@pytest.mark.parametrize(("state", "result"), list(EXPECTED))
def test_what_each_role_may_do_in_each_state(cycle, people, state, result):
    dossier = services.dossier_create(
        evaluation_round=cycle["round"], producer=cycle["producer"], product_name="Miến dong",
        category=cycle["category"], by=cycle["owner"],
    )  # fmt: skip
    dossier.status = state  # in memory: the rule reads the state, not how it was reached
    stored = _result(result, dossier)
    if stored is not None:
        dossier.result = stored
    got = {role: set(workflow.available_actions(dossier, people[role])) for role in ROLES}
    expected = {role: EXPECTED[(state, result)].get(role, set()) for role in ROLES}
    assert got == expected


def test_services_refuse_a_move_the_table_does_not_have(cycle):
    dossier = services.dossier_create(
        evaluation_round=cycle["round"], producer=cycle["producer"], product_name="Miến dong",
        category=cycle["category"], by=cycle["owner"],
    )  # fmt: skip
    with pytest.raises(ApplicationError) as refused:
        workflow.transition_check(dossier, S.RECOGNISED)
    assert refused.value.code == "state"
    assert workflow.transition_check(dossier, S.SUBMITTED) == "submit"
    assert all(source != S.RECOGNISED and source != S.NOT_RECOGNISED for source, _to in workflow.TRANSITIONS)
