"""The "cần bổ sung" list: what imported lists left out, counted on the officer's dashboard, completed inline or
in bulk, each completion in the change history and in the figures at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.models import Category, Product
from ocop.certification.models import Certificate
from ocop.core.models import AuditEntry
from ocop.geo.models import Commune, LegacyProvince, Province
from ocop.producers.models import Producer
from ocop.spreadsheets.tests.files import write_xlsx
from ocop.spreadsheets.tests.test_published_lists import run, stats

pytestmark = pytest.mark.django_db
URL = "/nhap-du-lieu/can-bo-sung/"


@pytest.fixture
def imported(tmp_path):
    """A Cao Bằng list of 2022 giving the year, a district or nothing of the address, and no group for one."""
    rows = [
        ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Năm"],
        [1, "Mật ong bạc hà", "HTX Mật ong Đồng Văn", "huyện Trùng Khánh", "4 sao", 2022],
        [2, "Cá chép ruộng", "Hộ Nông Văn D", "huyện Hà Quảng", "3 sao", 2022],
        [3, "Khẩu sli", "Cơ sở Khẩu Sli", "", "3 sao", 2022],
    ]
    title = ["UBND TỈNH CAO BẰNG", "DANH SÁCH SẢN PHẨM OCOP NĂM 2022"]
    session = run(write_xlsx(tmp_path / "cao-bang.xlsx", rows, title=title))
    assert session.counts["new"] == 3
    return session


def test_the_dashboard_counts_what_is_missing_and_the_list_shows_it(client, province_officer, imported):
    client.force_login(province_officer)
    page = client.get(reverse("dashboards:backoffice")).content.decode()
    assert "Cần bổ sung" in page or "Records to complete" in page
    response = client.get(URL, {"thieu": "ngay"})
    assert response.status_code == 200
    counts = {key: count for key, _label, count in response.context["gaps"]}
    assert counts == {"ngay": 3, "xa": 3, "nhom": 2, "co-quan": 3}
    assert "năm 2022 (chưa rõ ngày quyết định)" in response.content.decode()


def test_an_officer_completes_a_date_and_the_figures_follow_at_once(client, province_officer, imported):
    client.force_login(province_officer)
    certificate = Certificate.objects.get(product__name="Mật ong bạc hà")
    code = LegacyProvince.objects.get(name="Cao Bằng").code
    assert stats(client, "legacy_province", code, on="2022-06-30")["products"] == 0  # not certainly valid yet
    response = client.post(
        reverse("spreadsheets:incomplete-certificate", args=[certificate.pk]),
        {"decision_number": "1010/QĐ-UBND", "issued_on": "15/06/2022", "issuer": "UBND tỉnh Cao Bằng",
         "thieu": "ngay"},
    )  # fmt: skip
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert (certificate.issued_on, certificate.issued_precision) == (dt.date(2022, 6, 15), "day")
    assert certificate.expires_on == dt.date(2025, 6, 15) and certificate.issuer == "UBND tỉnh Cao Bằng"
    entry = AuditEntry.objects.get(code="certification.certificate.completed")
    assert entry.actor == province_officer and entry.changes["issued_precision"] == ["year", "day"]
    assert stats(client, "legacy_province", code, on="2022-06-30")["products"] == 1
    counts = {key: count for key, _label, count in client.get(URL).context["gaps"]}
    assert counts["ngay"] == 2 and counts["co-quan"] == 2


def test_bad_completions_say_what_is_wrong_and_change_nothing(client, province_officer, imported):
    client.force_login(province_officer)
    certificate = Certificate.objects.get(product__name="Mật ong bạc hà")
    url = reverse("spreadsheets:incomplete-certificate", args=[certificate.pk])
    for data in ({"issued_on": "31/02/2022"}, {}, {"issued_on": "01/01/2099"}):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
    certificate.refresh_from_db()
    assert certificate.issued_precision == "year"
    assert not AuditEntry.objects.filter(code="certification.certificate.completed").exists()


def test_an_officer_gives_a_commune_and_classifies_in_bulk_only_what_was_chosen(client, province_officer, imported):
    client.force_login(province_officer)
    producer = Producer.objects.get(name="Hộ Nông Văn D")
    commune = Commune.objects.filter(province=province_officer.province).order_by("code")[3]
    response = client.post(reverse("spreadsheets:incomplete-producer", args=[producer.pk]), {"commune": commune.pk})
    assert response.status_code == 302
    producer.refresh_from_db()
    assert producer.commune == commune
    assert Product.objects.get(name="Cá chép ruộng").commune_id == commune.pk  # the catalog's place follows

    listing = client.get(URL, {"thieu": "nhom"})
    suggested = dict((p.name, s) for p, s in listing.context["rows"])
    assert suggested["Cá chép ruộng"] is None or isinstance(suggested["Cá chép ruộng"], Category)
    fish, khau_sli = Product.objects.get(name="Cá chép ruộng"), Product.objects.get(name="Khẩu sli")
    leaf = Category.objects.filter(is_leaf=True, regime="148/2023").order_by("position").first()
    response = client.post(
        reverse("spreadsheets:incomplete-classify"),
        {"product": [fish.pk, khau_sli.pk], f"category-{fish.pk}": leaf.pk, f"category-{khau_sli.pk}": ""},
    )
    assert response.status_code == 302
    fish.refresh_from_db()
    khau_sli.refresh_from_db()
    assert fish.category == leaf and khau_sli.category is None  # left alone: still unclassified
    assert AuditEntry.objects.filter(code="catalog.product.updated", object_id=str(fish.pk)).exists()


def test_officers_of_another_province_cannot_complete_and_producers_see_nothing(client, imported):
    other = UserFactory(role=User.Role.PROVINCE_OFFICER, province=Province.objects.get(code="01"))
    client.force_login(other)
    certificate = Certificate.objects.first()
    assert client.get(URL).context["gaps"][0][2] == 0
    response = client.post(reverse("spreadsheets:incomplete-certificate", args=[certificate.pk]),
                           {"issued_on": "15/06/2022"})  # fmt: skip
    assert response.status_code == 403
    client.force_login(UserFactory(role=User.Role.PRODUCER))
    assert client.get(URL).status_code == 403


def test_the_list_costs_the_same_queries_for_few_or_many_records(client, central_officer, imported, tmp_path,
                                                                  django_assert_max_num_queries):  # fmt: skip
    client.force_login(central_officer)
    with django_assert_max_num_queries(14):
        client.get(URL, {"thieu": "nhom"})
    rows = [["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Năm"]] + [
        [i, f"Sản phẩm lạ {i}", f"Hộ số {i}", "huyện Hà Quảng", "3 sao", 2023] for i in range(1, 41)
    ]
    run(write_xlsx(tmp_path / "more.xlsx", rows, title=["UBND TỈNH CAO BẰNG"]))
    for gap in ("ngay", "xa", "nhom", "co-quan"):
        with django_assert_max_num_queries(14):
            assert client.get(URL, {"thieu": gap}).status_code == 200


def test_hostile_posted_values_are_encoded_or_ignored_not_a_server_error(client, province_officer, imported):
    client.force_login(province_officer)
    certificate = Certificate.objects.first()
    response = client.post(reverse("spreadsheets:incomplete-certificate", args=[certificate.pk]),
                           {"issuer": "UBND", "page": "2&x=<y>", "thieu": "ngay"})  # fmt: skip
    assert response.status_code == 302 and "%3Cy%3E" in response["Location"] and "<y>" not in response["Location"]
    response = client.post(reverse("spreadsheets:incomplete-classify"), {"product": ["9" * 30, "abc"]})
    assert response.status_code == 302
