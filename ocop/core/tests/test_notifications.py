"""The notification centre: each workflow event reaches the people concerned in the app (an unread count in the
header) and by e-mail through the task queue, unless they turned that kind off."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.tests.helpers import certified_product
from ocop.core.models import Notification
from ocop.evaluation import services
from ocop.evaluation.tests.conftest import cycle  # noqa: F401  (the fixture)
from ocop.evaluation.tests.test_services import TODAY, new_dossier, self_assess_all
from ocop.market import trade
from ocop.producers.models import ProducerMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def titles(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_the_dossier_steps_reach_the_commune_the_council_and_the_producer(
    client,
    cycle,  # noqa: F811
    commune_officer,
    settings,
    work,
    committed,
):
    settings.OCOP_SITE_URL = "https://ocop.example.vn"  # e-mails sent outside a request take the configured address
    owner = cycle["owner"]
    owner.email, commune_officer.email = "htx@example.vn", "xa@example.vn"
    owner.save()
    commune_officer.save()
    assert any("Bạn là thành viên “Hội đồng OCOP tỉnh Cao Bằng”" in t for t in titles(cycle["members"][0]))  # appointed
    client.force_login(owner)
    client.post(reverse("core:notifications"), {"action": "settings", "email": ["trade", "certificate"]})  # no dossier
    dossier = new_dossier(cycle)
    self_assess_all(dossier, owner)
    with committed():
        services.dossier_submit(dossier=dossier, by=owner, today=TODAY)
        services.dossier_precheck(dossier=dossier, by=commune_officer, forward=False, missing=["Phiếu kiểm nghiệm"])
    assert titles(commune_officer) == ["Hồ sơ “Miến dong Nguyên Bình” đã được nộp: chờ xã kiểm tra sơ bộ."]
    assert titles(owner)[0].startswith("Hồ sơ “Miến dong Nguyên Bình” được trả lại để bổ sung")
    work()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert "xa@example.vn" in recipients and "htx@example.vn" not in recipients  # the owner turned dossiers off
    assert all("https://ocop.example.vn/" in message.body for message in mail.outbox)  # absolute links

    dossier.refresh_from_db()
    services.dossier_submit(dossier=dossier, by=owner, today=TODAY)
    services.dossier_precheck(dossier=dossier, by=commune_officer, forward=True)
    for member in cycle["members"]:
        assert "Có hồ sơ cần chấm điểm: “Miến dong Nguyên Bình”." in titles(member)

    # the header counts, opening marks read and goes to the dossier, another person's cannot be opened
    member = cycle["members"][0]
    client.force_login(member)
    page = client.get(reverse("core:notifications")).content.decode()
    assert 'class="count"' in page and "Có hồ sơ cần chấm điểm" in page
    notice = Notification.objects.filter(user=member, title__startswith="Có hồ sơ cần chấm").get()
    response = client.post(reverse("core:notification-open", args=[notice.pk]))
    assert response["Location"] == reverse("evaluation:dossier-detail", args=[dossier.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None
    other = Notification.objects.filter(user=owner).first()
    assert client.post(reverse("core:notification-open", args=[other.pk])).status_code == 404
    client.post(reverse("core:notifications"), {"action": "read"})
    assert not Notification.objects.filter(user=member, read_at__isnull=True).exists()
    assert 'class="count"' not in client.get(reverse("core:notifications")).content.decode()


def test_an_inquiry_reaches_the_producers_accounts_and_its_own_address(buyer, work, committed):
    product = certified_product("Chè Shan tuyết Hà Giang", stars=4)
    product.producer.email = "lienhe@example.vn"
    product.producer.save()
    seller = UserFactory(username="ban-hang", role=User.Role.PRODUCER, email="ban@example.vn")
    ProducerMembership.objects.create(user=seller, producer=product.producer)
    with committed():
        inquiry = trade.inquiry_send(product=product, buyer=buyer, name="Siêu thị Xanh", email="mua@example.vn",
                                     quantity=100, unit="kg", message="Xin báo giá")  # fmt: skip
    assert titles(seller) == ["Hỏi mua “Chè Shan tuyết Hà Giang” từ Siêu thị Xanh."]
    with committed():
        trade.inquiry_reply(inquiry=inquiry, by=seller, body="Giá 450.000 đ/kg")
    assert any("đã trả lời hỏi mua của bạn" in t for t in titles(buyer))
    work()
    received = [m for m in mail.outbox if "Chè Shan tuyết" in m.subject]
    assert received and sorted(received[0].to) == ["ban@example.vn", "lienhe@example.vn"]


def test_the_notification_list_takes_a_constant_number_of_queries(client, producer_user,
                                                                 django_assert_max_num_queries):  # fmt: skip
    for i in range(3):
        Notification.objects.create(user=producer_user, kind="trade", title=f"Tin {i}", link="/")
    client.force_login(producer_user)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("core:notifications"))
    for i in range(20):
        Notification.objects.create(user=producer_user, kind="trade", title=f"Tin thêm {i}", link="/")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Tin thêm 19" in client.get(reverse("core:notifications")).content.decode()
