"""The real client behind the trusted proxies: what the login lockout, the flood limits, the API throttles and
the audit log count by. Behind the documented proxy every socket peer is 127.0.0.1."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from ocop.core.middleware import client_ip

PROXY = {"REMOTE_ADDR": "127.0.0.1"}


@pytest.mark.parametrize(
    ("trusted", "meta", "expected"),
    [
        ([], {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}, "127.0.0.1"),  # no proxy trusted
        (["127.0.0.1"], {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}, "203.0.113.5"),
        # What a client writes itself lies left of what the proxy appended: never believed.
        (["127.0.0.1"], {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.5"}, "203.0.113.5"),
        (["127.0.0.1", "10.0.0.0/8"], {"REMOTE_ADDR": "127.0.0.1",
                                       "HTTP_X_FORWARDED_FOR": "203.0.113.5, 10.1.2.3"}, "203.0.113.5"),
        (["127.0.0.1"], {"REMOTE_ADDR": "198.51.100.9", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "198.51.100.9"),
        (["127.0.0.1"], {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "not-an-address"}, "127.0.0.1"),
        (["127.0.0.1"], {"REMOTE_ADDR": "127.0.0.1"}, "127.0.0.1"),
    ],
)  # fmt: skip
def test_the_client_is_the_first_untrusted_address_from_the_right(settings, trusted, meta, expected):
    settings.OCOP_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", **meta)
    assert client_ip(request) == expected


@pytest.mark.django_db
def test_failures_from_one_client_behind_the_proxy_do_not_lock_the_user_out_for_another(
    client, settings, province_officer, password
):
    settings.OCOP_TRUSTED_PROXIES = ["127.0.0.1"]
    url = reverse("accounts:login")
    attacker = {**PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": province_officer.username, "password": "sai-mat-khau"}, **attacker)
    locked = client.post(url, {"username": province_officer.username, "password": password}, **attacker)
    assert locked.status_code in (403, 429) or "khoá" in locked.content.decode().lower() or (
        locked.status_code == 200 and "_auth_user_id" not in client.session
    )  # fmt: skip
    client.logout()
    owner = {**PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    response = client.post(url, {"username": province_officer.username, "password": password}, **owner)
    assert response.status_code == 302 and client.session.get("_auth_user_id") == str(province_officer.pk)


@pytest.mark.django_db
def test_flood_counters_hold_the_limit_and_old_windows_are_forgotten():
    import datetime as dt

    from ocop.core.flood import flood_forget, flood_take
    from ocop.core.models import FloodCounter

    window = dt.timedelta(minutes=10)
    assert [flood_take("k", limit=2, window=window) for _ in range(3)] == [True, True, False]
    FloodCounter.objects.update(window_start=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert flood_forget() == 1 and not FloodCounter.objects.exists()
