"""The producer's workspace: its profile, products with photos, dossiers, inquiries and booth requests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ocop.catalog.tests.helpers import certified_product
from ocop.core.models import AuditEntry
from ocop.market import trade
from ocop.market.models import BoothType
from ocop.market.tests.factories import FairFactory
from ocop.producers.models import ProducerMembership

pytestmark = pytest.mark.django_db


def _world(producer_user, buyer, n: int):
    products = [certified_product(f"Chè Shan tuyết số {i}", stars=3 + i % 3) for i in range(n)]
    producer = products[0].producer
    for product in products[1:]:
        product.producer = producer
        product.save(update_fields=["producer"])
    ProducerMembership.objects.create(user=producer_user, producer=producer)
    fair = FairFactory(province=producer.province, starts_on=dt.date.today() + dt.timedelta(days=12))
    booths = BoothType.objects.create(fair=fair, name="Gian tiêu chuẩn", count=10)
    for product in products:
        trade.inquiry_send(product=product, buyer=buyer, name="Siêu thị Xanh", email="mua@example.vn", quantity=50,
                           unit="kg", message="Xin báo giá")  # fmt: skip
    trade.booth_request(booth_type=booths, producer=producer, products=products[:2], by=producer_user)
    return producer, products


def test_the_workspace_shows_everything_in_a_constant_number_of_queries(
    client, producer_user, buyer, django_assert_max_num_queries
):
    producer, products = _world(producer_user, buyer, 2)
    client.force_login(producer_user)
    with django_assert_max_num_queries(15) as few:
        page = client.get(reverse("site:workspace")).content.decode()
    for product in products:
        assert product.name in page and reverse("catalog:product-edit", args=[product.pk]) in page
    assert producer.name in page and "Gian tiêu chuẩn" in page and "Siêu thị Xanh" in page
    more = [certified_product(f"Miến dong {i}", producer=producer) for i in range(6)]
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("site:workspace")).content.decode()
    assert all(product.name in page for product in more)


def test_the_producer_edits_its_contact_but_not_its_legal_identity(client, producer_user, buyer, province_officer):
    producer, _ = _world(producer_user, buyer, 1)
    client.force_login(producer_user)
    url = reverse("site:workspace-producer", args=[producer.pk])
    response = client.post(url, {"name": "Tên khác", "kind": producer.kind, "tax_code": "0100000000",
                                 "representative": "Lò Thị Hoa", "phone": "0987654321", "email": "hoa@example.vn",
                                 "address": "Bản Phìn Hồ", "description": "Chè cổ thụ trên 100 năm."})  # fmt: skip
    assert response.status_code == 302
    producer.refresh_from_db()
    assert producer.representative == "Lò Thị Hoa" and producer.description == "Chè cổ thụ trên 100 năm."
    assert producer.name != "Tên khác" and producer.tax_code != "0100000000"
    assert AuditEntry.objects.filter(code="producers.producer.updated", object_id=str(producer.pk)).exists()
    response = client.post(url, {"representative": "X", "email": "not-an-address", "website": "javascript:alert(1)"})
    assert response.status_code == 400
    producer.refresh_from_db()
    assert producer.representative == "Lò Thị Hoa"
    # the province office of the producer's place corrects the name
    if province_officer.province_id == producer.province_id:
        client.force_login(province_officer)
        assert client.get(url).status_code == 200


def test_only_producers_have_a_workspace(client, buyer):
    client.force_login(buyer)
    assert client.get(reverse("site:workspace")).status_code == 403


def test_the_producer_reads_its_inspections_findings_the_public_does_not(client, producer_user, buyer,
                                                                          central_officer):  # fmt: skip
    import datetime as dt

    from ocop.office import services as office

    _producer, products = _world(producer_user, buyer, 1)
    certificate = products[0].certificates.get()
    office.inspection_save(by=central_officer, certificate=certificate, kind="planned", inspected_on=dt.date.today(),
                           outcome="remedy", remedy_by=dt.date.today() + dt.timedelta(days=30),
                           findings="Nhãn chưa ghi số giấy chứng nhận")  # fmt: skip
    client.force_login(producer_user)
    page = client.get(reverse("site:workspace")).content.decode()
    assert "Nhãn chưa ghi số giấy chứng nhận" in page and "Yêu cầu khắc phục" in page
    client.logout()
    public = client.get(reverse("certification:verify-detail", args=[certificate.verification_code])).content.decode()
    assert "Nhãn chưa ghi số giấy chứng nhận" not in public
