"""Batch work of the officers: one decision revokes several certificates (all or none), everyone on the expiring
list is reminded at once, and the list is exported."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.urls import reverse
from python_calamine import CalamineWorkbook

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.tests.helpers import certified_product
from ocop.certification.models import Certificate
from ocop.core.models import Notification
from ocop.geo.models import Commune
from ocop.producers.models import ProducerMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def lai_chau():
    commune = Commune.objects.select_related("province").get(name="Xã Khun Há")
    officer = UserFactory(username="tinh-lai-chau", role=User.Role.PROVINCE_OFFICER, province=commune.province)
    return commune, officer


def _numbers(*products) -> list[str]:
    return [Certificate.objects.get(product=product).number for product in products]


def test_one_decision_revokes_two_certificates_or_none(client, lai_chau, province_officer):
    _commune, officer = lai_chau
    first, second = certified_product("Chè Tà Xùa", stars=4), certified_product("Gạo Séng Cù", stars=3)
    owner = UserFactory(username="htx-khun-ha", role=User.Role.PRODUCER)
    ProducerMembership.objects.create(user=owner, producer=first.producer)
    elsewhere = certified_product("Miến dong", commune=Commune.objects.filter(province=province_officer.province)
                                  .first())  # fmt: skip
    url = reverse("certificates-revoke")
    decision = {"decision_number": "12/QĐ-UBND", "revoked_on": dt.date.today().strftime("%d/%m/%Y"),
                "reason": "Sản phẩm không duy trì chất lượng theo tiêu chuẩn đã công bố"}  # fmt: skip
    client.force_login(officer)
    # one foreign number: nothing is revoked, the number is named
    a, b = _numbers(first, second)
    (c,) = _numbers(elsewhere)
    response = client.post(url, {**decision, "numbers": f"{a}\n{b}, {c}"})
    assert response.status_code == 400 and c in response.content.decode()
    assert not Certificate.objects.filter(status="revoked").exists()
    response = client.post(url, {**decision, "numbers": f"{a}\nKHÔNG-CÓ-SỐ-NÀY"})
    assert response.status_code == 400 and "KHÔNG-CÓ-SỐ-NÀY" in response.content.decode()
    response = client.post(url, {**decision, "numbers": f"  {a} \n\n{b}\n{a}"})
    assert response.status_code == 302
    revoked = Certificate.objects.filter(status="revoked")
    assert sorted(revoked.values_list("number", flat=True)) == sorted([a, b])
    assert set(revoked.values_list("revocation_decision", flat=True)) == {"12/QĐ-UBND"}
    first.refresh_from_db()
    assert first.certificate_status == "revoked"
    assert Notification.objects.filter(user=owner, kind="certificate", title__contains="12/QĐ-UBND").exists()
    page = client.get(reverse("certification:verify-detail", args=[Certificate.objects.get(number=a)
                                                                    .verification_code])).content.decode()  # fmt: skip
    assert "12/QĐ-UBND" in page
    response = client.post(url, {**decision, "numbers": a})
    assert response.status_code == 400  # already revoked
    client.force_login(province_officer)  # another province's officer may open the page but not revoke these
    assert client.post(url, {**decision, "numbers": b}).status_code == 400


def test_officers_remind_everyone_on_the_expiring_list_and_export_it(client, lai_chau, work,
                                                                    django_capture_on_commit_callbacks):  # fmt: skip
    _commune, officer = lai_chau
    officer.email = "tinh@example.vn"
    officer.save()
    soon = [certified_product(f"Mật ong {i}", issued_on=dt.date.today() - dt.timedelta(days=36 * 30 - 20))
            for i in range(3)]  # fmt: skip
    later = certified_product("Chè xanh", issued_on=dt.date.today() - dt.timedelta(days=400))
    owner = UserFactory(username="htx-mat-ong", role=User.Role.PRODUCER, email="htx@example.vn")
    ProducerMembership.objects.create(user=owner, producer=soon[0].producer)
    client.force_login(officer)
    url = reverse("certificates-expiring")
    page = client.get(url, {"ngay": 60}).content.decode()
    assert all(p.name in page for p in soon) and later.name not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"ngay": 60})
    assert response.status_code == 302
    work()
    assert len(mail.outbox) == 3 and all("tinh@example.vn" in m.to for m in mail.outbox)
    assert Notification.objects.filter(user=owner, kind="certificate").exists()
    assert Certificate.objects.filter(expiry_reminded_on=dt.date.today()).count() == 3
    export = client.get(url, {"ngay": 60, "xuat": "xlsx"})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    values = [cell for row in rows for cell in row]
    assert all(p.name in values for p in soon) and later.name not in values
    assert client.get(url, {"ngay": "abc"}).status_code == 200  # a bad window falls back to the default
    # a producer may read its own list but not remind anyone
    client.force_login(owner)
    client.post(url, {"ngay": 60})
    assert Certificate.objects.filter(expiry_reminded_on__isnull=False).count() == 3


def test_the_expiring_list_takes_a_constant_number_of_queries(client, lai_chau, django_assert_max_num_queries):
    _commune, officer = lai_chau
    issued = dt.date.today() - dt.timedelta(days=36 * 30 - 20)
    certified_product("Trà 0", issued_on=issued)
    client.force_login(officer)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("certificates-expiring"))
    for i in range(1, 8):
        certified_product(f"Trà {i}", issued_on=issued)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Trà 7" in client.get(reverse("certificates-expiring")).content.decode()
