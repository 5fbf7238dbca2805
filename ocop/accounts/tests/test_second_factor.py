"""Sign-in codes (TOTP) through django-otp: optional for everyone, required for the roles a setting names; the
password alone reaches nothing until the code is given; backup codes work once; wrong codes are refused."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ocop.accounts.models import User
from ocop.accounts.tests.factories import PASSWORD, UserFactory
from ocop.geo.models import Province

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice, drift: int = 0) -> str:
    """The code the app shows now (drift 1: the next period's, which the device also accepts once)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def _sign_in(client, user) -> object:
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


def _turn_on(client, user) -> tuple[TOTPDevice, list[str]]:
    page = client.get(reverse("accounts:otp-setup"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert page.context["secret"] in page.content.decode()
    response = client.post(reverse("accounts:otp-setup"), {"action": "confirm", "code": _code(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    return device, codes


def test_a_producer_turns_codes_on_and_then_needs_one_after_the_password(client):
    producer = UserFactory(role=User.Role.PRODUCER)
    _sign_in(client, producer)
    assert client.get(reverse("accounts:profile")).status_code == 200  # optional: not asked for
    device, codes = _turn_on(client, producer)

    client.logout()
    _sign_in(client, producer)
    blocked = client.get(reverse("accounts:profile"))
    assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("accounts:otp-verify"))
    assert "next=%2Ftai-khoan%2Fho-so%2F" in blocked["Location"]
    assert client.get("/api/v1/products/").json()["code"] == "second_factor"  # the API too, in JSON

    wrong = client.post(reverse("accounts:otp-verify"), {"code": "000000", "next": "/tai-khoan/ho-so/"})
    assert wrong.status_code == 400 and wrong.context["form"].errors["code"]
    # A wrong code makes the next try wait (django-otp's throttling): clear it as a minute would.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    right = client.post(reverse("accounts:otp-verify"), {"code": _code(device, drift=1), "next": "/tai-khoan/ho-so/"})
    assert right.status_code == 302 and right["Location"] == "/tai-khoan/ho-so/"
    assert client.get(reverse("accounts:profile")).status_code == 200

    client.logout()  # a backup code works once
    _sign_in(client, producer)
    assert client.post(reverse("accounts:otp-verify"), {"code": codes[0]}).status_code == 302
    client.logout()
    _sign_in(client, producer)
    assert client.post(reverse("accounts:otp-verify"), {"code": codes[0]}).status_code == 400


def test_a_required_role_sets_codes_up_before_anything_else_and_cannot_turn_them_off(client, settings):
    settings.OCOP_OTP_REQUIRED_ROLES = ["province_officer", "central_officer"]
    officer = UserFactory(role=User.Role.PROVINCE_OFFICER, province=Province.objects.get(code="04"))
    buyer = UserFactory(role=User.Role.BUYER)
    _sign_in(client, buyer)
    assert client.get(reverse("market:demand-new")).status_code == 200  # other roles are not asked
    client.logout()

    response = _sign_in(client, officer)
    sent = client.get(response["Location"], follow=True)
    assert sent.redirect_chain[-1][0].startswith(reverse("accounts:otp-setup"))
    assert client.get(reverse("accounts:people")).status_code == 302
    device, _codes = _turn_on(client, officer)
    assert client.get(reverse("accounts:people")).status_code == 200

    refused = client.post(reverse("accounts:otp-setup"), {"action": "disable", "code": _code(device, drift=1)})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).exists()


def test_an_optional_user_turns_codes_off_with_a_current_code(client):
    buyer = UserFactory(role=User.Role.BUYER)
    _sign_in(client, buyer)
    device, _codes = _turn_on(client, buyer)
    assert client.post(reverse("accounts:otp-setup"), {"action": "disable", "code": "123"}).status_code == 400
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    done = client.post(reverse("accounts:otp-setup"), {"action": "disable", "code": _code(device, drift=1)})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=buyer).exists()
    client.logout()
    _sign_in(client, buyer)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_the_gate_reads_no_device_table_on_a_page(client):
    producer = UserFactory(role=User.Role.PRODUCER)
    _sign_in(client, producer)
    _turn_on(client, producer)
    for user_has_codes in (True, False):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("site:home")).status_code == 200
        tables = " ".join(q["sql"] for q in captured.captured_queries)
        # Verified with the app: the session's device is read (django-otp); never the device tables otherwise.
        assert ("otp_totp" in tables) == user_has_codes
        if user_has_codes:
            TOTPDevice.objects.filter(user=producer).delete()
            User.objects.filter(pk=producer.pk).update(second_factor=False)
            client.logout()
            _sign_in(client, producer)


def test_an_operator_resets_a_lost_phone_from_the_command_line(client):
    from django.core.management import call_command

    buyer = UserFactory(role=User.Role.BUYER)
    _sign_in(client, buyer)
    _turn_on(client, buyer)
    call_command("second_factor_reset", buyer.username, stdout=io.StringIO())
    client.logout()
    _sign_in(client, buyer)
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert not TOTPDevice.objects.filter(user=buyer).exists()
