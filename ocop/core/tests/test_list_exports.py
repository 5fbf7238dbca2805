"""Every list an officer works from downloads as .xlsx and .csv with the page's own rows and filters: the same
people see the same rows in the file as on the screen, with Vietnamese intact."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from ocop.core.tests.test_access_matrix import world  # noqa: F401  (the fixture)
from ocop.evaluation.tests.conftest import cycle  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

# (URL name, args from the world, query, a header, a value the central office's file holds)
LISTS: list[tuple[str, str | None, dict[str, str], str, str]] = [
    ("evaluation:dossier-list", None, {}, "Trạng thái", "Miến dong Nguyên Bình"),
    ("market:inquiry-list", None, {}, "Người hỏi", "Miến dong Nguyên Bình"),
    ("market:demand-list", None, {}, "Sản phẩm cần mua", "Miến"),
    ("market:contract-list", None, {}, "Hệ thống bán lẻ", "WinMart"),
    ("market:sale-point-list", None, {}, "Tên điểm", "Điểm OCOP Cao Bằng"),
    ("market:fair-detail", "market:fair-detail", {}, "Loại gian hàng", "Hợp tác xã Miến dong Nguyên Bình"),
    ("accounts:people", None, {}, "Vai trò", "xa-cao-bang"),
]


def _rows(content: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


@pytest.mark.parametrize(("name", "args_of", "query", "header", "value"), LISTS, ids=[row[0] for row in LISTS])
def test_each_list_downloads_with_its_rows(client, world, name, args_of, query, header, value):  # noqa: F811
    client.force_login(world["people"]["central"])
    url = reverse(name, args=world["args"][args_of] if args_of else [])
    page = client.get(url, query)
    assert page.status_code == 200 and "xuat=xlsx" in page.content.decode()

    book = client.get(url, {**query, "xuat": "xlsx"})
    assert book.status_code == 200
    assert book["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _rows(book.content)
    assert header in rows[2]  # a title, a blank line, then the headers
    assert any(value in str(cell) for row in rows[3:] for cell in row)

    sheet = client.get(url, {**query, "xuat": "csv"})
    text = sheet.getvalue().decode("utf-8-sig")
    assert header in text.splitlines()[0] and value in text


def test_a_file_holds_only_what_its_reader_may_see(client, world):  # noqa: F811
    client.force_login(world["people"]["province"])  # Hà Nội's officer: Cao Bằng's dossiers are not hers
    for name in ("evaluation:dossier-list", "market:contract-list", "accounts:people"):
        text = client.get(reverse(name), {"xuat": "csv"}).getvalue().decode("utf-8-sig")
        assert "Miến dong" not in text and "WinMart" not in text and "xa-cao-bang" not in text
