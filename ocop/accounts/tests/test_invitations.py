"""Accounts made by the people responsible: invitations by e-mail with a one-time link that expires."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ocop.accounts.models import Invitation, User
from ocop.core.once import FIELD, new_form_token
from ocop.producers.models import ProducerMembership
from ocop.producers.tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Mật-khẩu-đủ-dài-2026"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the e-mail is queued once the invitation is saved)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def invite(client, **data):
    return client.post(reverse("accounts:people"), {FIELD: new_form_token(), **data})


def link_in(message) -> str:
    found = re.search(r"https?://\S+/nhan-loi-moi/\S+/", message.body)
    assert found, message.body  # an absolute link, never a bare path
    return found.group(0)


def accept(client, link, username="can-bo-xa", **extra):
    path = link.split("://", 1)[1].split("/", 1)[1]
    return client.post("/" + path, {"username": username, "full_name": "Hoàng Thị Mai", "phone": "0912345678",
                                    "password1": PASSWORD, "password2": PASSWORD, **extra})  # fmt: skip


def test_a_province_office_invites_a_commune_officer_who_sets_a_password_once(
    client, province_officer, commune, work, settings, committed
):
    settings.OCOP_SITE_URL = ""  # the address is taken from the inviting request
    client.force_login(province_officer)
    with committed():
        response = invite(client, email="Mai.Hoang@Example.vn", full_name="Hoàng Thị Mai", role="commune_officer",
                      province=province_officer.province_id, commune=commune.pk)  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    invitation = Invitation.objects.get()
    assert invitation.email == "mai.hoang@example.vn" and invitation.commune == commune
    work()  # the e-mail leaves through the task queue
    (message,) = mail.outbox
    assert message.to == ["mai.hoang@example.vn"] and "Cán bộ xã" in message.subject
    link = link_in(message)
    assert link.startswith("http://testserver/")
    assert invitation.secret_hash not in link  # only the hash is stored

    client.logout()
    page = client.get("/" + link.split("/", 3)[3])
    assert page.status_code == 200 and "Cán bộ xã" in page.content.decode()
    response = accept(client, link)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:home")
    user = User.objects.get(username="can-bo-xa")
    assert user.role == "commune_officer" and user.commune == commune and user.province == commune.province
    assert user.check_password(PASSWORD) and user.full_name == "Hoàng Thị Mai"
    assert client.get(reverse("accounts:home"))["Location"] == reverse("evaluation:dossier-list")

    # Single use: the same link opens nothing again, and creates nothing.
    client.logout()
    again = accept(client, link, username="lan-nua")
    assert again.status_code == 410 and "đã được sử dụng" in again.content.decode()
    assert not User.objects.filter(username="lan-nua").exists()


def test_invitations_expire_resend_makes_a_new_link_and_withdrawn_ones_open_nothing(
    client, province_officer, commune, work, committed
):
    client.force_login(province_officer)
    with committed():
        invite(client, email="xa@example.vn", role="commune_officer", province=province_officer.province_id,
               commune=commune.pk)  # fmt: skip
    work()
    first = link_in(mail.outbox[-1])
    invitation = Invitation.objects.get()
    with committed():
        client.post(reverse("accounts:invitation-resend", args=[invitation.pk]))
    work()
    second = link_in(mail.outbox[-1])
    assert first != second
    client.logout()
    assert accept(client, first).status_code == 404  # the old link stopped working
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    expired = accept(client, second)
    assert expired.status_code == 410 and "đã hết hạn" in expired.content.decode()
    assert not User.objects.filter(username="can-bo-xa").exists()

    client.force_login(province_officer)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    client.post(reverse("accounts:invitation-revoke", args=[invitation.pk]))
    client.logout()
    assert accept(client, second).status_code == 410


def test_a_producer_invited_by_its_province_acts_for_its_producer(client, province_officer, commune, work, committed):
    producer = ProducerFactory(commune=commune, province=commune.province)
    client.force_login(province_officer)
    with committed():
        invite(client, email="htx@example.vn", role="producer", province=province_officer.province_id,
           producer=producer.pk)  # fmt: skip
    work()
    client.logout()
    accept(client, link_in(mail.outbox[-1]), username="htx-moi")
    user = User.objects.get(username="htx-moi")
    assert user.role == "producer" and ProducerMembership.objects.filter(user=user, producer=producer).exists()


def test_a_province_office_cannot_invite_outside_its_province_or_above_its_rank(
    client, province_officer, ha_noi, commune_officer, buyer, central_officer
):
    client.force_login(province_officer)
    other_commune = ha_noi.communes.first()
    refused = invite(client, email="x@example.vn", role="commune_officer", province=ha_noi.pk,
                     commune=other_commune.pk)  # fmt: skip
    assert refused.status_code == 400 and not Invitation.objects.exists()
    refused = invite(client, email="x@example.vn", role="central_officer")
    assert refused.status_code == 400 and not Invitation.objects.exists()
    missing = invite(client, email="x@example.vn", role="commune_officer", province=province_officer.province_id)
    assert missing.status_code == 400 and "Hãy chọn xã" in missing.content.decode()
    for outsider in (commune_officer, buyer):
        client.force_login(outsider)
        assert client.get(reverse("accounts:people")).status_code == 403
    client.force_login(central_officer)
    assert invite(client, email="tinh-moi@example.vn", role="province_officer", province=ha_noi.pk).status_code == 302


def test_a_province_office_deactivates_its_people_only(client, province_officer, commune_officer, ha_noi, password):
    other = User.objects.create_user(username="xa-ha-noi", password=password, role="commune_officer",
                                     province=ha_noi, commune=ha_noi.communes.first())  # fmt: skip
    client.force_login(province_officer)
    client.post(reverse("accounts:user-active", args=[commune_officer.pk]), {"active": "0"})
    commune_officer.refresh_from_db()
    assert not commune_officer.is_active
    assert client.post(reverse("accounts:user-active", args=[other.pk]), {"active": "0"}).status_code == 403
    other.refresh_from_db()
    assert other.is_active
    client.logout()
    refused = client.post(reverse("accounts:login"), {"username": commune_officer.username, "password": password})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("role", "landing"),
    [("producer", "site:workspace"), ("buyer", "market:demand-list"),
     ("province_officer", "dashboards:backoffice"), ("council_member", "evaluation:dossier-list")],
)  # fmt: skip
def test_each_role_lands_on_its_own_work_page_after_signing_in(client, role, landing, cao_bang, password):
    user = User.objects.create_user(username=f"u-{role}", password=password, role=role, province=cao_bang)
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": password})
    assert response["Location"] == reverse("accounts:home")
    assert client.get(response["Location"])["Location"] == reverse(landing)


def test_the_people_page_query_count_does_not_grow_with_people_or_invitations(
    client, province_officer, commune, django_assert_max_num_queries
):
    from ocop.accounts.invitations import invitation_send

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            User.objects.create_user(username=f"xa-{i}", role="commune_officer", province=commune.province,
                                     commune=commune)  # fmt: skip
            invitation_send(by=province_officer, email=f"moi{i}@example.vn", role="commune_officer",
                            province=commune.province, commune=commune)  # fmt: skip

    client.force_login(province_officer)
    add(2, 0)
    with django_assert_max_num_queries(12) as first:
        assert client.get(reverse("accounts:people")).status_code == 200
    add(8, 2)
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(reverse("accounts:people")).content.decode()
    assert "moi9@example.vn" in page and "xa-9" in page


def test_bad_choices_in_the_invitation_form_are_refused_with_a_message(client, province_officer):
    client.force_login(province_officer)
    for producer in ("99999999999999999999", "-1", "abc"):
        response = invite(client, email="x@example.vn", role="producer", province=province_officer.province_id,
                          producer=producer)  # fmt: skip
        assert response.status_code == 400 and "lựa chọn hợp lệ" in response.content.decode()
    response = invite(client, email="không phải thư", role="chief", province=province_officer.province_id)
    assert response.status_code == 400 and not Invitation.objects.exists()
