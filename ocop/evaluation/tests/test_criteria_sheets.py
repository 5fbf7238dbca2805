"""Officers complete and revise criteria sets as spreadsheets: download, edit, upload a new version."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from python_calamine import CalamineWorkbook

from ocop.evaluation.models import CriteriaSet
from ocop.spreadsheets.tests.files import write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    call_command("load_criteria", stdout=io.StringIO())


def download(client, criteria_set) -> list[list]:
    response = client.get(reverse("evaluation:criteria-set-detail", args=[criteria_set.pk]), {"format": "xlsx"})
    assert response.status_code == 200
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()


def upload(client, criteria_set, rows, tmp_path, source="Quyết định 148/QĐ-TTg, Phụ lục II"):
    path = write_xlsx(tmp_path / "bo-tieu-chi.xlsx", rows)
    return client.post(
        reverse("evaluation:criteria-set-detail", args=[criteria_set.pk]),
        {"file": SimpleUploadedFile(path.name, path.read_bytes()), "source": source},
        follow=True,
    )


def test_an_officer_completes_a_148_set_from_its_spreadsheet(client, loaded, central_officer, tmp_path):
    client.force_login(central_officer)
    incomplete = CriteriaSet.objects.get(code="148-I.1.b")
    rows = download(client, incomplete)
    header_index = next(i for i, row in enumerate(rows) if row and row[0] == "Phần")
    sections = rows[header_index + 1 :]
    assert [row[3] for row in sections] == ["A1", "A2", "A3", "B4", "B5", "C1", "C2", "C3"]
    points = {"A1": 15, "A2": 15, "A3": 10, "B4": 15, "B5": 10, "C1": 15, "C2": 10, "C3": 10}
    completed = [rows[header_index]]
    for row in sections:
        section = row[3]
        completed.append([*row[:6], f"{section}.1", f"Tiêu chí {section}", "", "Chưa đạt", 0, None, None])
        completed.append([*row[:6], f"{section}.1", f"Tiêu chí {section}", "", "Đạt", points[section], None, None])
    page = upload(client, incomplete, completed, tmp_path).content.decode()
    new = CriteriaSet.objects.filter(code="148-I.1.b").order_by("-version").first()
    assert new.version == 2 and new.complete, page
    assert CriteriaSet.objects.get(code="148-I.1.b", version=1).complete is False  # the old version is kept


def test_an_unchanged_sheet_stores_nothing_and_a_changed_one_a_new_version(client, loaded, central_officer, tmp_path):
    client.force_login(central_officer)
    fresh = CriteriaSet.objects.get(code="1048-1.1")
    rows = download(client, fresh)
    upload(client, fresh, rows, tmp_path, source=fresh.source)
    assert CriteriaSet.objects.filter(code="1048-1.1").count() == 1
    # Lower one option: still valid (parts may sum below their maximum? no: incomplete but valid).
    header_index = next(i for i, row in enumerate(rows) if row and row[0] == "Phần")
    row = rows[header_index + 1]
    row[10] = 0.5
    upload(client, fresh, rows, tmp_path)
    assert CriteriaSet.objects.filter(code="1048-1.1").count() == 2


def test_a_sheet_breaking_the_rules_is_refused_with_the_reason(client, loaded, central_officer, tmp_path):
    client.force_login(central_officer)
    fresh = CriteriaSet.objects.get(code="1048-1.1")
    rows = download(client, fresh)
    header_index = next(i for i, row in enumerate(rows) if row and row[0] == "Phần")
    rows[header_index + 1][10] = 30  # an option far above its part's maximum
    page = upload(client, fresh, rows, tmp_path).content.decode()
    assert "vượt mức tối đa" in page
    rows[header_index + 1][10] = "nhiều"
    page = upload(client, fresh, rows, tmp_path).content.decode()
    assert "không phải là số" in page
    assert CriteriaSet.objects.filter(code="1048-1.1").count() == 1


def test_only_officers_revise_sets(client, loaded, producer_user, tmp_path):
    client.force_login(producer_user)
    fresh = CriteriaSet.objects.get(code="1048-1.1")
    assert client.get(reverse("evaluation:criteria-set-list")).status_code == 200
    response = upload(client, fresh, [["Phần"]], tmp_path)
    assert response.status_code == 403


def test_a_bad_star_level_in_a_condition_is_a_message_not_a_500(client, loaded, central_officer, tmp_path):
    client.force_login(central_officer)
    fresh = CriteriaSet.objects.get(code="1048-1.1")
    rows = download(client, fresh)
    header_index = next(i for i, row in enumerate(rows) if row and row[0] == "Phần")
    rows[header_index + 1][11] = 1
    rows[header_index + 1][12] = "sáu"
    response = upload(client, fresh, rows, tmp_path)
    assert response.status_code == 200 and "không phải là số" in response.content.decode()
    rows[header_index + 1][12] = 7
    assert "hạng sao từ 1 đến 5" in upload(client, fresh, rows, tmp_path).content.decode()
    assert CriteriaSet.objects.filter(code="1048-1.1").count() == 1


def test_the_criteria_set_list_query_count_does_not_grow(client, central_officer, django_assert_max_num_queries):
    from ocop.catalog.models import Regime
    from ocop.evaluation.tests.helpers import complete_test_set

    client.force_login(central_officer)
    complete_test_set(Regime.D148_2023)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("evaluation:criteria-set-list")).status_code == 200
    call_command("load_criteria", stdout=io.StringIO())
    with django_assert_max_num_queries(6):
        page = client.get(reverse("evaluation:criteria-set-list")).content.decode()
    assert page.count("<tr>") == 29  # the header and 28 sets
