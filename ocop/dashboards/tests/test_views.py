"""The dashboard pages, reports, exports and plan targets, across roles."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from ocop.certification.tests.test_pdf import pdf_text
from ocop.dashboards.tests.helpers import holding, registrations
from ocop.geo.models import LegacyProvince

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(cao_bang):
    today = timezone.localdate()
    holding(cao_bang, products=12, producers=7, levels={4: 2, 3: 10}, on=today)
    registrations(cao_bang, today.year, {"new": 5, "upgrade": 1})
    return cao_bang


def test_the_national_page_shows_the_figures_the_table_of_provinces_and_the_summary(client, figures):
    response = client.get(reverse("dashboards:nation"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đến nay, cả nước duy trì 12 sản phẩm của 7 chủ thể" in body
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg"') >= 3  # charts drawn on the server
    assert reverse("dashboards:province", args=["cao-bang"]) in body
    assert "Tuyên Quang" in body  # every province has its row, even with nothing counted


def test_the_province_page_and_its_commune_links(client, figures):
    response = client.get(reverse("dashboards:province", args=[figures.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "toàn tỉnh duy trì 12 sản phẩm của 7 chủ thể" in body
    assert f"Năm {timezone.localdate().year}, toàn tỉnh có 6 sản phẩm đăng ký" in body  # 5 new and 1 upgrade
    assert "/thong-ke/xa/" in body


def test_a_former_province_and_a_commune_have_pages(client, figures):
    commune = figures.communes.order_by("code").first()
    assert client.get(reverse("dashboards:commune", args=[commune.code])).status_code == 200
    bac_kan = LegacyProvince.objects.get(code="06")
    assert client.get(reverse("dashboards:legacy-province", args=[bac_kan.code])).status_code == 200
    assert client.get(reverse("dashboards:nation") + "?don-vi=cu").content.decode().count("Bắc Kạn") >= 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("ngay=31-31-2023", "Nhập ngày theo dạng 31/12/2023."),
        ("ngay=2017-01-01", "Chương trình OCOP bắt đầu từ năm 2018"),
        ("ngay=2999-01-01", "Không thể thống kê cho một ngày trong tương lai."),
        ("nam=abc", "Nhập năm, ví dụ 2023."),
        ("ngay=2023-06-30&nam=2024", "Năm không được sau ngày tính số liệu."),
    ],
)
def test_bad_period_input_is_named_and_the_page_still_answers(client, figures, query, message):
    response = client.get(reverse("dashboards:nation") + "?" + query)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_unknown_unit_is_a_404(client, db):
    assert client.get(reverse("dashboards:province", args=["khong-co"])).status_code == 404
    assert client.get(reverse("dashboards:commune", args=["99999"])).status_code == 404
    assert client.get("/thong-ke/bao-cao.doc").status_code == 404


def test_the_dashboard_pages_do_a_constant_number_of_queries(client, cao_bang, django_assert_max_num_queries):
    today = timezone.localdate()
    holding(cao_bang, products=3, producers=2, levels={3: 3}, on=today)
    paths = [reverse("dashboards:nation"), reverse("dashboards:province", args=[cao_bang.slug])]
    counts = []
    for path in paths:
        with django_assert_max_num_queries(16) as captured:
            assert client.get(path + "?ngay=" + today.isoformat() + "&nam=2025").status_code == 200
        counts.append(len(captured.captured_queries))
    holding(cao_bang, products=40, producers=20, levels={3: 20, 4: 15, 5: 5}, on=today)
    for path, count in zip(paths, counts, strict=True):
        with django_assert_max_num_queries(count):
            client.get(path + "?ngay=" + (today - dt.timedelta(days=1)).isoformat())


def test_the_report_workbook_has_one_sheet_per_table_and_the_summary(client, figures):
    response = client.get(reverse("dashboards:province-report", args=[figures.slug, "xlsx"]))
    assert response.status_code == 200
    assert 'filename="thong-ke-ocop-cao-bang-' in response["Content-Disposition"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names[:4] == ["Tổng quan", "Hạng sao", "Theo địa bàn", "Nhóm"]
    assert {"Theo năm", "Đăng ký", "Giấy chứng nhận", "Kênh bán"} <= set(book.sheet_names)
    summary = [row[0] for row in book.get_sheet_by_name("Tổng quan").to_python() if row and row[0]]
    assert any(s.startswith("Đến nay, toàn tỉnh duy trì 12 sản phẩm của 7 chủ thể") for s in summary)
    stars = book.get_sheet_by_name("Hạng sao").to_python()
    assert stars[3][:2] == ["3★", 10.0] and stars[4][:2] == ["4★", 2.0]


def test_the_report_pdf_holds_the_summary_with_its_diacritics(client, figures, tmp_path):
    response = client.get(reverse("dashboards:province-report", args=[figures.slug, "pdf"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "Đến nay, toàn tỉnh duy trì 12 sản phẩm của 7 chủ thể được đánh giá, phân hạng" in text
    assert "trong đó có 2 sản phẩm đạt hạng 4 sao, 10 sản phẩm đạt hạng 3 sao." in text


def test_the_products_counted_download_as_the_published_list(client, figures):
    response = client.get(reverse("dashboards:province-products", args=[figures.slug, "csv"]) + "?sao=4")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0][:3] == ["STT", "Tên sản phẩm", "Chủ thể"] and len(rows) == 1 + 2
    response = client.get(reverse("dashboards:nation-products", args=["xlsx"]))
    assert len(CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()) >= 12


def test_the_officers_dashboard_follows_the_role(client, figures, province_officer, commune_officer, producer_user):
    client.force_login(province_officer)
    body = client.get(reverse("dashboards:backoffice")).content.decode()
    assert "Bảng điều khiển: Tỉnh Cao Bằng" in body and "Hồ sơ trên địa bàn" in body
    client.force_login(commune_officer)
    assert commune_officer.commune.name in client.get(reverse("dashboards:backoffice")).content.decode()
    client.force_login(producer_user)
    assert client.get(reverse("dashboards:backoffice")).status_code == 403
    client.logout()
    assert client.get(reverse("dashboards:backoffice")).status_code == 302


def test_the_old_targets_address_leads_to_the_plans(client, province_officer):
    client.force_login(province_officer)
    response = client.get("/thong-ke/ke-hoach/")
    assert response.status_code == 301 and response["Location"] == reverse("office:plan-list")
