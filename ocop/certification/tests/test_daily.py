import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.tests.helpers import certified_product
from ocop.certification.models import Certificate
from ocop.producers.models import ProducerMembership

pytestmark = pytest.mark.django_db


def test_the_daily_run_expires_due_certificates_and_reminds_once_about_those_expiring_soon():
    today = dt.date.today()
    soon = certified_product("Bánh chưng Tranh Khúc", issued_on=today - dt.timedelta(days=365 * 3 - 40))
    gone = certified_product("Chè Shan tuyết", issued_on=today - dt.timedelta(days=365 * 3 + 30))
    later = certified_product("Miến dong", issued_on=today - dt.timedelta(days=100))
    owner = UserFactory(username="htx-mail", role=User.Role.PRODUCER, email="htx@example.vn")
    ProducerMembership.objects.create(user=owner, producer=soon.producer)
    UserFactory(username="tinh-mail", role=User.Role.PROVINCE_OFFICER, province=soon.producer.province,
                email="ocop@laichau.gov.vn")  # fmt: skip
    Certificate.objects.filter(product=gone).update(status=Certificate.Status.VALID)
    out = StringIO()
    call_command("certificates_daily", stdout=out)
    assert "1 certificate(s) expired, 1 expiry reminder(s) sent" in out.getvalue()
    assert Certificate.objects.get(product=gone).status == Certificate.Status.EXPIRED
    assert Certificate.objects.get(product=later).expiry_reminded_on is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Bánh chưng Tranh Khúc" in message.body and set(message.to) == {"htx@example.vn", "ocop@laichau.gov.vn"}
    call_command("certificates_daily", stdout=StringIO())
    assert len(mail.outbox) == 1  # reminded once


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError):
        call_command("certificates_daily", today="2026-13-45")


def test_the_expiring_list_shows_each_role_its_own_and_its_query_count_is_flat(
    client, central_officer, django_assert_max_num_queries
):
    from django.urls import reverse

    today = dt.date.today()
    soon = certified_product("Bánh gai Ninh Giang", issued_on=today - dt.timedelta(days=365 * 3 - 30))
    certified_product("Cam sành", issued_on=today - dt.timedelta(days=200))
    owner = UserFactory(username="htx-list", role=User.Role.PRODUCER)
    ProducerMembership.objects.create(user=owner, producer=soon.producer)
    other = UserFactory(username="other-list", role=User.Role.PRODUCER)
    client.force_login(owner)
    page = client.get(reverse("certificates-expiring")).content.decode()
    assert "Bánh gai Ninh Giang" in page and "Cam sành" not in page
    client.force_login(other)
    assert "Bánh gai Ninh Giang" not in client.get(reverse("certificates-expiring")).content.decode()
    client.force_login(central_officer)
    for index in range(5):
        certified_product(f"Sản phẩm {index}", issued_on=today - dt.timedelta(days=365 * 3 - 20))
    with django_assert_max_num_queries(6):
        page = client.get(reverse("certificates-expiring")).content.decode()
    assert page.count("<tr>") == 7  # the header and six certificates
