"""Producers and buyers sign up by themselves (confirmed by e-mail), claim their producer (confirmed by the office),
and change their e-mail address through a link sent to the new one."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from ocop.accounts.models import User
from ocop.core.models import AuditEntry
from ocop.core.once import FIELD, new_form_token
from ocop.producers.models import Producer, ProducerClaim, ProducerMembership
from ocop.producers.tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Mật-khẩu-đủ-dài-2026"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def path_of(message, pattern: str) -> str:
    found = re.search(rf"https?://[^/\s]+(/\S*{pattern}\S*/)", message.body)
    assert found, message.body  # an absolute link
    return found.group(1)


def sign_up(client, **extra):
    data = {"role": "producer", "full_name": "Lò Văn Páo", "organisation": "HTX Chè Shan tuyết",
            "email": "Pao.Lo@Example.vn", "phone": "0912000111", "username": "lovanpao", "password1": PASSWORD,
            "password2": PASSWORD, **extra}  # fmt: skip
    return client.post(reverse("accounts:signup"), data)


def test_a_producer_signs_up_confirms_claims_and_the_commune_confirms(
    client, commune, commune_officer, province_officer, work, committed
):
    commune_officer.email = "xa@example.vn"
    commune_officer.save()
    producer = ProducerFactory(commune=commune, province=commune.province, tax_code="4601234567")
    with committed():
        response = sign_up(client)
    assert response.status_code == 200 and "pao.lo@example.vn" in response.content.decode().lower()
    person = User.objects.get(username="lovanpao")
    assert not person.is_active and person.role == "producer" and person.email == "pao.lo@example.vn"
    response = client.post(reverse("accounts:login"), {"username": "lovanpao", "password": PASSWORD})
    assert response.status_code == 200  # the login form again: closed until the address is confirmed
    work()
    (message,) = mail.outbox
    confirm = path_of(message, "dang-ky/xac-nhan/")
    response = client.get(confirm)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:home")
    assert client.get(reverse("accounts:home"))["Location"] == reverse("site:workspace")
    person.refresh_from_db()
    assert person.is_active
    assert "Nhận chủ thể của tôi" in client.get(reverse("site:workspace")).content.decode()

    mail.outbox.clear()
    with committed():
        response = client.post(reverse("producers:claim"), {FIELD: new_form_token(), "tax_code": "460 123 4567",
                                                            "position": "Giám đốc"})  # fmt: skip
    assert response.status_code == 302
    claim = ProducerClaim.objects.get()
    assert claim.producer == producer and claim.status == "pending"
    work()
    (to_office,) = mail.outbox
    assert sorted(to_office.to) == [province_officer.email, "xa@example.vn"] and "Lò Văn Páo" in to_office.subject

    client.force_login(commune_officer)
    listing = client.get(reverse("producers:claim-list")).content.decode()
    assert "Lò Văn Páo" in listing and "4601234567" in listing
    mail.outbox.clear()
    with committed():
        response = client.post(reverse("producers:claim-decide", args=[claim.pk]), {"decision": "confirm"})
    assert response.status_code == 302
    assert ProducerMembership.objects.filter(user=person, producer=producer).exists()
    work()
    (told,) = mail.outbox
    assert told.to == ["pao.lo@example.vn"] and producer.name in told.subject
    assert AuditEntry.objects.filter(code="producers.claim.confirmed").exists()

    client.force_login(person)
    workspace = client.get(reverse("site:workspace")).content.decode()
    assert producer.name in workspace and reverse("site:workspace-producer", args=[producer.pk]) in workspace


def test_a_new_producer_is_created_on_confirmation_and_a_refusal_needs_a_reason(
    client, producer_user, commune, province_officer, committed
):
    client.force_login(producer_user)
    form = {FIELD: new_form_token(), "tax_code": "0109876543", "name": "", "province": commune.province_id}
    response = client.post(reverse("producers:claim"), form)
    assert response.status_code == 400 and "Chưa có chủ thể nào mang mã số thuế này" in response.content.decode()
    assert 'name="commune"' in response.content.decode() and commune.name in response.content.decode()
    response = client.post(reverse("producers:claim"), {
        FIELD: new_form_token(), "tax_code": "0109876543", "name": "Hộ kinh doanh Bánh cuốn Bà Hoành",
        "kind": "household", "province": commune.province_id, "commune": commune.pk, "address": "Thôn 3",
    })  # fmt: skip
    assert response.status_code == 302
    claim = ProducerClaim.objects.get()
    assert claim.producer is None
    for bad in ("12345", "01098765431", "abc"):
        response = client.post(reverse("producers:claim"), {FIELD: new_form_token(), "tax_code": bad})
        assert response.status_code == 400 and "10 chữ số" in response.content.decode()

    client.force_login(province_officer)
    response = client.post(reverse("producers:claim-decide", args=[claim.pk]), {"decision": "refuse"})
    claim.refresh_from_db()
    assert claim.status == "pending"  # no reason, no refusal
    with committed():
        client.post(reverse("producers:claim-decide", args=[claim.pk]), {"decision": "confirm"})
    producer = Producer.objects.get(tax_code="0109876543")
    assert producer.commune == commune and producer.kind == "household"
    assert ProducerMembership.objects.filter(user=producer_user, producer=producer).exists()
    # decided once
    response = client.post(reverse("producers:claim-decide", args=[claim.pk]), {"decision": "confirm"})
    assert Producer.objects.filter(tax_code="0109876543").count() == 1


def test_another_provinces_officer_cannot_decide_and_buyers_cannot_claim(client, producer_user, commune, ha_noi,
                                                                           buyer):  # fmt: skip
    claim = ProducerClaim.objects.create(user=producer_user, tax_code="0101234567", name="HTX", kind="cooperative",
                                         province=commune.province, commune=commune)  # fmt: skip
    stranger = User.objects.create_user("tinh-khac", role=User.Role.PROVINCE_OFFICER, province=ha_noi)
    client.force_login(stranger)
    assert client.post(reverse("producers:claim-decide", args=[claim.pk]), {"decision": "confirm"}).status_code == 403
    assert claim.user.memberships.count() == 0
    assert "HTX" not in client.get(reverse("producers:claim-list")).content.decode()
    client.force_login(buyer)
    assert client.get(reverse("producers:claim")).status_code == 403


def test_signing_up_with_a_known_address_tells_that_address_and_reveals_nothing(client, producer_user, work,
                                                                                 committed):  # fmt: skip
    producer_user.email = "co-roi@example.vn"
    producer_user.save()
    with committed():
        response = sign_up(client, email="Co-Roi@example.vn", username="nguoi-moi")
    assert response.status_code == 200  # the same page as for a new address
    assert not User.objects.filter(username="nguoi-moi").exists()
    work()
    (message,) = mail.outbox
    assert message.to == ["co-roi@example.vn"] and producer_user.username in message.body


def test_signup_refuses_officer_roles_weak_passwords_and_bots(client):
    assert sign_up(client, role="province_officer").status_code == 400
    response = sign_up(client, password1="123", password2="123")
    assert response.status_code == 400
    assert sign_up(client, website="http://spam.example").status_code == 400
    assert not User.objects.filter(username="lovanpao").exists()
    assert client.get(reverse("accounts:signup-confirm", args=["forged"])).status_code == 400


def test_an_email_change_is_confirmed_from_the_new_address_and_the_old_one_is_told(
    client, buyer, password, work, committed
):
    buyer.email = "cu@example.vn"
    buyer.save()
    client.force_login(buyer)
    response = client.post(reverse("accounts:email-change"), {"email": "moi@example.vn", "password": "sai"})
    assert response.status_code == 302
    buyer.refresh_from_db()
    assert buyer.email == "cu@example.vn"
    with committed():
        client.post(reverse("accounts:email-change"), {"email": "Moi@Example.vn", "password": password})
    buyer.refresh_from_db()
    assert buyer.email == "cu@example.vn"  # not before the link is opened
    work()
    (message,) = mail.outbox
    assert message.to == ["moi@example.vn"]
    link = path_of(message, "doi-email/")
    mail.outbox.clear()
    with committed():
        assert client.get(link).status_code == 302
    buyer.refresh_from_db()
    assert buyer.email == "moi@example.vn"
    work()
    (told,) = mail.outbox
    assert told.to == ["cu@example.vn"]
    assert client.get(link).status_code == 400  # used once
    # the profile form no longer changes the address directly
    client.post(reverse("accounts:profile"), {"full_name": "Người mua", "email": "khac@example.vn"})
    buyer.refresh_from_db()
    assert buyer.email == "moi@example.vn"


def test_the_claims_list_takes_a_constant_number_of_queries(client, commune, province_officer,
                                                          django_assert_max_num_queries):  # fmt: skip
    from ocop.accounts.tests.factories import UserFactory

    def claims(n: int, start: int) -> None:
        for i in range(start, start + n):
            person = UserFactory(username=f"xin-{i}", role=User.Role.PRODUCER)
            ProducerClaim.objects.create(user=person, tax_code=f"01000000{i:02d}", name=f"HTX số {i}",
                                         kind="cooperative", province=commune.province, commune=commune)  # fmt: skip

    claims(2, 0)
    client.force_login(province_officer)
    with django_assert_max_num_queries(10) as few:
        assert "HTX số 1" in client.get(reverse("producers:claim-list")).content.decode()
    claims(8, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "HTX số 9" in client.get(reverse("producers:claim-list")).content.decode()
