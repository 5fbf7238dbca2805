"""The trade-promotion office records its display-and-sale points: place, hours, map position and the province's
certified products on the shelves; they appear on the public list and map."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.tests.helpers import certified_product
from ocop.core.models import AuditEntry
from ocop.core.once import FIELD, new_form_token
from ocop.market.models import SalePoint

pytestmark = pytest.mark.django_db


def point_post(province, place, **extra):
    return {FIELD: new_form_token(), "action": "save", "name": "Điểm giới thiệu sản phẩm OCOP Cao Bằng",
            "operator": "Trung tâm Xúc tiến thương mại", "province": province.pk, "commune": place.pk,
            "address": "Số 1 Kim Đồng", "opening_hours": "7:30–21:00 hằng ngày", "phone": "0206 3852 111",
            "lat": "22.6657", "lon": "106.2570", **extra}  # fmt: skip


def test_the_office_records_a_sale_point_with_its_products(client, province_officer, cao_bang, commune, ha_noi):
    mien = certified_product("Miến dong Nguyên Bình", commune=commune)
    expired = certified_product("Bánh cuốn", commune=commune, status="expired")
    elsewhere = certified_product("Chè Tân Cương")
    client.force_login(province_officer)
    form = client.get(reverse("market:sale-point-create")).content.decode()
    assert mien.name in form and expired.name not in form and elsewhere.name not in form
    assert commune.name in form  # the officer's only province: its communes are listed at once
    response = client.post(reverse("market:sale-point-create"), point_post(cao_bang, commune, products=[mien.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    point = SalePoint.objects.get()
    assert list(point.products.all()) == [mien] and point.lat == pytest.approx(22.6657)
    assert AuditEntry.objects.filter(code="market.salepoint.created").exists()
    page = client.get(reverse("market:sale-point-list"), {"tinh": cao_bang.code}).content.decode()
    assert "Điểm giới thiệu sản phẩm OCOP Cao Bằng" in page and reverse("market:sale-point-edit",
                                                                         args=[point.pk]) in page  # fmt: skip

    edit = reverse("market:sale-point-edit", args=[point.pk])
    for bad in ({"lat": "48.85", "lon": "2.35"}, {"lat": "22.6", "lon": ""}, {"products": [elsewhere.pk]},
                {"commune": 999999}, {"opened_on": "2026-05-01", "closed_on": "2026-01-01"}):  # fmt: skip
        response = client.post(edit, point_post(cao_bang, commune, **bad))
        assert response.status_code == 400, bad
    point.refresh_from_db()
    assert point.lat == pytest.approx(22.6657)  # nothing saved is lost
    response = client.post(edit, point_post(cao_bang, commune, opening_hours="8:00–20:00", products=[]))
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.opening_hours == "8:00–20:00" and not point.products.exists()

    other = UserFactory(username="tinh-hn", role=User.Role.PROVINCE_OFFICER, province=ha_noi)
    client.force_login(other)
    assert client.get(edit).status_code == 403
    assert client.post(reverse("market:sale-point-create"), point_post(cao_bang, commune)).status_code == 400
    client.force_login(UserFactory(username="mua", role=User.Role.BUYER))
    assert client.get(reverse("market:sale-point-create")).status_code == 403
