import csv

import pytest
from django.core.management import call_command

from ocop.geo.models import Commune, LegacyCommune, LegacyDistrict, LegacyProvince, Province
from ocop.geo.services import DATA_DIR

pytestmark = pytest.mark.django_db


def test_it_loads_the_34_provinces_and_3321_communes_in_force_since_july_2025():
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321


def test_every_one_of_the_63_former_provinces_resolves_to_todays_province():
    with open(DATA_DIR / "legacy_provinces.csv", encoding="utf-8") as fh:
        expected = {row["old_code"]: row["new_code"] for row in csv.DictReader(fh)}
    assert len(expected) == 63
    actual = dict(LegacyProvince.objects.values_list("code", "successor__code"))
    assert actual == expected


@pytest.mark.parametrize(
    ("former", "today"),
    [
        ("Bắc Kạn", "Thái Nguyên"),
        ("Hà Giang", "Tuyên Quang"),
        ("Bình Dương", "Hồ Chí Minh"),
        ("Cao Bằng", "Cao Bằng"),
    ],
)
def test_former_provinces_roll_up_to_the_province_that_absorbed_them(former, today):
    assert LegacyProvince.objects.get(name=former).successor.name == today


def test_loading_twice_changes_nothing():
    before = (Commune.objects.count(), LegacyCommune.objects.count(), LegacyDistrict.objects.count())
    call_command("load_reference", verbosity=0)
    after = (Commune.objects.count(), LegacyCommune.objects.count(), LegacyDistrict.objects.count())
    assert before == after


def test_a_former_commune_maps_to_todays_commune_or_lists_its_split():
    merged = LegacyCommune.objects.filter(successor__isnull=False).count()
    split = LegacyCommune.objects.filter(successor__isnull=True).count()
    assert merged + split == LegacyCommune.objects.count() == 10035
    assert split > 0
    for old in LegacyCommune.objects.filter(successor__isnull=True).prefetch_related("split_into")[:20]:
        assert old.split_into.count() >= 2


def test_a_former_commune_of_bac_kan_now_lies_in_thai_nguyen():
    old = LegacyCommune.objects.select_related("district__province", "successor__province").filter(
        district__province__name="Bắc Kạn", successor__isnull=False
    )[0]
    assert old.successor.province.name == "Thái Nguyên"


def test_provinces_sort_in_vietnamese_order():
    names = list(Province.objects.values_list("name", flat=True))
    assert names.index("Đà Nẵng") > names.index("Cần Thơ")
    assert names.index("Đồng Tháp") < names.index("Gia Lai")
    assert names[0] == "An Giang"
