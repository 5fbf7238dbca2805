"""Lists in the shapes provinces publish them, imported with no option (as `import_products FILE` does), and what
the statistics, the narrative and the public pages then say. Every file is built by the test."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from ocop.catalog.models import Product
from ocop.certification.models import Certificate
from ocop.core.models import AuditEntry
from ocop.evaluation.models import Dossier, EvaluationRound
from ocop.geo.models import LegacyDistrict, LegacyProvince, Province
from ocop.producers.models import Producer
from ocop.spreadsheets.services import import_commit, import_session_create
from ocop.spreadsheets.tests.files import write_csv, write_xlsx

pytestmark = pytest.mark.django_db
API = "/api/v1"


def run(path):
    session = import_session_create(path=path, filename=path.name)
    return import_commit(session=session)


def title(province: str, year: int, *lines: str) -> list[str]:
    return [
        f"UỶ BAN NHÂN DÂN TỈNH {province.upper()}",
        "",
        f"DANH SÁCH SẢN PHẨM ĐẠT CHỨNG NHẬN OCOP NĂM {year}",
        *lines,
    ]


def stats(client, scope: str, code: str, **params) -> dict:
    response = client.get(f"{API}/statistics", {"scope": scope, "code": code, **params})
    assert response.status_code == 200, response.content
    return response.json()


# ---------------------------------------------------------------------------------------------------------
# Dates known to the year or the month, and no decision number.


def test_a_list_giving_only_the_year_imports_with_the_year_and_never_an_invented_day(tmp_path, client):
    rows = [
        ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Năm công nhận"],
        [1, "Cam Vinh Quỳ Hợp", "HTX Cam Quỳ Hợp", "huyện Quỳ Hợp", "3 sao", 2021],
        [2, "Nước mắm Vạn Phần", "Công ty TNHH Vạn Phần", "huyện Diễn Châu", "4 sao", "2021"],
    ]
    session = run(write_xlsx(tmp_path / "nghe-an.xlsx", rows, title=title("Nghệ An", 2021)))
    assert session.counts["new"] == 2 and session.counts["rejected"] == 0
    certificate = Certificate.objects.get(product__name="Cam Vinh Quỳ Hợp")
    assert (certificate.issued_on, certificate.issued_precision, certificate.decision_number) == (
        dt.date(2021, 1, 1), "year", "",
    )  # fmt: skip
    with translation.override("vi"):
        assert certificate.issued_display == "năm 2021 (chưa rõ ngày quyết định)"
    product = certificate.product
    page = client.get(reverse("site:product-detail", args=[product.pk, product.slug]))
    assert "năm 2021 (chưa rõ ngày quyết định)" in page.content.decode()
    assert "01/01/2021" not in page.content.decode()
    # Per year: exactly in its year. Valid on D: only where certainly valid, from 31/12/2021 until 01/01/2024.
    nghe_an = LegacyProvince.objects.get(name="Nghệ An").code
    figures = stats(client, "legacy_province", nghe_an, on="2021-12-31")
    assert figures["certificates_per_year"]["2021"] == {"5": 0, "4": 1, "3": 1}
    assert figures["products"] == 2
    assert stats(client, "legacy_province", nghe_an, on="2021-12-30")["products"] == 0
    assert stats(client, "legacy_province", nghe_an, on="2023-12-31")["products"] == 2
    assert stats(client, "legacy_province", nghe_an, on="2024-01-01")["products"] == 0


def test_a_month_only_date_and_rows_without_a_decision_number(tmp_path):
    address = "xã Tân Lập, huyện Chợ Đồn, tỉnh Bắc Kạn"
    rows = [
        ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Ngày quyết định"],
        [1, "Chè Shan tuyết Khau Mìa", "HTX Chè Khau Mìa", address, "3 sao", "tháng 6/2022"],
    ]
    run(write_xlsx(tmp_path / "bac-kan.xlsx", rows))
    certificate = Certificate.objects.get()
    assert (certificate.issued_on, certificate.issued_precision) == (dt.date(2022, 6, 1), "month")
    assert certificate.counts_from == dt.date(2022, 6, 30)
    with translation.override("vi"):
        assert certificate.issued_display == "tháng 6/2022 (chưa rõ ngày quyết định)"


def test_a_second_file_completes_the_dates_and_numbers_and_changes_no_figure(tmp_path, client):
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Năm"]
    first = [header, [1, "Gạo Điền Tín R24", "HTX Điền Tín", "huyện Chợ Mới", "3 sao", 2021]]
    run(write_xlsx(tmp_path / "year.xlsx", first, title=title("An Giang", 2021)))
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Số quyết định", "Ngày quyết định"]
    second = [header, [1, "Gạo Điền Tín R24", "HTX Điền Tín", "huyện Chợ Mới", "3 sao", "1234/QĐ-UBND", "15/06/2021"]]
    session = run(write_xlsx(tmp_path / "dates.xlsx", second, title=title("An Giang", 2021)))
    assert session.counts["updated"] == 1 and session.counts["new"] == 0
    certificate = Certificate.objects.get()
    assert (certificate.issued_on, certificate.issued_precision, certificate.decision_number) == (
        dt.date(2021, 6, 15), "day", "1234/QĐ-UBND",
    )  # fmt: skip
    assert certificate.expires_on == dt.date(2024, 6, 15)
    # The precision only grows: the year-only file again changes nothing.
    again = run(write_xlsx(tmp_path / "year-again.xlsx", first, title=title("An Giang", 2021)))
    assert again.counts["unchanged"] == 1
    certificate.refresh_from_db()
    assert certificate.issued_precision == "day"
    assert AuditEntry.objects.filter(code="certification.certificate.updated").count() == 1
    an_giang = LegacyProvince.objects.get(name="An Giang").code
    assert stats(client, "legacy_province", an_giang, on="2021-07-01")["products"] == 1


# ---------------------------------------------------------------------------------------------------------
# Addresses at any depth, unknown groups.


def test_district_only_and_town_only_addresses_land_at_the_deepest_unit_known(tmp_path):
    rows = [
        ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Năm"],
        [1, "Cá chẽm", "Hộ kinh doanh Nguyễn Văn A", "thành phố Rạch Giá", "3 sao", 2022],
        [2, "Khô cá sặc", "Cơ sở Ba Hùng", "Rạch Giá", "3 sao", 2022],
    ]
    session = run(write_xlsx(tmp_path / "kien-giang.xlsx", rows, title=title("Kiên Giang", 2022)))
    assert session.counts["new"] == 2, session.rejected
    producer = Producer.objects.get(name="Hộ kinh doanh Nguyễn Văn A")
    kien_giang = LegacyProvince.objects.get(name="Kiên Giang")
    assert producer.commune is None
    assert producer.legacy_district == LegacyDistrict.objects.get(name="Thành phố Rạch Giá")
    assert (producer.province.name, producer.legacy_province) == ("An Giang", kien_giang)
    with translation.override("vi"):
        assert producer.place == "Thành phố Rạch Giá (cũ), An Giang"
    product = Product.objects.get(name="Cá chẽm")
    assert product.category is None and product.legacy_province_id == kien_giang.pk
    certificate = product.certificates.get()
    assert certificate.province.name == "An Giang" and certificate.legacy_province == kien_giang


def test_a_row_whose_province_is_known_is_never_rejected_for_its_address(tmp_path):
    rows = [
        ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Năm"],
        [1, "Mắm cá linh", "HTX Cá Linh", "ấp Nowhere, xã Không Có Thật", "3 sao", 2020],
        [2, "Bánh phồng tôm", "Cơ sở Bánh Phồng", "", "4 sao", 2020],
    ]
    session = run(write_xlsx(tmp_path / "an-giang.xlsx", rows, title=title("An Giang", 2020)))
    assert session.counts["new"] == 2 and session.counts["rejected"] == 0
    for producer in Producer.objects.all():
        assert producer.commune is None and producer.province.name == "An Giang"
        assert producer.legacy_province.name == "An Giang"


def test_without_any_province_the_row_is_refused_with_the_reason(tmp_path):
    rows = [["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Năm"], [1, "Mắm", "HTX", "xã Z", "3 sao", 2020]]
    session = run(write_xlsx(tmp_path / "nowhere.xlsx", rows))
    assert session.counts["rejected"] == 1
    with translation.override("vi"):
        assert "tỉnh" in session.rejected[0]["reason"]


def test_an_unknown_group_is_unclassified_and_the_product_still_counts(tmp_path, client):
    rows = [
        ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Năm"],
        [1, "Cá chẽm", "HTX Thủy sản Hòn Đất", "huyện Hòn Đất", "3 sao", 2024],
    ]
    run(write_xlsx(tmp_path / "kien-giang.xlsx", rows, title=title("Kiên Giang", 2024)))
    product = Product.objects.get()
    assert product.category is None and product.group is None
    response = client.get(f"{API}/products", {"q": "ca chem"})
    assert [p["name"] for p in response.json()["results"]] == ["Cá chẽm"]
    assert response.json()["results"][0]["category"] is None
    page = client.get(reverse("site:product-detail", args=[product.pk, product.slug]))
    assert page.status_code == 200 and "chưa phân nhóm" in page.content.decode()


# ---------------------------------------------------------------------------------------------------------
# Registration kinds and rounds with outcomes; the published sentences.


def cao_bang_2023_round() -> list[list]:
    """Cao Bằng's 2023 round as the province reported it: 98 registrations (78 new, 3 upgrades, 17
    re-evaluations), 97 recognised for 67 producers (9 at 4 stars, 88 at 3), 1 not recognised."""
    header = ["STT", "Tên sản phẩm", "Tên chủ thể", "Địa chỉ", "Hình thức", "Kết quả đánh giá", "Điểm"]
    kinds = ["Đăng ký mới"] * 78 + ["Nâng hạng"] * 3 + ["Đánh giá lại"] * 17
    rows = [header]
    for i, kind in enumerate(kinds):
        outcome = "Không đạt" if i == 97 else ("Đạt 4 sao" if i < 9 else "Đạt 3 sao")
        producer = f"HTX Nông sản số {i % 67 + 1}" if i < 97 else "Hộ kinh doanh Lý Văn B"
        district = ["huyện Trùng Khánh", "huyện Hà Quảng", "huyện Nguyên Bình", "thành phố Cao Bằng"][i % 67 % 4]
        score = "" if i == 97 else ("72,5" if i < 9 else "62,25")
        rows.append([i + 1, f"Sản phẩm Cao Bằng số {i + 1}", producer, district, kind, outcome, score])
    return rows


def test_a_rounds_list_becomes_an_imported_round_and_its_report_reads_as_the_province_wrote_it(tmp_path, client):
    path = write_xlsx(
        tmp_path / "cao-bang-2023.xlsx",
        cao_bang_2023_round(),
        title=["UBND TỈNH CAO BẰNG", "KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP TỈNH CAO BẰNG NĂM 2023"],
    )
    out = StringIO()
    call_command("import_products", str(path), stdout=out)
    assert "98 new" in out.getvalue() and "0 rejected" in out.getvalue()
    evaluation_round = EvaluationRound.objects.get()
    assert evaluation_round.historic and (evaluation_round.year, evaluation_round.province.name) == (2023, "Cao Bằng")
    assert Dossier.objects.count() == 98
    assert Dossier.objects.filter(status="not_recognised").count() == 1
    assert Certificate.objects.count() == 97
    figures = stats(client, "province", "04", year=2023, on="2023-12-31")
    assert figures["registrations"] == {
        "total": 98, "new": 78, "upgrade": 3, "reevaluation": 17, "recognised": 97, "recognised_producers": 67,
        "not_recognised": 1, "in_progress": 0,
    }  # fmt: skip
    assert figures["certificates_per_year"]["2023"] == {"5": 0, "4": 9, "3": 88}
    summary = figures["summary_vi"]
    assert "98 sản phẩm đăng ký tham gia Chương trình OCOP" in summary
    assert "78 sản phẩm đăng ký mới, 3 sản phẩm đăng ký nâng hạng, 17 sản phẩm đánh giá lại" in summary
    assert "97 sản phẩm của 67 chủ thể được công nhận" in summary
    assert "9 sản phẩm đạt hạng 4 sao, 88 sản phẩm đạt hạng 3 sao" in summary
    # The same file again changes nothing.
    again = run(path)
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 98, "rejected": 0, "review": 0}
    assert Dossier.objects.count() == 98 and EvaluationRound.objects.count() == 1


def test_nghe_an_2021_shares_from_the_imported_list(tmp_path, client):
    header = ["TT", "Tên sản phẩm", "Chủ thể", "Địa chỉ (huyện)", "Hạng sao"]
    rows = [header] + [
        [i + 1, f"Sản phẩm Nghệ An {i + 1}", f"Chủ thể {i + 1}", ["Quỳ Hợp", "Diễn Châu", "Nam Đàn"][i % 3],
         "3 sao" if i < 89 else "4 sao"]
        for i in range(115)
    ]  # fmt: skip
    rows[0][3] = "Huyện"
    path = write_csv(tmp_path / "nghe-an-2021.csv", [[t] + [""] * 4 for t in title("Nghệ An", 2021)] + rows)
    session = run(path)
    assert session.counts["new"] == 115, session.rejected[:3]
    figures = stats(client, "province", "40", year=2021)
    assert figures["year_certificates_stars"] == {"5": 0, "4": 26, "3": 89}
    assert (
        "115 sản phẩm được công nhận đạt chuẩn OCOP (77,4% sản phẩm đạt 3 sao và 22,6% sản phẩm đạt 4 sao)"
        in (figures["summary_vi"])
    )
    assert "(77.4% of products at 3 stars and 22.6% of products at 4 stars)" in figures["summary_en"]


# ---------------------------------------------------------------------------------------------------------
# Import followed by statistics: first import, corrected import, re-import.


def test_the_figures_equal_the_file_after_an_import_a_correction_and_a_reimport(tmp_path, client):
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Điểm", "Năm"]
    per_year = {2020: (5, 2), 2021: (7, 3)}
    rows = [header]
    for year, (three, four) in per_year.items():
        for i in range(three + four):
            rows.append([len(rows), f"Sản phẩm {year}-{i}", f"HTX {year}-{i}", "huyện Chợ Mới", "3 sao" if i < three
                         else "4 sao", "65,5", year])  # fmt: skip
    path = write_xlsx(tmp_path / "an-giang.xlsx", rows, title=["UBND TỈNH AN GIANG", "DANH SÁCH SẢN PHẨM OCOP"])
    run(path)
    code = LegacyProvince.objects.get(name="An Giang").code

    def per_year_figures():
        figures = stats(client, "legacy_province", code)["certificates_per_year"]
        return {int(y): (f["3"], f["4"]) for y, f in figures.items() if f["3"] or f["4"]}

    assert per_year_figures() == per_year
    today_figures = stats(client, "province", Province.objects.get(name="An Giang").code)["certificates_per_year"]
    assert {int(y): (f["3"], f["4"]) for y, f in today_figures.items() if f["3"] or f["4"]} == per_year
    rows[1][4] = "4 sao"  # the province corrects a row
    run(write_xlsx(tmp_path / "corrected.xlsx", rows, title=["UBND TỈNH AN GIANG", "DANH SÁCH SẢN PHẨM OCOP"]))
    assert per_year_figures() == {2020: (4, 3), 2021: (7, 3)}
    session = run(write_xlsx(tmp_path / "again.xlsx", rows, title=["UBND TỈNH AN GIANG", "DANH SÁCH SẢN PHẨM OCOP"]))
    assert session.counts["unchanged"] == len(rows) - 1
    assert per_year_figures() == {2020: (4, 3), 2021: (7, 3)}


def test_section_lines_give_their_place_and_group_to_the_rows_below(tmp_path):
    rows = [
        ["TT", "Tên sản phẩm", "Chủ thể", "Hạng sao", "Quyết định công nhận"],
        ["I", "HUYỆN QUỲ HỢP (2 sản phẩm)", "", "", ""],
        [1, "Cam Vinh", "HTX Cam Quỳ Hợp", "3 sao", "Số 123/QĐ-UBND, ngày 05/10/2021"],
        [2, "Mật ong rừng", "Hộ Lô Văn C", "3★", "QĐ số 123/QĐ-UBND ngày 5 tháng 10 năm 2021"],
        ["II. Thành phố Vinh", "", "", "", ""],
        [3, "Nước mắm cá cơm", "Công ty CP Hải sản", "4 sao", "124/QĐ-UBND năm 2021"],
        ["", "Tổng cộng", "", "", ""],
    ]
    session = run(write_xlsx(tmp_path / "nghe-an.xlsx", rows, title=title("Nghệ An", 2021)))
    assert session.counts["new"] == 3 and session.counts["rejected"] == 0, session.rejected
    places = dict(Producer.objects.values_list("name", "legacy_district__name"))
    assert places == {"HTX Cam Quỳ Hợp": "Huyện Quỳ Hợp", "Hộ Lô Văn C": "Huyện Quỳ Hợp",
                      "Công ty CP Hải sản": "Thành phố Vinh"}  # fmt: skip
    dates = dict(Certificate.objects.values_list("decision_number", "issued_precision"))
    assert dates == {"123/QĐ-UBND": "day", "124/QĐ-UBND": "year"}


def test_the_file_name_and_a_title_without_the_word_tinh_say_the_province_and_year(tmp_path):
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Xếp hạng"]
    rows = [header, [1, "Chè xanh Thanh Chương", "HTX Chè Hạnh Lâm", "huyện Thanh Chương", "bốn sao"]]
    run(write_xlsx(tmp_path / "danh-sach-ocop-nghe-an-2020.xlsx", rows))
    certificate = Certificate.objects.get()
    assert (certificate.province.name, certificate.issued_on.year, certificate.stars) == ("Nghệ An", 2020, 4)
    assert certificate.issued_precision == "year"
    rows = [header, [1, "Mực một nắng", "Cơ sở Hải Hà", "Cửa Lò", "4 sao (nâng hạng)"]]
    run(write_xlsx(tmp_path / "ds.xlsx", rows, title=["Sản phẩm OCOP Nghệ An được công nhận năm 2022"]))
    squid = Certificate.objects.get(product__name="Mực một nắng")
    assert (squid.province.name, squid.issued_on.year, squid.stars) == ("Nghệ An", 2022, 4)
    assert squid.product.producer.commune.name == "Phường Cửa Lò"  # a bare name: today's commune first


def test_a_producer_written_once_for_its_several_products_belongs_to_each(tmp_path):
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Năm"]
    rows = [
        header,
        [1, "Gạo nếp cái hoa vàng", "HTX Nông nghiệp Đông Hòa", "huyện Hà Quảng", "3 sao", 2021],
        ["", "Bánh khảo", "", "", "3 sao", 2021],  # a flattened merge: no number, no producer
        [2, "Mật ong hoa bạc hà", "HTX Ong mật Trùng Khánh", "huyện Trùng Khánh", "4 sao", 2021],
        [3, "Miến dong", "", "huyện Nguyên Bình", "3 sao", 2021],  # numbered: a row of its own, refused
    ]
    merged = [
        header,
        [1, "Trà hoa vàng", "HTX Trà Hoa Vàng", "huyện Hà Quảng", "4 sao", 2022],
        [2, "Trà túi lọc", None, None, "3 sao", 2022],
    ]
    title = ["UBND TỈNH CAO BẰNG"]
    session = run(write_xlsx(tmp_path / "flat.xlsx", rows, title=title))
    assert (session.counts["new"], session.counts["rejected"]) == (3, 1)
    assert Product.objects.get(name="Bánh khảo").producer.name == "HTX Nông nghiệp Đông Hòa"
    # Merged cells: the producer and its address belong to every row of the range.
    session = run(write_xlsx(tmp_path / "merged.xlsx", merged, title=title,
                             merges=[(1, 2, 2, 2, "HTX Trà Hoa Vàng"), (1, 3, 2, 3, "huyện Hà Quảng")]))  # fmt: skip
    assert session.counts["new"] == 2
    assert Product.objects.get(name="Trà túi lọc").producer.name == "HTX Trà Hoa Vàng"


NAMES_30 = [
    "Gạo ST25 Sóc Trăng", "Nước mắm Phú Quốc", "Bưởi Năm Roi", "Cà phê Buôn Ma Thuột", "Chè Tân Cương",
    "Mắm tôm Hậu Lộc", "Bánh đa Kế", "Đậu phụ Mơ", "Rượu Bàu Đá", "Nem chua Thanh Hóa",
    "Mật ong bạc hà Đồng Văn", "Tương Bần", "Kẹo dừa Bến Tre", "Hồng treo gió", "Miến dong Bình Liêu",
    "Cao gắm", "Trà hoa vàng", "Xoài cát Hòa Lộc", "Nhãn lồng Hưng Yên", "Vải thiều Thanh Hà",
    "Chả mực Hạ Long", "Tỏi Lý Sơn", "Sâm Ngọc Linh", "Măng khô Kỳ Sơn", "Mì Quảng Phú Chiêm",
    "Hạt điều Bình Phước", "Khô cá dứa Cần Giờ", "Bánh tráng Trảng Bàng", "Muối tôm Tây Ninh", "Đường phèn",
]  # fmt: skip


def test_imported_names_are_found_typed_without_accents(tmp_path, client):
    from ocop.core.text import vn_fold

    header = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Năm"]
    rows = [header] + [[i + 1, name, f"Chủ thể {i + 1}", "", "3 sao", 2024] for i, name in enumerate(NAMES_30)]
    session = run(write_xlsx(tmp_path / "ds.xlsx", rows, title=["UBND TỈNH CAO BẰNG"]))
    assert session.counts["new"] == 30
    found = 0
    for name in NAMES_30:
        results = client.get(f"{API}/products", {"q": vn_fold(name)}).json()["results"]
        found += name in [p["name"] for p in results]
    assert found == 30


def test_an_imported_rounds_registrations_show_in_the_officers_pages_and_api(tmp_path, client, province_officer):
    from ocop.accounts.services import api_token_create

    run(write_xlsx(tmp_path / "cao-bang-2023.xlsx", cao_bang_2023_round(), title=["UBND TỈNH CAO BẰNG", "NĂM 2023"]))
    client.force_login(province_officer)
    assert client.get(reverse("evaluation:dossier-list")).status_code == 200
    dossier = Dossier.objects.filter(status="recognised").first()
    page = client.get(reverse("evaluation:dossier-detail", args=[dossier.pk]))
    assert page.status_code == 200 and dossier.product_name in page.content.decode()
    assert client.get(reverse("evaluation:round-list")).status_code == 200
    _token, plain = api_token_create(user=province_officer, name="t")
    listing = client.get(f"{API}/dossiers", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert listing.status_code == 200
    results = listing.json()["results"]
    assert all(r["imported"] for r in results)
    assert {r["stars"] for r in results if r["status"] == "recognised"} <= {3, 4}
    assert {r["stars"] for r in results if r["status"] == "not_recognised"} == {None}


@pytest.mark.parametrize("chunk", [5_000, 7])
def test_an_imported_list_reaches_the_national_figures_through_the_rollup(tmp_path, monkeypatch, chunk):
    """Import -> nation: the rollup kept by the importer gives the figures the spans give, and a rebuild agrees
    (also when the rows are written in many chunks, the rollup once at the end, producers spread over chunks)."""
    from ocop.spreadsheets import services

    monkeypatch.setattr(services, "COMMIT_CHUNK", chunk)
    from ocop.certification.models import CertifiedCount
    from ocop.certification.rollup import nation_events, rollup_rebuild
    from ocop.dashboards.selectors.certified import certified_stats_from_rollup, certified_stats_from_spans
    from ocop.geo.scope import Scope

    path = write_xlsx(
        tmp_path / "cao-bang-2023.xlsx",
        cao_bang_2023_round(),
        title=["UBND TỈNH CAO BẰNG", "KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP TỈNH CAO BẰNG NĂM 2023"],
    )
    assert run(path).counts["new"] == 98
    on = dt.date(2024, 6, 30)
    rolled = certified_stats_from_rollup(scope=Scope.nation(), on=on, events=nation_events(on))
    assert rolled.products == 97 and rolled.producers == 67
    assert rolled == certified_stats_from_spans(scope=Scope.nation(), on=on)
    kept = set(CertifiedCount.objects.exclude(n=0).values_list("grain", "period", "facet", "key", "n"))
    rollup_rebuild()
    assert kept == set(CertifiedCount.objects.exclude(n=0).values_list("grain", "period", "facet", "key", "n"))
