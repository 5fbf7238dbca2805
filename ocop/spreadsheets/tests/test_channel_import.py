"""Bulk import of sales channels from a list as trade-promotion offices keep it: rows applied or reported by row
number, the same list twice changes nothing, products found only in the officer's province, and the channels
reach the catalog and the statistics."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.models import Product
from ocop.catalog.tests.helpers import certified_product
from ocop.certification.models import Certificate
from ocop.dashboards.selectors.activity import channel_stats
from ocop.geo.models import Commune
from ocop.geo.scope import Scope
from ocop.market.models import SalesChannel
from ocop.producers.tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db


def _book(rows: list[list]) -> bytes:
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer) as workbook:
        sheet = workbook.add_worksheet()
        sheet.write(0, 0, "DANH SÁCH SẢN PHẨM OCOP THAM GIA SÀN THƯƠNG MẠI ĐIỆN TỬ NĂM 2025")
        for r, row in enumerate(rows, start=2):
            sheet.write_row(r, 0, row)
    return buffer.getvalue()


HEADER = ["STT", "Tên sản phẩm", "Tên chủ thể", "Số GCN", "Sàn TMĐT", "Link gian hàng", "Ngày lên sàn"]


@pytest.fixture
def world():
    tea = certified_product("Chè Shan tuyết cổ thụ", stars=4)
    honey = certified_product(
        "Mật ong bạc hà",
        producer=ProducerFactory(name="HTX Ong mật Đồng Văn", commune=tea.producer.commune, province=tea.province),
    )
    twin = certified_product(
        "Mật ong bạc hà",
        producer=ProducerFactory(  # another producer, the same name
            name="Hộ kinh doanh Lò Văn Sáng", commune=tea.producer.commune, province=tea.province
        ),
    )
    highlands = Commune.objects.exclude(province=tea.province).order_by("code").first()
    elsewhere = certified_product("Cà phê Arabica", stars=4, commune=highlands, province=highlands.province)
    officer = UserFactory(role=User.Role.PROVINCE_OFFICER, province=tea.province)
    return {"tea": tea, "honey": honey, "twin": twin, "elsewhere": elsewhere, "officer": officer}


def _upload(client, content: bytes, name="san-tmdt.xlsx", **data):
    return client.post(reverse("spreadsheets:channel-import"),
                       {"file": SimpleUploadedFile(name, content), **data})  # fmt: skip


def test_a_platform_list_is_applied_row_by_row_and_a_second_upload_changes_nothing(client, world):
    tea, honey, twin = world["tea"], world["honey"], world["twin"]
    number = Certificate.objects.get(product=tea).number
    rows = [HEADER,
            [1, "Chè Shan tuyết cổ thụ", "", number.lower().replace("-", "- ", 1), "Shopee",
             "shopee.vn/che-shan-tuyet", "01/03/2025"],
            [2, "Mat ong bac ha", honey.producer.name, "", "Lazada", "https://lazada.vn/mat-ong", "15/04/2025"],
            [3, "Mật ong bạc hà", "", "", "Tiki", "https://tiki.vn/mat-ong", ""],
            [4, "Cà phê Arabica", "", "", "Shopee", "https://shopee.vn/ca-phe", ""],
            [5, "Chè Shan tuyết cổ thụ", "", "", "Sendo", "", ""],
            [6, "Chè Shan tuyết cổ thụ", "", "", "Postmart", "https://postmart.vn/che", "31/02/2025"],
            [],
            [8, "Chè Shan tuyết cổ thụ", "", "", "Co.opmart", "", ""]]  # fmt: skip
    client.force_login(world["officer"])
    response = _upload(client, _book(rows))
    assert response.status_code == 200
    result = response.context["result"]
    assert result.counts == {"new": 3, "updated": 0, "unchanged": 0, "rejected": 4}
    reasons = {o.row: o.reason for o in result.rejected}
    assert set(reasons) == {6, 7, 8, 9}  # the title is row 1, the header row 3, the first product row 4
    assert "2" in reasons[6] and "Mật ong bạc hà" in reasons[6]  # two products share the name
    assert "Cà phê Arabica" in reasons[7]  # another province's product is not found
    assert "link" in reasons[8] or "liên kết" in reasons[8] or "đường dẫn" in reasons[8]
    assert "dd/mm/yyyy" in reasons[9]
    shopee = SalesChannel.objects.get(product=tea, name="Shopee")
    assert (shopee.kind, shopee.url, shopee.since) == ("ecommerce", "https://shopee.vn/che-shan-tuyet",
                                                       dt.date(2025, 3, 1))  # fmt: skip
    assert SalesChannel.objects.get(product=honey).name == "Lazada"
    assert SalesChannel.objects.get(product=tea, name="Co.opmart").kind == "retail"  # a chain's name says so
    assert not SalesChannel.objects.filter(product=twin).exists()
    assert Product.objects.get(pk=tea.pk).has_ecommerce
    stats = channel_stats(scope=Scope.nation(), on=dt.date.today())
    assert stats.ecommerce == 2 and stats.retail == 1

    again = _upload(client, _book(rows)).context["result"]
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 3, "rejected": 4}
    assert SalesChannel.objects.count() == 3
    rows[1][5] = "https://shopee.vn/che-shan-tuyet-moi"
    assert _upload(client, _book(rows)).context["result"].counts["updated"] == 1


@pytest.mark.parametrize(
    ("content", "name", "problem"),
    [
        (b"%PDF-1.4\x00\x01 not a sheet", "ds.xlsx", "bảng tính"),
        (b"", "ds.csv", "rỗng"),
        ("STT,Ghi chú\n1,Không có cột sản phẩm\n".encode(), "ds.csv", "Tên sản phẩm"),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_with_its_reason(client, world, content, name, problem):
    client.force_login(world["officer"])
    response = _upload(client, content, name=name)
    assert response.status_code == 400
    assert problem in " ".join(response.context["form"].errors["file"]), response.context["form"].errors
    assert not SalesChannel.objects.exists()


def test_a_csv_with_a_kind_column_and_the_sample_sheet(client, world):
    client.force_login(world["officer"])
    csv = ("Tên sản phẩm,Loại kênh,Hệ thống bán lẻ,Số cửa hàng,Từ ngày\n"
           "Chè Shan tuyết cổ thụ,Siêu thị,Big C,1.200,01/01/2025\n"
           "Chè Shan tuyết cổ thụ,Xuất khẩu,Nhật Bản,,\n").encode("utf-8-sig")  # fmt: skip
    result = _upload(client, csv, name="kenh.csv").context["result"]
    assert result.counts["new"] == 2
    assert SalesChannel.objects.get(name="Big C").stores == 1200
    assert SalesChannel.objects.get(name="Nhật Bản").kind == "export"
    sample = client.get(reverse("spreadsheets:channel-import"), {"mau": "xlsx"})
    assert sample["Content-Type"].startswith("application/vnd.openxmlformats")
