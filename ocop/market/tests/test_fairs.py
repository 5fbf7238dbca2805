"""The trade-promotion office announces a fair with booth types and prices, producers request booths, the office
decides; what was booked is kept when the fair is changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.tests.helpers import certified_product
from ocop.core.models import AuditEntry
from ocop.core.once import FIELD, new_form_token
from ocop.market.models import BoothBooking, BoothType, Fair
from ocop.producers.models import ProducerMembership

pytestmark = pytest.mark.django_db


def fair_post(province, *, booths, **extra):
    start = dt.date.today() + dt.timedelta(days=30)
    data = {FIELD: new_form_token(), "name": "Hội chợ OCOP Cao Bằng 2027", "organiser": "Trung tâm Xúc tiến thương mại",
            "place": "Quảng trường Cao Bằng", "province": province.pk, "starts_on": start.isoformat(),
            "ends_on": (start + dt.timedelta(days=4)).isoformat(),
            "registration_until": (start - dt.timedelta(days=10)).isoformat(), "description": "Gian hàng 3×3 m",
            "booth-TOTAL_FORMS": str(len(booths)), "booth-INITIAL_FORMS": "0", "booth-MIN_NUM_FORMS": "0",
            "booth-MAX_NUM_FORMS": "20", **extra}  # fmt: skip
    for index, (pk, name, count, price) in enumerate(booths):
        data.update({f"booth-{index}-id": pk or "", f"booth-{index}-name": name, f"booth-{index}-count": count,
                     f"booth-{index}-price": price})  # fmt: skip
    return data


def test_the_office_announces_a_fair_producers_request_and_the_office_decides(client, province_officer, cao_bang,
                                                                              commune):  # fmt: skip
    client.force_login(province_officer)
    assert reverse("market:fair-create") in client.get(reverse("market:fair-list")).content.decode()
    response = client.post(
        reverse("market:fair-create"),
        fair_post(cao_bang, booths=[(None, "Gian tiêu chuẩn 3×3 m", 2, 4_500_000), (None, "Gian góc", 1, 9_000_000)]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    fair = Fair.objects.get()
    assert fair.created_by == province_officer and fair.booth_types.count() == 2
    assert AuditEntry.objects.filter(code="market.fair.created").exists()

    product = certified_product("Miến dong Nguyên Bình", commune=commune)
    owner = UserFactory(username="htx-mien", role=User.Role.PRODUCER)
    ProducerMembership.objects.create(user=owner, producer=product.producer)
    standard = fair.booth_types.get(name="Gian tiêu chuẩn 3×3 m")
    client.force_login(owner)
    client.post(reverse("market:fair-detail", args=[fair.pk]), {FIELD: new_form_token(), "booth_type": standard.pk,
                                                                "producer": product.producer_id,
                                                                "products": [product.pk]})  # fmt: skip
    booking = BoothBooking.objects.get()
    client.force_login(province_officer)
    assert "Miến dong" in client.get(reverse("market:fair-detail", args=[fair.pk])).content.decode()
    client.post(reverse("market:booth-decide", args=[booking.pk]), {"accept": "1"})
    booking.refresh_from_db()
    assert booking.status == "accepted" and booking.booth_number == 1

    # changes keep what was booked
    corner = fair.booth_types.get(name="Gian góc")
    edit = reverse("market:fair-edit", args=[fair.pk])
    response = client.post(edit, fair_post(cao_bang, booths=[(standard.pk, "Gian tiêu chuẩn 3×3 m", 0, 4_500_000),
                                                             (corner.pk, "Gian góc", 1, 9_000_000)]))  # fmt: skip
    assert response.status_code == 400 and "1" in response.content.decode()
    response = client.post(edit, fair_post(cao_bang, booths=[(corner.pk, "Gian góc", 2, 8_000_000)]))
    assert response.status_code == 400  # the standard type has a request: it stays
    assert BoothType.objects.filter(pk=standard.pk).exists()
    response = client.post(edit, fair_post(cao_bang, booths=[(standard.pk, "Gian tiêu chuẩn 3×3 m", 30, 4_000_000)],
                                           name="Hội chợ OCOP và làng nghề Cao Bằng 2027"))  # fmt: skip
    assert response.status_code == 302
    fair.refresh_from_db()
    assert fair.name == "Hội chợ OCOP và làng nghề Cao Bằng 2027"
    assert list(fair.booth_types.values_list("name", "count", "price")) == [("Gian tiêu chuẩn 3×3 m", 30, 4_000_000)]
    assert AuditEntry.objects.get(code="market.fair.updated").changes["name"][1].startswith("Hội chợ OCOP và")


def test_fairs_refuse_bad_dates_no_booths_and_other_provinces(client, province_officer, cao_bang, ha_noi):
    client.force_login(province_officer)
    url = reverse("market:fair-create")
    start = dt.date.today() + dt.timedelta(days=30)
    bad = fair_post(cao_bang, booths=[(None, "Gian", 3, 0)], ends_on=(start - dt.timedelta(days=1)).isoformat())
    assert client.post(url, bad).status_code == 400
    assert client.post(url, fair_post(cao_bang, booths=[])).status_code == 400
    assert client.post(url, fair_post(ha_noi, booths=[(None, "Gian", 3, 0)])).status_code == 400  # not a choice
    assert client.post(url, fair_post(cao_bang, booths=[(None, "Gian", "", 0)])).status_code == 400
    assert not Fair.objects.exists()
    other = UserFactory(username="tinh-ha-noi", role=User.Role.PROVINCE_OFFICER, province=ha_noi)
    client.post(url, fair_post(cao_bang, booths=[(None, "Gian", 3, 0)]))
    fair = Fair.objects.get()
    client.force_login(other)
    assert client.get(reverse("market:fair-edit", args=[fair.pk])).status_code == 403
    client.force_login(UserFactory(username="htx", role=User.Role.PRODUCER))
    assert client.get(url).status_code == 403
