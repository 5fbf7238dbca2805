import copy
from io import StringIO

import pytest
from django.core.management import call_command

from ocop.catalog.models import Regime
from ocop.core.errors import ApplicationError
from ocop.evaluation.criteria import criteria_set_store, validate_set
from ocop.evaluation.models import CriteriaSet, Criterion
from ocop.evaluation.tests.helpers import TEST_SET

pytestmark = pytest.mark.django_db


def test_load_criteria_loads_every_shipped_set_once_with_one_line_each():
    out = StringIO()
    call_command("load_criteria", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 27  # the 26 sets of Decision 148 and the complete 1048 set
    assert "1048-1.1\tRau, củ, quả, hạt tươi\t1048/2019\tv1\tA 35 / B 25 / C 40\tcomplete" in lines
    assert all(line.endswith("INCOMPLETE") for line in lines if line.startswith("148-"))
    assert CriteriaSet.objects.filter(complete=True).count() == 1
    call_command("load_criteria", stdout=StringIO())
    assert CriteriaSet.objects.count() == 27  # re-running adds no version
    fresh = CriteriaSet.objects.get(code="1048-1.1")
    assert fresh.category.code == "1.1"
    leaves = Criterion.objects.filter(criteria_set=fresh, children__isnull=True)
    assert leaves.count() == 31 and Criterion.objects.get(criteria_set=fresh, code="C1").children.count() == 5


def test_load_criteria_check_validates_and_writes_nothing():
    out = StringIO()
    call_command("load_criteria", check=True, stdout=out)
    assert len(out.getvalue().strip().splitlines()) == 27
    assert not CriteriaSet.objects.exists()


def test_the_validator_refuses_a_part_above_its_maximum():
    data = copy.deepcopy(TEST_SET)
    data["parts"][1]["sections"][0]["criteria"][0]["options"].append(["Xuất khẩu", 20])
    check = validate_set(data, Regime.D148_2023)
    assert any("B4" in error or "B:" in error or "Phần B" in error for error in check.errors)
    assert not check.complete
    with pytest.raises(ApplicationError):
        criteria_set_store(data=data, regime=Regime.D148_2023, source="x")
    assert not CriteriaSet.objects.exists()


def test_the_validator_refuses_a_wrong_part_maximum_options_out_of_bounds_and_repeated_codes():
    data = copy.deepcopy(TEST_SET)
    data["parts"][0]["max"] = 35  # 148's part A is 40
    data["parts"][2]["sections"][0]["criteria"][0]["options"].append(["Âm", -1])
    data["parts"][2]["sections"][0]["criteria"][1]["code"] = "C1.1"
    errors = " | ".join(validate_set(data, Regime.D148_2023).errors)
    assert "A" in errors and "-1" in errors and "C1.1" in errors


def test_a_revised_set_is_a_new_version_and_the_old_one_is_kept():
    first, created = criteria_set_store(data=TEST_SET, regime=Regime.D148_2023, source="v1")
    assert created and first.complete and first.version == 1
    again, created = criteria_set_store(data=TEST_SET, regime=Regime.D148_2023, source="v1")
    assert not created and again == first
    revised = copy.deepcopy(TEST_SET)
    revised["parts"][0]["sections"][0]["criteria"][1]["options"][1] = ["Có liên kết", 6]
    second, created = criteria_set_store(data=revised, regime=Regime.D148_2023, source="v1")
    assert created and second.version == 2
    assert Criterion.objects.filter(criteria_set=first).count() == Criterion.objects.filter(criteria_set=second).count()
