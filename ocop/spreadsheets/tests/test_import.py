import datetime as dt
import unicodedata
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from ocop.catalog.models import Product
from ocop.certification.models import Certificate
from ocop.core.models import AuditEntry
from ocop.core.tabular import ImportRefused
from ocop.geo.models import LegacyCommune, Province
from ocop.producers.models import Producer
from ocop.spreadsheets.models import ImportSession, ReviewItem
from ocop.spreadsheets.services import import_commit, import_session_create, import_validate, rejected_rows
from ocop.spreadsheets.tests.files import TITLE, write_csv, write_xls, write_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["STT", "Tên sản phẩm", "Chủ thể sản xuất", "Địa chỉ", "Hạng sao", "Điểm", "Số quyết định"]


@pytest.fixture
def cao_bang_commune():
    return (
        LegacyCommune.objects.select_related("district", "successor__province")
        .filter(district__province__name="Cao Bằng", successor__isnull=False)
        .order_by("code")[0]
    )


@pytest.fixture
def bac_kan_commune():
    return (
        LegacyCommune.objects.select_related("district", "successor__province")
        .filter(district__province__name="Bắc Kạn", successor__isnull=False)
        .order_by("code")[0]
    )


def old_address(old: LegacyCommune, province: str) -> str:
    return f"Thôn Nà Pồng, {old.name.lower()}, {old.district.name.lower()}, tỉnh {province}"


def rows_for(old, province, stars=("4 sao", "3*", "★★★★★", 4)):
    names = ["Miến dong Nà Pồng", "Mật ong bạc hà", "Chè Shan tuyết", "Bánh cuốn"]
    return [HEADER] + [
        [i + 1, name, f"Hợp tác xã {name}", old_address(old, province), star, 72.5 if star != "3*" else "65,25",
         "2751/QĐ-UBND ngày 24/11/2021"]
        for i, (name, star) in enumerate(zip(names, stars, strict=True))
    ]  # fmt: skip


def run(path, **kwargs):
    session = import_session_create(path=path, filename=path.name, **kwargs)
    return import_commit(session=session)


def test_an_xlsx_with_a_title_block_and_varied_star_spellings_imports(tmp_path, cao_bang_commune):
    path = write_xlsx(tmp_path / "ds.xlsx", rows_for(cao_bang_commune, "Cao Bằng"), title=TITLE)
    session = run(path)
    assert session.header_row == len(TITLE)
    assert session.counts == {"new": 4, "updated": 0, "unchanged": 0, "rejected": 0, "review": 0}
    stars = dict(Product.objects.values_list("name", "stars"))
    assert stars == {"Miến dong Nà Pồng": 4, "Mật ong bạc hà": 3, "Chè Shan tuyết": 5, "Bánh cuốn": 4}
    certificate = Certificate.objects.get(product__name="Mật ong bạc hà")
    assert certificate.score == pytest.approx(65.25)
    assert certificate.decision_number == "2751/QĐ-UBND"
    assert certificate.issued_on == dt.date(2021, 11, 24)
    assert certificate.expires_on == dt.date(2024, 11, 24)
    assert certificate.status == "expired"


def test_an_address_in_a_former_province_lands_in_todays_province(tmp_path, bac_kan_commune):
    path = write_xlsx(tmp_path / "backan.xlsx", rows_for(bac_kan_commune, "Bắc Kạn")[:2])
    run(path)
    producer = Producer.objects.get()
    assert producer.province.name == "Thái Nguyên"
    assert producer.commune == bac_kan_commune.successor
    assert producer.legacy_province.name == "Bắc Kạn"
    certificate = Certificate.objects.get()
    assert certificate.legacy_province.name == "Bắc Kạn"
    assert certificate.province.name == "Thái Nguyên"


def test_merged_star_headers_with_a_column_per_level(tmp_path, cao_bang_commune):
    header = ["STT", "Tên sản phẩm", "Tên chủ thể", "Địa chỉ", "Hạng sao", None, None, "Quyết định"]
    sub = [None, None, None, None, "3 sao", "4 sao", "5 sao", None]
    address = old_address(cao_bang_commune, "Cao Bằng")
    rows = [header, sub,
            [1, "Gạo nếp cái hoa vàng", "HTX Gạo", address, "x", None, None, "12/QĐ-UBND ngày 01/03/2023"],
            [2, "Rượu ngô men lá", "HTX Rượu", address, None, "x", None, "12/QĐ-UBND ngày 01/03/2023"]]  # fmt: skip
    path = write_xlsx(tmp_path / "merged.xlsx", rows, merges=[(0, 4, 0, 6, "Hạng sao")])
    session = run(path)
    assert session.counts["new"] == 2
    assert dict(Product.objects.values_list("name", "stars")) == {"Gạo nếp cái hoa vàng": 3, "Rượu ngô men lá": 4}


def test_a_legacy_xls_with_years_read_as_floats(tmp_path, cao_bang_commune):
    header = ["TT", "Sản phẩm", "Chủ thể", "Địa chỉ", "Xếp hạng", "Năm", "Số quyết định"]
    rows = [
        header,
        [
            1.0,
            "Trà hoa vàng",
            "Công ty TNHH Trà",
            old_address(cao_bang_commune, "Cao Bằng"),
            4.0,
            2021.0,
            "2751/QĐ-UBND",
        ],
    ]
    path = write_xls(tmp_path / "ds.xls", rows, title=TITLE[:2])
    session = run(path, decision_date=dt.date(2021, 11, 24))
    assert session.kind == "xls"
    assert session.counts["new"] == 1
    assert Certificate.objects.get().issued_on == dt.date(2021, 11, 24)
    assert Producer.objects.get().kind == "enterprise"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1258"])
def test_csv_in_utf8_with_or_without_bom_and_windows_1258(tmp_path, cao_bang_commune, encoding):
    rows = rows_for(cao_bang_commune, "Cao Bằng")[:2]
    if encoding == "cp1258":
        rows = [[_cp1258_form(v) if isinstance(v, str) else v for v in row] for row in rows]
    path = write_csv(tmp_path / "ds.csv", rows, encoding=encoding, delimiter=";")
    run(path)
    product = Product.objects.get()
    assert product.name == "Miến dong Nà Pồng"
    assert unicodedata.is_normalized("NFC", product.producer.name)


def _cp1258_form(text: str) -> str:
    """How Windows-1258 stores Vietnamese: letters composed, tone marks as separate combining characters."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if ch in "\u0302\u0306\u031b" and out:
            out[-1] = unicodedata.normalize("NFC", out[-1] + ch)
        else:
            out.append(ch)
    return "".join(out)


def test_importing_the_same_file_twice_changes_nothing(tmp_path, cao_bang_commune):
    path = write_xlsx(tmp_path / "ds.xlsx", rows_for(cao_bang_commune, "Cao Bằng"), title=TITLE)
    run(path)
    before = (
        Producer.objects.count(),
        Product.objects.count(),
        Certificate.objects.count(),
        AuditEntry.objects.count(),
    )
    second = run(path)
    assert second.counts == {"new": 0, "updated": 0, "unchanged": 4, "rejected": 0, "review": 0}
    after = (Producer.objects.count(), Product.objects.count(), Certificate.objects.count(), AuditEntry.objects.count())
    assert after[:3] == before[:3]
    assert after[3] == before[3] + 2  # only the upload and the commit of the second import are recorded


def test_a_corrected_file_updates_only_what_changed_and_the_audit_says_so(tmp_path, cao_bang_commune):
    rows = rows_for(cao_bang_commune, "Cao Bằng")
    run(write_xlsx(tmp_path / "v1.xlsx", rows))
    rows[2][4] = "4 sao"  # Mật ong bạc hà: 3 → 4 stars
    session = run(write_xlsx(tmp_path / "v2.xlsx", rows))
    assert session.counts == {"new": 0, "updated": 1, "unchanged": 3, "rejected": 0, "review": 0}
    assert Product.objects.get(name="Mật ong bạc hà").stars == 4
    entry = AuditEntry.objects.get(code="certification.certificate.updated")
    assert entry.changes["stars"] == ["3", "4"]


def test_an_all_bad_file_imports_nothing_and_reports_every_row(tmp_path, cao_bang_commune):
    rows = rows_for(cao_bang_commune, "Cao Bằng")
    for row in rows[1:]:
        row[4] = "6 sao"
    session = run(write_xlsx(tmp_path / "bad.xlsx", rows))
    assert session.counts["rejected"] == 4
    assert Product.objects.count() == 0
    assert [r["row"] for r in session.rejected] == [2, 3, 4, 5]
    with translation.override("vi"):
        _header, bad = rejected_rows(session=session)
    assert bad[0][1] == "Dòng 2, cột “Hạng sao”: “6 sao” không hợp lệ (chỉ nhận 3, 4 hoặc 5)"


def test_a_split_former_commune_goes_to_review_not_to_a_guess(tmp_path):
    split = (
        LegacyCommune.objects.select_related("district__province").filter(successor__isnull=True).order_by("code")[0]
    )
    address = f"{split.name}, {split.district.name}, {split.district.province.name}"
    rows = [HEADER, [1, "Bánh chưng", "HTX Bánh", address, "4 sao", 75, "1/QĐ-UBND ngày 02/02/2022"]]
    session = run(write_xlsx(tmp_path / "split.xlsx", rows))
    assert session.counts["review"] == 1 and session.counts["new"] == 1
    producer = Product.objects.get().producer  # counted at once, its commune unknown until a person chooses
    assert producer.commune is None and producer.legacy_district == split.district
    item = ReviewItem.objects.get()
    assert item.candidates.count() >= 2


def test_a_dry_run_counts_and_writes_nothing(tmp_path, cao_bang_commune):
    path = write_xlsx(tmp_path / "ds.xlsx", rows_for(cao_bang_commune, "Cao Bằng"))
    session = import_session_create(path=path, filename="ds.xlsx")
    session = import_validate(session=session)
    assert session.counts["new"] == 4
    assert Product.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"", "empty"), (b"%PDF-1.4\x00\x00binary", "not_spreadsheet"), (b"\x89PNG\r\n\x1a\n\x00\x00", "not_spreadsheet")],
)
def test_files_that_are_not_spreadsheets_are_refused(tmp_path, content, code):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportRefused) as refused:
        import_session_create(path=path, filename="ds.xlsx")
    assert refused.value.code == code
    assert ImportSession.objects.count() == 0


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "ds.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(ImportRefused) as refused:
        import_session_create(path=path, filename="ds.xlsx")
    assert refused.value.code == "unreadable"


def test_a_10000_column_row_is_refused(tmp_path):
    path = write_csv(tmp_path / "wide.csv", [HEADER, ["x"] * 10_000])
    with pytest.raises(ImportRefused) as refused:
        import_session_create(path=path, filename="wide.csv")
    assert refused.value.code == "too_wide"


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "wb") as fh:
        fh.write(b"a" * (50 * 1024 * 1024))
    with pytest.raises(ImportRefused) as refused:
        import_session_create(path=path, filename="big.csv")
    assert refused.value.code == "too_big"


def test_formula_cells_without_values_are_rejected_rows_not_a_half_import(tmp_path, cao_bang_commune):
    rows = rows_for(cao_bang_commune, "Cao Bằng")
    rows[1][1] = "=CONCATENATE(B3,B4)"
    rows[2][4] = "=4+0"
    session = run(write_xlsx(tmp_path / "formulas.xlsx", rows))
    assert session.counts["rejected"] == 2
    assert session.counts["new"] == 2


def test_the_command_imports_and_reports(tmp_path, cao_bang_commune):
    path = write_xlsx(tmp_path / "ds.xlsx", rows_for(cao_bang_commune, "Cao Bằng"), title=TITLE)
    out = StringIO()
    call_command("import_products", str(path), "--dry-run", stdout=out)
    assert "Would import: 4 new" in out.getvalue()
    assert Product.objects.count() == 0
    call_command("import_products", str(path), "--province", "04", stdout=out)
    assert "Imported: 4 new" in out.getvalue()
    assert Product.objects.count() == 4


def test_rows_without_a_province_use_the_one_given_for_the_file(tmp_path):
    province = Province.objects.get(code="04")
    commune = province.communes.order_by("code").first()
    rows = [HEADER, [1, "Mật ong hoa nhãn", "HTX Ong", commune.name, "4 sao", 80, "5/QĐ-UBND ngày 05/05/2025"]]
    run(write_xlsx(tmp_path / "ds.xlsx", rows), province=province)
    assert Producer.objects.get().commune == commune


def test_committing_in_chunks_gives_the_same_result_as_one_go(tmp_path, cao_bang_commune, monkeypatch):
    from ocop.spreadsheets import services

    rows = rows_for(cao_bang_commune, "Cao Bằng")
    rows.append(list(rows[1]))  # the same product twice, which lands in another chunk
    rows.append([5, "Trà hoa vàng", rows[1][2], rows[1][3], "4 sao", 75, "2751/QĐ-UBND ngày 24/11/2021"])
    monkeypatch.setattr(services, "COMMIT_CHUNK", 2)
    session = run(write_xlsx(tmp_path / "chunks.xlsx", rows))
    assert session.counts == {"new": 5, "updated": 0, "unchanged": 1, "rejected": 0, "review": 0}
    assert Product.objects.count() == 5 and Certificate.objects.count() == 5
    assert Producer.objects.filter(name=rows[1][2]).count() == 1  # its second product joined the same producer


def test_a_province_officers_import_refuses_rows_of_another_province_and_the_central_office_may(
    tmp_path, cao_bang_commune, bac_kan_commune, province_officer, central_officer
):
    rows = rows_for(cao_bang_commune, "Cao Bằng")
    rows[2][3] = old_address(bac_kan_commune, "Bắc Kạn")  # today in Thái Nguyên
    path = write_xlsx(tmp_path / "ds.xlsx", rows)
    cao_bang = Province.objects.get(name="Cao Bằng")
    with translation.override("vi"):
        session = run(path, by=province_officer, province=cao_bang)
    assert session.counts["new"] == 3 and session.counts["rejected"] == 1
    _header, rejected = rejected_rows(session=session)
    assert "Thái Nguyên" in rejected[0][1] and "ngoài Cao Bằng" in rejected[0][1]
    assert not Producer.objects.filter(province__name="Thái Nguyên").exists()
    central = run(write_xlsx(tmp_path / "tw.xlsx", rows), by=central_officer, province=cao_bang)
    assert central.counts["rejected"] == 0
    assert Producer.objects.filter(province__name="Thái Nguyên").exists()


def test_the_issuer_is_the_files_or_none_and_the_level_follows_the_law(tmp_path, cao_bang_commune):
    rows = [[*row, "Cơ quan quyết định" if index == 0 else ("UBND tỉnh Cao Bằng" if index == 1 else "")]
            for index, row in enumerate(rows_for(cao_bang_commune, "Cao Bằng"))]  # fmt: skip
    rows[3][6] = "15/QĐ-UBND ngày 15/06/2024"  # 5★ under Decision 148
    run(write_xlsx(tmp_path / "ds.xlsx", rows))
    named = Certificate.objects.get(product__name="Miến dong Nà Pồng")
    assert (named.issuer, named.level) == ("UBND tỉnh Cao Bằng", "province")  # 4★ in 2021 (Decision 1048)
    unnamed = Certificate.objects.get(product__name="Mật ong bạc hà")
    assert unnamed.issuer == "" and unnamed.level == "province"  # 3★ in 2021: the province (1048)
    five = Certificate.objects.get(product__name="Chè Shan tuyết")
    assert (five.issuer, five.level) == ("", "central")


def test_the_decision_named_in_the_title_block_applies_to_rows_without_one(tmp_path, cao_bang_commune):
    title = ["UỶ BAN NHÂN DÂN TỈNH CAO BẰNG", "DANH SÁCH SẢN PHẨM OCOP",
             "(Kèm theo Quyết định số 1234/QĐ-UBND ngày 15/6/2022 của UBND tỉnh Cao Bằng)"]  # fmt: skip
    rows = [row[:6] for row in rows_for(cao_bang_commune, "Cao Bằng")]  # no decision column
    rows[2] = [*rows[2], "77/QĐ-UBND ngày 01/09/2022"]  # a row with its own decision keeps it
    rows[0] = [*rows[0], "Số quyết định"]
    session = run(write_xlsx(tmp_path / "ds.xlsx", rows, title=title))
    assert session.counts["new"] == 4 and session.counts["rejected"] == 0
    decisions = dict(Certificate.objects.values_list("product__name", "decision_number"))
    assert decisions["Miến dong Nà Pồng"] == "1234/QĐ-UBND" and decisions["Mật ong bạc hà"] == "77/QĐ-UBND"
    assert Certificate.objects.get(product__name="Miến dong Nà Pồng").issued_on == dt.date(2022, 6, 15)


def test_imported_products_reach_the_statistics_with_the_timeline_the_rules_give(tmp_path, cao_bang_commune):
    from ocop.certification.models import CertifiedSpan
    from ocop.certification.projection import spans_rebuild
    from ocop.dashboards.selectors import certified_stats
    from ocop.geo.scope import Scope

    rows = rows_for(cao_bang_commune, "Cao Bằng")
    for row in rows[1:]:
        row[6] = "88/QĐ-UBND ngày 10/10/2024"  # still valid today
    run(write_xlsx(tmp_path / "ds.xlsx", rows))
    fields = ("product_id", "certificate_id", "stars", "starts_on", "ends_on", "province_id", "commune_id", "is_first")
    built_by_the_import = sorted(CertifiedSpan.objects.values_list(*fields))
    assert len(built_by_the_import) == 4
    spans_rebuild(Product.objects.values_list("pk", flat=True))
    assert sorted(CertifiedSpan.objects.values_list(*fields)) == built_by_the_import
    figures = certified_stats(scope=Scope.of(Province.objects.get(name="Cao Bằng")), on=dt.date.today())
    assert figures.products == 4 and figures.stars == {5: 1, 4: 2, 3: 1}


def _tone_mark_twins():
    """Two of today's communes of one province whose names differ only by tone marks ("Sơn Hà", "Sơn Hạ")."""
    from collections import defaultdict

    from ocop.core.text import vn_fold
    from ocop.geo.models import Commune

    by_key = defaultdict(list)
    for commune in Commune.objects.select_related("province").order_by("code"):
        by_key[(commune.province_id, vn_fold(commune.name))].append(commune)
    return next(pair for pair in by_key.values() if len({c.name for c in pair}) == 2 and len(pair) == 2)


def test_names_differing_only_by_tone_marks_are_never_guessed(tmp_path):
    from ocop.core.text import vn_fold
    from ocop.spreadsheets.addresses import AddressParts, AddressResolver

    first, second = _tone_mark_twins()
    province = first.province
    resolver = AddressResolver()
    for twin in (first, second):  # written with its marks: exactly that commune
        found = resolver.resolve(AddressParts(commune=twin.name, province=province.full_name))
        assert (found.status, found.commune) == ("ok", twin)
    bare = resolver.resolve(AddressParts(commune=vn_fold(first.name), province=vn_fold(province.full_name)))
    assert bare.status == "ambiguous" and set(bare.candidates) == {first, second}
    rows = [HEADER, [1, "Bánh gai", "HTX Bánh", f"Thôn 1, {vn_fold(first.name)}, {province.full_name}", "4 sao", 75,
                     "1/QĐ-UBND ngày 02/02/2024"]]  # fmt: skip
    session = run(write_xlsx(tmp_path / "twins.xlsx", rows))
    assert session.counts["review"] == 1
    assert Producer.objects.get().commune is None  # imported, the commune left to a person: never a guess
    item = ReviewItem.objects.get()
    assert set(item.candidates.all()) == {first, second}


@pytest.mark.parametrize("cap", [1000, 2])
def test_imported_products_are_found_ranked_and_counted_by_the_search(tmp_path, cao_bang_commune, monkeypatch, cap):
    """Import → search: the rows an import writes (PostgreSQL: COPY, its count table kept by triggers) are found,
    counted and ranked at once; cap 2 makes the query "frequent", read band by band on PostgreSQL."""
    from ocop.catalog import selectors

    monkeypatch.setattr(selectors, "RESULT_CAP", cap)
    run(write_xlsx(tmp_path / "ds.xlsx", rows_for(cao_bang_commune, "Cao Bằng"), title=TITLE))

    def found(query, **filters):
        result = selectors.product_search(filters={"q": query, **filters})
        return [p.name for p in result.products], result.count

    assert found("mat ong") == (["Mật ong bạc hà"], 1)
    names, count = found("hop tac xa")  # producers' names only: the "elsewhere" tier, by stars
    assert names[0] == "Chè Shan tuyết" and names[-1] == "Mật ong bạc hà" and len(names) == 4
    assert count == min(4, cap + 1)
    assert found("cao bang", stars=5) == (["Chè Shan tuyết"], 1)  # the place, with a filter
    # A corrected file raises a star level: the search follows at once.
    rows = rows_for(cao_bang_commune, "Cao Bằng", stars=("4 sao", "5 sao", "★★★★★", 4))
    run(write_xlsx(tmp_path / "ds2.xlsx", rows, title=TITLE))
    assert found("hop tac xa", stars=5)[1] == min(2, cap + 1)
