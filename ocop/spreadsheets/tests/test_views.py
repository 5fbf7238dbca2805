"""The import pages: upload, map, check and import in the background (the real database worker), review."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from python_calamine import CalamineWorkbook

from ocop.catalog.models import Product, SearchWord
from ocop.catalog.search import correct_query, parse_query
from ocop.geo.models import LegacyCommune
from ocop.spreadsheets.models import ImportSession, ReviewItem
from ocop.spreadsheets.tests.files import TITLE, write_xlsx
from ocop.spreadsheets.tests.test_import import HEADER, rows_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def cao_bang_commune():
    return (
        LegacyCommune.objects.select_related("district", "successor__province")
        .filter(district__province__name="Cao Bằng", successor__isnull=False)
        .order_by("code")[0]
    )


def upload(client, path, **data):
    with open(path, "rb") as fh:
        payload = {"file": SimpleUploadedFile(path.name, fh.read()), **data}
    return client.post(reverse("spreadsheets:import-list"), payload)


def confirm_columns(client, session):
    data = {f"col_{i}": v for i, v in session.mapping.items()}
    return client.post(reverse("spreadsheets:import-detail", args=[session.pk]), data)


def test_a_province_officer_uploads_checks_and_imports_in_the_background(
    client, province_officer, password, tmp_path, cao_bang_commune, work
):
    rows = rows_for(cao_bang_commune, "Cao Bằng")
    rows[2][4] = "6 sao"  # one bad row
    SearchWord.objects.create(word="khac", ndoc=1)  # PostgreSQL's typo vocabulary, as of before the import
    path = write_xlsx(tmp_path / "Danh sách OCOP 2021.xlsx", rows, title=TITLE)
    client.force_login(province_officer)

    response = upload(client, path, province=province_officer.province_id)
    session = ImportSession.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "spreadsheets:import-detail", args=[session.pk]
    )
    # The request only stored the file: the worker reads it while the page polls.
    assert session.status == ImportSession.Status.RECEIVED and not session.headers
    page = client.get(response["Location"]).content.decode()
    assert "Đang đọc tệp" in page and 'hx-trigger="every 1s"' in page and "Miến dong" not in page
    work()
    session.refresh_from_db()
    assert session.status == ImportSession.Status.UPLOADED and session.samples
    page = client.get(response["Location"]).content.decode()
    assert "Tên sản phẩm" in page and "Miến dong Nà Pồng" in page  # the columns with their first values

    confirm_columns(client, session)
    session.refresh_from_db()
    assert session.status == ImportSession.Status.CHECKING and session.task_id
    progress = client.get(reverse("spreadsheets:import-progress", args=[session.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in progress.content.decode() and "HX-Refresh" not in progress

    work()
    session.refresh_from_db()
    assert session.status == ImportSession.Status.VALIDATED
    assert session.counts == {"new": 3, "updated": 0, "unchanged": 0, "rejected": 1, "review": 0}
    assert Product.objects.count() == 0  # checking writes nothing
    progress = client.get(reverse("spreadsheets:import-progress", args=[session.pk]), HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"  # the page reloads to show the outcome
    page = client.get(reverse("spreadsheets:import-detail", args=[session.pk])).content.decode()
    assert "Dòng 7, cột “Hạng sao”: “6 sao” không hợp lệ" in page

    rejected = client.get(reverse("spreadsheets:import-rejected", args=[session.pk]))
    assert rejected["Content-Disposition"] == 'attachment; filename="danh-sach-ocop-2021-loi.xlsx"'
    content = b"".join(rejected.streaming_content)  # the workbook the check wrote, not a re-read of the list
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert sheet[0][-1] == "Lỗi" and sheet[1][4] == "6 sao" and "Hạng sao" in sheet[1][-1]
    assert len(sheet) == 2

    client.post(reverse("spreadsheets:import-commit", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == ImportSession.Status.COMMITTING
    work()
    session.refresh_from_db()
    assert session.status == ImportSession.Status.COMMITTED and session.progress == 100
    assert Product.objects.count() == 3
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 3  # read, check, import
    # The imported names reach the search's typo fallback at once (PostgreSQL rebuilds its vocabulary after an
    # import; SQLite reads the index's own).
    assert correct_query(parse_query("mien dongg")).words == ("mien", "dong")

    # A second "import" of the same session is refused with a message, not run twice.
    response = client.post(reverse("spreadsheets:import-commit", args=[session.pk]), follow=True)
    assert "Lần nhập này đã được ghi vào hệ thống" in response.content.decode()
    assert Product.objects.count() == 3


def test_uploads_that_are_not_lists_are_refused_with_a_message_and_nothing_is_stored(
    client, province_officer, tmp_path
):
    client.force_login(province_officer)
    bad = tmp_path / "anh.xlsx"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"IHDR" * 50)
    response = upload(client, bad, province=province_officer.province_id)
    assert response.status_code == 200
    assert "không phải là bảng tính" in response.content.decode()
    empty = tmp_path / "trong.csv"
    empty.write_bytes(b"")
    response = upload(client, empty, province=province_officer.province_id)
    assert response.status_code == 200 and "Tệp trống" in response.content.decode()
    assert not ImportSession.objects.exists()


def test_a_province_officer_cannot_import_into_or_open_another_province(
    client, province_officer, central_officer, ha_noi, tmp_path, cao_bang_commune
):
    path = write_xlsx(tmp_path / "ds.xlsx", rows_for(cao_bang_commune, "Cao Bằng"))
    client.force_login(province_officer)
    response = upload(client, path, province=ha_noi.pk)
    assert response.status_code == 200 and not ImportSession.objects.exists()  # not a choice they have
    client.force_login(central_officer)
    upload(client, path, province=ha_noi.pk)
    session = ImportSession.objects.get()
    client.force_login(province_officer)
    assert client.get(reverse("spreadsheets:import-detail", args=[session.pk])).status_code == 403
    assert client.post(reverse("spreadsheets:import-check", args=[session.pk])).status_code == 403
    assert client.get(reverse("spreadsheets:import-list")).content.decode().count("ds.xlsx") == 0


def test_buyers_and_anonymous_visitors_cannot_reach_imports(client, buyer):
    assert client.get(reverse("spreadsheets:import-list")).status_code == 302  # to the login page
    client.force_login(buyer)
    assert client.get(reverse("spreadsheets:import-list")).status_code == 403


def test_importing_before_checking_is_refused(client, province_officer, tmp_path, cao_bang_commune, work):
    client.force_login(province_officer)
    upload(client, write_xlsx(tmp_path / "ds.xlsx", rows_for(cao_bang_commune, "Cao Bằng")),
           province=province_officer.province_id)  # fmt: skip
    session = ImportSession.objects.get()
    response = client.post(reverse("spreadsheets:import-commit", args=[session.pk]), follow=True)
    assert "Tệp chưa được đọc xong" in response.content.decode()  # still being read
    work()
    response = client.post(reverse("spreadsheets:import-commit", args=[session.pk]), follow=True)
    assert "Hãy kiểm tra tệp trước khi nhập" in response.content.decode()
    assert DBTaskResult.objects.count() == 1  # the reading only


def test_a_mapping_without_the_product_column_is_refused(client, province_officer, tmp_path, cao_bang_commune, work):
    client.force_login(province_officer)
    upload(client, write_xlsx(tmp_path / "ds.xlsx", rows_for(cao_bang_commune, "Cao Bằng")),
           province=province_officer.province_id)  # fmt: skip
    work()
    session = ImportSession.objects.get()
    data = {f"col_{i}": v for i, v in session.mapping.items() if v != "product_name"}
    response = client.post(reverse("spreadsheets:import-detail", args=[session.pk]), data)
    assert response.status_code == 200 and "Tên sản phẩm" in response.content.decode()
    session.refresh_from_db()
    assert session.status == ImportSession.Status.UPLOADED and DBTaskResult.objects.count() == 1


def test_rows_of_a_split_commune_are_resolved_by_a_person_then_imported(client, central_officer, tmp_path, work):
    split = (
        LegacyCommune.objects.select_related("district__province").filter(successor__isnull=True).order_by("code")[0]
    )
    address = f"{split.name}, {split.district.name}, {split.district.province.name}"
    rows = [HEADER, [1, "Bánh chưng", "HTX Bánh", address, "4 sao", 75, "1/QĐ-UBND ngày 02/02/2022"]]
    client.force_login(central_officer)
    upload(client, write_xlsx(tmp_path / "split.xlsx", rows))
    work()
    session = ImportSession.objects.get()
    confirm_columns(client, session)
    work()
    client.post(reverse("spreadsheets:import-commit", args=[session.pk]))
    work()
    item = ReviewItem.objects.get()
    page = client.get(reverse("spreadsheets:import-detail", args=[session.pk])).content.decode()
    assert "Bánh chưng" in page and item.address in page
    # A commune that is not one of the split's successors is refused.
    outsider = item.candidates.model.objects.exclude(pk__in=item.candidates.all()).first()
    client.post(reverse("spreadsheets:review-resolve", args=[session.pk, item.pk]), {"commune": outsider.pk})
    item.refresh_from_db()
    assert item.resolved_commune is None
    chosen = item.candidates.order_by("code")[1]
    # Post the value the page offers (ids above 999 must not be rendered as "1.234").
    offered = re.search(rf'<option value="([^"]+)"[^>]*>{re.escape(chosen.name)},', page).group(1)
    assert offered == str(chosen.pk)
    client.post(reverse("spreadsheets:review-resolve", args=[session.pk, item.pk]), {"commune": offered})
    client.post(reverse("spreadsheets:review-commit", args=[session.pk]))
    assert ReviewItem.objects.exists()  # queued: the worker reads the file again, not the request
    work()
    product = Product.objects.get()
    assert product.producer.commune == chosen
    assert not ReviewItem.objects.exists()
    session.refresh_from_db()
    assert session.counts["review"] == 0 and session.counts["new"] == 1


def test_the_import_list_query_count_does_not_grow_with_imports(
    client, central_officer, tmp_path, cao_bang_commune, django_assert_max_num_queries
):
    client.force_login(central_officer)
    path = write_xlsx(tmp_path / "ds.xlsx", rows_for(cao_bang_commune, "Cao Bằng"))
    for _ in range(3):
        upload(client, path)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("spreadsheets:import-list")).status_code == 200
    for _ in range(5):
        upload(client, path)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("spreadsheets:import-list")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_five_identical_uploads_sent_at_once_make_one_import(tmp_path):
    from django.core.management import call_command

    from ocop.accounts.models import User
    from ocop.accounts.tests.factories import UserFactory
    from ocop.core.once import FIELD, new_form_token
    from ocop.core.tests.concurrency import at_once
    from ocop.geo.models import Province

    call_command("load_reference", verbosity=0)
    cao_bang = Province.objects.get(code="04")
    officer = UserFactory(username="tinh-5-lan", role=User.Role.PROVINCE_OFFICER, province=cao_bang)
    old = LegacyCommune.objects.filter(district__province__name="Cao Bằng", successor__isnull=False).first()
    path = write_xlsx(tmp_path / "ds.xlsx", rows_for(old, "Cao Bằng"), title=TITLE)
    content, token = path.read_bytes(), new_form_token()

    def post(client):
        client.force_login(officer)
        upload = SimpleUploadedFile("ds.xlsx", content)
        return client.post(reverse("spreadsheets:import-list"), {"file": upload, "province": cao_bang.pk, FIELD: token})

    codes = at_once(5, post)
    assert ImportSession.objects.count() == 1
    assert sorted(codes) == [302] * 5


def test_a_hostile_workbook_is_only_stored_by_the_request_and_refused_by_the_worker(
    client, province_officer, tmp_path, work
):
    from ocop.core.tests.test_bounded_reading import sparse_workbook

    client.force_login(province_officer)
    sparse = sparse_workbook(tmp_path / "ds.xlsx", (1048575, 199))  # 1.7 KB declaring 200 × 1,048,576 cells
    response = upload(client, sparse, province=province_officer.province_id)
    assert response.status_code == 302  # stored, not read
    session = ImportSession.objects.get()
    assert session.status == ImportSession.Status.RECEIVED
    work()
    session.refresh_from_db()
    assert session.status == ImportSession.Status.FAILED and not session.headers
    page = client.get(reverse("spreadsheets:import-detail", args=[session.pk])).content.decode()
    assert "Không đọc được tệp" in page and session.message in page
    assert "Tải lên tệp đã sửa" in page and "<select" not in page  # no column mapping for an unread file
    # Checking an unread file is refused with a reason, and queues nothing.
    response = client.post(reverse("spreadsheets:import-check", args=[session.pk]), follow=True)
    assert "Tệp chưa được đọc xong" in response.content.decode()
    assert DBTaskResult.objects.count() == 1
