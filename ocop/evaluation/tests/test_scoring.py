from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ocop.evaluation.scoring import CriterionInfo, council_result, star_band, upgrade_guidance

CRITERIA = [
    CriterionInfo(1, "A1", "Nguyên liệu", "A", Decimal(40), (Decimal(0), Decimal(20), Decimal(40))),
    CriterionInfo(2, "B1", "Tiếp thị", "B", Decimal(25), (Decimal(0), Decimal(10), Decimal(25))),
    CriterionInfo(3, "C1", "Chất lượng", "C", Decimal(35), (Decimal(0), Decimal(15), Decimal(35))),
]


def test_star_bands_are_half_open():
    scores = ("0", "29.99", "30", "49.99", "50", "69.71", "69.99", "70", "89.99", "90", "100")
    assert [star_band(v) for v in scores] == [1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5]


points = st.decimals(min_value=0, max_value=40, places=2)
sheet = st.fixed_dictionaries({1: points, 2: points.map(lambda d: min(d, Decimal(25))), 3: points})


@given(st.dictionaries(st.text(min_size=1, max_size=4), sheet, min_size=1, max_size=9))
def test_the_result_is_the_mean_of_totals_in_its_band_and_never_above_100(sheets):
    result = council_result(CRITERIA, sheets)
    totals = [min(Decimal(100), sum(s.values(), Decimal(0))) for s in sheets.values()]
    assert all(total <= 100 for total in result.member_totals.values())
    assert abs(result.mean_total - sum(totals) / len(totals)) <= Decimal("0.005")
    assert result.mean_total <= 100
    assert result.band_stars == star_band(result.mean_total)
    assert result.needs_discussion == (max(totals) - min(totals) > 10)


def test_members_far_apart_flag_the_dossier_and_the_criterion_they_disagree_on():
    sheets = {
        "a": {1: Decimal(40), 2: Decimal(10), 3: Decimal(15)},
        "b": {1: Decimal(20), 2: Decimal(10), 3: Decimal(15)},
    }
    result = council_result(CRITERIA, sheets)
    assert result.mean_total == Decimal("55.00") and result.stars == 3
    assert result.needs_discussion and result.disputed_criteria == ["A1"]
    assert result.part_means == {"A": Decimal("30.00"), "B": Decimal("10.00"), "C": Decimal("15.00")}


def test_a_failed_mandatory_condition_caps_the_stars():
    guarded = [*CRITERIA[:2], CriterionInfo(3, "C1", "Chất lượng", "C", Decimal(35),
                                             (Decimal(0), Decimal(15), Decimal(35)), Decimal(20), 4)]  # fmt: skip
    result = council_result(guarded, {"a": {1: Decimal(40), 2: Decimal(25), 3: Decimal(15)}})
    assert result.band_stars == 4 and result.stars == 3 and result.failed_conditions == ["C1"]


def test_upgrade_guidance_asks_for_the_fewest_criteria_and_no_more_than_needed():
    current = {1: Decimal(20), 2: Decimal(10), 3: Decimal(15)}  # 45 points: 2★
    stars, steps = upgrade_guidance(CRITERIA, current, Decimal(45))
    assert stars == 3
    # One criterion suffices (A1 → 40 gives +20 ≥ 5); the smallest sufficient option of the biggest mover.
    assert len(steps) == 1
    assert sum(s.gain for s in steps) >= 5


@given(st.fixed_dictionaries({1: st.sampled_from([0, 20, 40]), 2: st.sampled_from([0, 10, 25]),
                              3: st.sampled_from([0, 15, 35])}))  # fmt: skip
def test_following_the_guidance_always_reaches_the_next_band(choice):
    current = {k: Decimal(v) for k, v in choice.items()}
    score = sum(current.values(), Decimal(0))
    stars, steps = upgrade_guidance(CRITERIA, current, score)
    if star_band(score) == 5:
        assert steps == []
        return
    improved = dict(current)
    for step in steps:
        improved[step.criterion.id] = step.target
        assert step.target in step.criterion.options
    assert star_band(sum(improved.values(), Decimal(0))) >= stars
