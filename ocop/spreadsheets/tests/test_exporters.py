import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from ocop.catalog.tests.helpers import certified_product
from ocop.spreadsheets.exporters import RejectedRowsExporter

pytestmark = pytest.mark.django_db


def read_xlsx(content: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_the_catalog_exports_the_same_products_as_the_page_with_provincial_headers(client):
    certified_product("Bánh chưng Tranh Khúc", stars=4)
    certified_product("Bánh chưng Bờ Đậu", stars=5)
    certified_product("Chè Shan tuyết", stars=3)
    response = client.get(reverse("site:product-export", args=["xlsx"]), {"q": "banh chung"})
    assert response["Content-Disposition"].startswith('attachment; filename="san-pham-ocop-')
    rows = read_xlsx(response.content)
    header_index = next(i for i, row in enumerate(rows) if row and row[0] == "STT")
    header, data = rows[header_index], rows[header_index + 1 :]
    assert header[:3] == ["STT", "Tên sản phẩm", "Chủ thể"]
    assert [row[1] for row in data] == ["Bánh chưng Bờ Đậu", "Bánh chưng Tranh Khúc"]  # the page's order
    assert data[0][header.index("Hạng sao")] == 5
    assert data[0][header.index("Tình trạng")] == "Còn hiệu lực"


def test_the_csv_export_is_utf8_with_a_bom_for_excel(client):
    certified_product("Mật ong bạc hà Đồng Văn")
    content = client.get(reverse("site:product-export", args=["csv"])).getvalue()
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    assert "Mật ong bạc hà Đồng Văn" in text
    assert text.splitlines()[0].startswith("STT,Tên sản phẩm,Chủ thể")


def test_an_unknown_export_format_is_not_found(client):
    assert client.get("/san-pham/xuat.pdf").status_code == 404


def test_rejected_rows_come_back_with_a_loi_column():
    exporter = RejectedRowsExporter(["STT", "Tên sản phẩm", "Hạng sao"], [([1, "Bánh cuốn", "6 sao"], "Dòng 2: sai")])
    rows = read_xlsx(exporter.to_xlsx())
    assert rows[0] == ["STT", "Tên sản phẩm", "Hạng sao", "Lỗi"]
    assert rows[1] == [1.0, "Bánh cuốn", "6 sao", "Dòng 2: sai"]


def test_a_csv_download_is_streamed_a_chunk_of_rows_at_a_time():
    from ocop.certification.exporters import ProductListExporter

    rows = [{"name": f"Sản phẩm {i}", "producer": "HTX", "kind": "cooperative", "address": "", "commune": "",
             "province_full": "Tỉnh Cao Bằng", "province": "Cao Bằng", "category_code": "I.2.b", "category": "Mật ong",
             "stars": 3, "certificate_status": "valid"} for i in range(2500)]  # fmt: skip
    chunks = list(ProductListExporter(rows).iter_csv(rows_per_chunk=1000))
    assert len(chunks) == 3 and chunks[0].startswith("\ufeff".encode())
    text = b"".join(chunks).decode("utf-8-sig")
    assert len(text.splitlines()) == 2501 and "Sản phẩm 2499" in text
