"""The OCOP cycle through its services, on both databases: every transition and the refused ones."""

import datetime as dt
from decimal import Decimal

import pytest

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.models import Category, Product, Regime
from ocop.certification.models import Certificate
from ocop.certification.rules import certificate_status_on
from ocop.core.errors import ApplicationError
from ocop.core.models import AuditEntry
from ocop.evaluation import selectors, services
from ocop.evaluation.models import CouncilMember, Dossier, DossierEvent, ScoreSheet
from ocop.evaluation.scoring import upgrade_guidance

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 1)


def new_dossier(cycle):
    return services.dossier_create(
        evaluation_round=cycle["round"], producer=cycle["producer"], product_name="Miến dong Nguyên Bình",
        category=cycle["category"], by=cycle["owner"],
    )  # fmt: skip


def leaves(dossier):
    return list(dossier.criteria_set.criteria.filter(children__isnull=True).prefetch_related("options"))


def self_assess_all(dossier, owner, pick=-1):
    services.dossier_self_assess(
        dossier=dossier, choices={c.pk: list(c.options.all())[pick].pk for c in leaves(dossier)}, by=owner
    )


def score_all(dossier, member, pick):
    sheet = services.scoresheet_get_or_create(dossier=dossier, by=member)
    for criterion in leaves(dossier):
        options = list(criterion.options.order_by("points"))
        services.scoresheet_save(sheet=sheet, choices={criterion.pk: options[pick(criterion)].pk},
                                  by=member)  # fmt: skip
    return sheet


def to_province(cycle, commune_officer):
    dossier = new_dossier(cycle)
    self_assess_all(dossier, cycle["owner"])
    services.dossier_submit(dossier=dossier, by=cycle["owner"], today=TODAY)
    services.dossier_precheck(dossier=dossier, by=commune_officer, forward=True)
    dossier.refresh_from_db()
    return dossier


def test_the_full_cycle_from_registration_to_a_valid_certificate(cycle, commune_officer, province_officer):
    dossier = new_dossier(cycle)
    assert dossier.status == Dossier.Status.DRAFT and dossier.criteria_set == cycle["set"]
    self_assess_all(dossier, cycle["owner"])
    services.dossier_submit(dossier=dossier, by=cycle["owner"], today=TODAY)
    services.dossier_precheck(
        dossier=dossier,
        by=commune_officer,
        forward=False,
        missing=["Phiếu kết quả kiểm nghiệm", "Giấy chứng nhận cơ sở đủ điều kiện ATTP"],
    )
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.RETURNED and len(dossier.missing) == 2
    services.dossier_submit(dossier=dossier, by=cycle["owner"], today=TODAY)
    services.dossier_precheck(dossier=dossier, by=commune_officer, forward=True)
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.AT_PROVINCE
    # Three members score: best options except the first member, one step lower on C1.1 (spread 10: no discussion).
    picks = [lambda c: 1 if c.code == "C1.1" else -1, lambda c: -1, lambda c: -1]
    sheets = [score_all(dossier, member, pick) for member, pick in zip(cycle["members"], picks, strict=True)]
    for member, sheet in zip(cycle["members"], sheets, strict=True):
        services.scoresheet_finalise(sheet=sheet, by=member)
    dossier.refresh_from_db()
    result = dossier.result
    assert sorted(result.member_totals.values()) == ["100.00", "100.00", "90.00"]
    assert result.mean_total == Decimal("96.67") and result.stars == 5 and not result.needs_discussion
    assert dossier.status == Dossier.Status.SCORED
    # The province certifies at most 4★ without the central council.
    decision = services.decision_record(
        number="123/QĐ-UBND", signed_on=dt.date(2026, 7, 10), signer="Nguyễn Văn A", issuer="UBND tỉnh Cao Bằng",
        level="province", dossiers=[dossier], by=province_officer,
    )  # fmt: skip
    dossier.refresh_from_db()
    certificate = dossier.certificate
    assert dossier.status == Dossier.Status.RECOGNISED and decision.dossiers.count() == 1
    assert certificate.stars == 4 and certificate.score == Decimal("96.67")
    assert certificate.expires_on == dt.date(2029, 7, 10)
    assert certificate_status_on(certificate, dt.date(2026, 8, 1)) == Certificate.Status.VALID
    product = Product.objects.get(pk=dossier.product_id)
    assert product.name == "Miến dong Nguyên Bình" and product.stars == 4
    history = list(DossierEvent.objects.filter(dossier=dossier).values_list("to_status", flat=True))
    assert history == ["draft", "submitted", "returned", "submitted", "at_province", "scored", "recognised"]
    assert AuditEntry.objects.filter(code="evaluation.dossier.returned", object_id=str(dossier.pk)).exists()


def test_scoring_a_draft_is_refused(cycle):
    dossier = new_dossier(cycle)
    with pytest.raises(ApplicationError) as refused:
        services.scoresheet_get_or_create(dossier=dossier, by=cycle["members"][0])
    assert refused.value.code == "state"


def test_a_finalised_sheet_is_locked_and_cannot_be_finalised_twice(cycle, commune_officer):
    dossier = to_province(cycle, commune_officer)
    member = cycle["members"][0]
    sheet = score_all(dossier, member, lambda c: -1)
    services.scoresheet_finalise(sheet=sheet, by=member)
    with pytest.raises(ApplicationError) as refused:
        services.scoresheet_finalise(sheet=sheet, by=member)
    assert refused.value.code == "final"
    criterion = leaves(dossier)[0]
    with pytest.raises(ApplicationError):
        services.scoresheet_save(sheet=sheet, choices={criterion.pk: criterion.options.first().pk},
                                  by=member)  # fmt: skip


def test_an_option_of_another_criterion_or_above_the_maximum_is_refused(cycle, commune_officer):
    dossier = to_province(cycle, commune_officer)
    member = cycle["members"][1]
    sheet = services.scoresheet_get_or_create(dossier=dossier, by=member)
    first, second = leaves(dossier)[:2]
    with pytest.raises(ApplicationError) as refused:
        services.scoresheet_save(sheet=sheet, choices={first.pk: second.options.last().pk}, by=member)
    assert refused.value.code == "option"
    heading = dossier.criteria_set.criteria.get(code="A2.1")
    with pytest.raises(ApplicationError):
        services.scoresheet_save(sheet=sheet, choices={heading.pk: leaves(dossier)[2].options.first().pk}, by=member)


def test_a_member_cannot_score_another_members_sheet_and_outsiders_cannot_score(
    cycle, commune_officer, central_officer
):
    dossier = to_province(cycle, commune_officer)
    sheet = services.scoresheet_get_or_create(dossier=dossier, by=cycle["members"][0])
    criterion = leaves(dossier)[0]
    with pytest.raises(ApplicationError) as refused:
        services.scoresheet_save(sheet=sheet, choices={criterion.pk: criterion.options.first().pk},
                                  by=cycle["members"][1])  # fmt: skip
    assert refused.value.code == "forbidden"
    with pytest.raises(ApplicationError):
        services.scoresheet_get_or_create(dossier=dossier, by=central_officer)  # not on this council


def test_two_members_scoring_at_once_never_overwrite_each_other(cycle, commune_officer):
    dossier = to_province(cycle, commune_officer)
    a, b = cycle["members"][:2]
    sheet_a = services.scoresheet_get_or_create(dossier=dossier, by=a)
    sheet_b = services.scoresheet_get_or_create(dossier=dossier, by=b)
    criterion = leaves(dossier)[0]
    low, high = criterion.options.order_by("points")[0], criterion.options.order_by("points").last()
    services.scoresheet_save(sheet=sheet_a, choices={criterion.pk: high.pk}, by=a)
    services.scoresheet_save(sheet=sheet_b, choices={criterion.pk: low.pk}, by=b)
    assert sheet_a.scores.get().points == high.points and sheet_b.scores.get().points == low.points


def test_members_more_than_ten_points_apart_are_flagged_and_the_chair_reopens(cycle, commune_officer):
    dossier = to_province(cycle, commune_officer)
    picks = [lambda c: 0, lambda c: -1, lambda c: -1]
    sheets = [score_all(dossier, m, p) for m, p in zip(cycle["members"], picks, strict=True)]
    for member, sheet in zip(cycle["members"], sheets, strict=True):
        services.scoresheet_finalise(sheet=sheet, by=member)
    dossier.refresh_from_db()
    assert dossier.result.needs_discussion and dossier.status == Dossier.Status.AT_PROVINCE
    assert dossier.result.disputed_criteria
    with pytest.raises(ApplicationError):
        services.scoresheets_reopen(dossier=dossier, by=cycle["members"][1], reason="Thảo luận")  # not the chair
    assert services.scoresheets_reopen(dossier=dossier, by=cycle["members"][0], reason="Thảo luận lại") == 3
    assert set(ScoreSheet.objects.filter(dossier=dossier).values_list("status", flat=True)) == {"draft"}


def test_an_officer_outside_the_province_or_commune_is_refused(cycle, commune_officer, other_commune, ha_noi):
    dossier = new_dossier(cycle)
    self_assess_all(dossier, cycle["owner"])
    services.dossier_submit(dossier=dossier, by=cycle["owner"], today=TODAY)
    stranger = UserFactory(username="xa2", role=User.Role.COMMUNE_OFFICER, commune=other_commune,
                           province=other_commune.province)  # fmt: skip
    with pytest.raises(ApplicationError):
        services.dossier_precheck(dossier=dossier, by=stranger, forward=True)
    far = UserFactory(username="hn", role=User.Role.PROVINCE_OFFICER, province=ha_noi)
    with pytest.raises(ApplicationError):
        services.round_open(
            province=cycle["round"].province,
            year=2026,
            number=2,
            opens_on=TODAY,
            submission_deadline=TODAY,
            scoring_deadline=TODAY,
            regime=Regime.D1489_2025,
            by=far,
        )


def test_producers_cannot_submit_without_a_self_assessment_or_after_the_deadline(cycle):
    dossier = new_dossier(cycle)
    with pytest.raises(ApplicationError) as refused:
        services.dossier_submit(dossier=dossier, by=cycle["owner"], today=TODAY)
    assert refused.value.code == "self_assessment"
    self_assess_all(dossier, cycle["owner"])
    with pytest.raises(ApplicationError) as refused:
        services.dossier_submit(dossier=dossier, by=cycle["owner"], today=dt.date(2026, 5, 2))
    assert refused.value.code == "deadline"
    other = UserFactory(username="la", role=User.Role.PRODUCER)
    with pytest.raises(ApplicationError):
        services.dossier_submit(dossier=dossier, by=other, today=TODAY)


def test_an_upgrade_starts_from_a_copy_of_the_last_dossier(cycle, commune_officer):
    first = new_dossier(cycle)
    self_assess_all(first, cycle["owner"], pick=0)
    upgrade = services.dossier_create(evaluation_round=cycle["round"], producer=cycle["producer"], product_name="",
                                      category=cycle["category"], by=cycle["owner"], kind=Dossier.Kind.UPGRADE,
                                      previous=first)  # fmt: skip
    assert upgrade.product_name == first.product_name and upgrade.self_assessment.count() == len(leaves(first))


def test_upgrade_guidance_on_a_scored_dossier_reaches_the_next_band(cycle, commune_officer):
    dossier = to_province(cycle, commune_officer)
    for member in cycle["members"]:
        sheet = score_all(dossier, member, lambda c: 1)  # middle options: 5+5+5+10+5+5+10+8 = 53 → 3★
        services.scoresheet_finalise(sheet=sheet, by=member)
    dossier.refresh_from_db()
    assert dossier.result.stars == 3
    criteria = selectors.criteria_info(dossier)
    current = {c.id: Decimal(sorted(c.options)[1]) for c in criteria}
    stars, steps = upgrade_guidance(criteria, current, dossier.result.mean_total)
    assert stars == 4 and steps
    assert dossier.result.mean_total + sum(s.gain for s in steps) >= 70


def test_a_group_without_a_complete_criteria_set_cannot_be_registered(cycle):
    other = Category.objects.get(regime=Regime.D148_2023, code="II.1.a")
    with pytest.raises(ApplicationError) as refused:
        services.dossier_create(evaluation_round=cycle["round"], producer=cycle["producer"], product_name="Rượu",
                                category=other, by=cycle["owner"])  # fmt: skip
    assert refused.value.code == "no_criteria"


def test_council_needs_exactly_one_chair(cycle, province_officer):
    with pytest.raises(ApplicationError):
        services.council_create(
            evaluation_round=cycle["round"],
            level="central",
            name="x",
            members=[(cycle["members"][0], CouncilMember.Role.MEMBER)],
            by=province_officer,
        )


def test_a_product_scoring_90_goes_to_the_central_council_and_gets_5_stars(
    cycle, commune_officer, province_officer, central_officer, client
):
    from django.urls import reverse

    dossier = to_province(cycle, commune_officer)
    for member in cycle["members"]:
        services.scoresheet_finalise(sheet=score_all(dossier, member, lambda c: -1), by=member)
    dossier.refresh_from_db()
    with pytest.raises(ApplicationError):
        services.dossier_propose_central(dossier=dossier, by=cycle["members"][0])  # a member does not propose
    services.dossier_propose_central(dossier=dossier, by=province_officer)
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.AT_CENTRAL
    national = [UserFactory(username=f"tw{i}", role=User.Role.CENTRAL_OFFICER) for i in range(3)]
    client.force_login(central_officer)
    url = reverse("evaluation:council-create", args=[cycle["round"].pk]) + "?level=central"
    client.post(url, {"name": "Hội đồng Trung ương", "chair": national[0].pk,
                      "members": [national[1].pk, national[2].pk]})  # fmt: skip
    with pytest.raises(ApplicationError):  # the province council no longer scores it
        services.scoresheet_get_or_create(dossier=dossier, by=cycle["members"][0])
    for member in national:
        services.scoresheet_finalise(sheet=score_all(dossier, member, lambda c: -1), by=member)
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SCORED and dossier.result.stars == 5
    with pytest.raises(ApplicationError):
        services.decision_record(number="1/QĐ-BNNMT", signed_on=dt.date(2026, 9, 1), signer="Bộ trưởng",
                                 issuer="Bộ Nông nghiệp và Môi trường", level="central", dossiers=[dossier],
                                 by=province_officer)  # fmt: skip
    services.decision_record(number="1/QĐ-BNNMT", signed_on=dt.date(2026, 9, 1), signer="Bộ trưởng",
                             issuer="Bộ Nông nghiệp và Môi trường", level="central", dossiers=[dossier],
                             by=central_officer)  # fmt: skip
    dossier.refresh_from_db()
    assert dossier.certificate.stars == 5 and dossier.certificate.level == Certificate.Level.CENTRAL


def test_a_refused_choice_on_the_score_sheet_saves_none_of_the_others(cycle, commune_officer):
    from ocop.evaluation.models import CriterionOption, SheetScore

    dossier = to_province(cycle, commune_officer)
    member = cycle["members"][1]
    sheet = services.scoresheet_get_or_create(dossier=dossier, by=member)
    criteria = list(cycle["set"].criteria.filter(children__isnull=True).order_by("code"))
    choices = {c.pk: c.options.order_by("-points").first().pk for c in criteria}
    foreign = CriterionOption.objects.exclude(criterion=criteria[0]).first()
    choices[criteria[0].pk] = foreign.pk  # an option of another criterion: refused
    with pytest.raises(ApplicationError):
        services.scoresheet_save(sheet=sheet, choices=choices, by=member)
    assert not SheetScore.objects.filter(sheet=sheet).exists()
    choices[criteria[0].pk] = criteria[0].options.first().pk
    services.scoresheet_save(sheet=sheet, choices=choices, by=member)
    assert SheetScore.objects.filter(sheet=sheet).count() == len(criteria)
