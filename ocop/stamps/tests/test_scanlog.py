"""The scan log with the production cache: scans wait in the real Redis and reach the database in batches, counted
once, placed by their token, and never lost (ocop/stamps/scanlog.py)."""

from __future__ import annotations

import os

import pytest
from django.core.cache import caches
from django.urls import reverse

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.geo.models import Province
from ocop.stamps import counterfeit, scanlog, selectors
from ocop.stamps.models import Scan, Signal, Stamp
from ocop.stamps.tests.helpers import stamped

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0 Mobile Safari/537.36"
PREFIX = f"ocop-scanlog-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"


@pytest.fixture
def redis(settings):
    settings.CACHES = {"default": {"BACKEND": "ocop.core.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/15",
                                   "KEY_PREFIX": PREFIX}}  # fmt: skip
    client = caches["default"]._cache.get_client(write=True)
    for key in client.scan_iter(f"{PREFIX}:*"):
        client.delete(key)
    client.set(f"{PREFIX}:scans:due", 1, ex=600)  # no timed move during the test: only the ones it asks for
    yield client
    for key in client.scan_iter(f"{PREFIX}:*"):
        client.delete(key)


@pytest.fixture
def stamp(commune):
    owner = UserFactory(username="htx-che", role=User.Role.PRODUCER)
    _product, _certificate, _batch, series = stamped(owner, commune)
    return Stamp.objects.filter(series=series).order_by("serial").first()


def _scan(client, code, ip="203.113.10.5"):
    return client.get(reverse("stamps:scan", args=[code]), REMOTE_ADDR=ip, HTTP_USER_AGENT=PHONE)


def test_scans_wait_in_redis_and_are_counted_once_before_and_after_they_reach_the_database(client, redis, stamp):
    shown = [_scan(client, stamp.code).scan_result.scans for _ in range(3)]
    assert shown == [1, 2, 3]
    assert not Scan.objects.exists() and redis.llen(f"{PREFIX}:scans:buffer") == 3
    assert scanlog.pending_counts([stamp.code]) == {stamp.code: 3}

    summary = selectors.scan_summary(Scan.objects.all())  # a reader moves the waiting scans first
    assert summary.total == 3 and Scan.objects.filter(stamp=stamp, outcome="valid", agent="Chrome").count() == 3
    assert scanlog.pending_counts([stamp.code]) == {stamp.code: 0}
    assert _scan(client, stamp.code).scan_result.scans == 4  # the database's three and the waiting one
    assert scanlog.flush() == 1 and _scan(client, stamp.code).scan_result.scans == 5


def test_a_full_buffer_is_moved_by_the_scan_that_fills_it(client, redis, stamp, monkeypatch):
    monkeypatch.setattr(scanlog, "FLUSH_AT", 4)
    for _ in range(3):
        _scan(client, stamp.code)
    assert not Scan.objects.exists()
    _scan(client, stamp.code)
    assert Scan.objects.count() == 4 and redis.llen(f"{PREFIX}:scans:buffer") == 0


def test_twenty_waiting_scans_in_a_day_flag_the_stamp(client, redis, stamp):
    for n in range(19):
        _scan(client, stamp.code, ip=f"10.{n}.0.1")
    assert not Signal.objects.exists()
    page = _scan(client, stamp.code, ip="10.99.0.1")
    assert page.scan_result.copied and page.scan_result.scans == 20
    assert Signal.objects.get(rule=Signal.Rule.MANY_SCANS).facts == {"day": 20, "total": 20}


def test_a_waiting_scan_is_placed_by_its_token(client, redis, stamp):
    page = _scan(client, stamp.code)
    token = page.scan_result.token
    assert f'name="scan" value="{token}"' in page.content.decode()
    answer = client.post(reverse("stamps:scan-place", args=[stamp.code]), {"scan": token, "province": "01"})
    assert answer.status_code == 200
    scan = Scan.objects.get()
    assert (scan.province.code, scan.province_source) == ("01", "chosen")
    again = client.post(reverse("stamps:scan-place", args=[stamp.code]), {"scan": "x" * 22, "province": "79"})
    assert again.status_code == 400  # a token no scan has


def test_far_apart_scans_waiting_in_redis_are_caught_when_placed(redis, stamp):
    hanoi, saigon = Province.objects.get(code="01"), Province.objects.get(code="79")
    from ocop.stamps import services

    first = counterfeit.scan_take(code=stamp.code, network="", agent="Chrome")
    second = counterfeit.scan_take(code=stamp.code, network="", agent="Safari")
    services.scan_place(scan=first.scan, province=hanoi, source=Scan.Source.CHOSEN)
    services.scan_place(scan=second.scan, province=saigon, source=Scan.Source.BROWSER)
    assert counterfeit.place_check(second.scan)


def test_a_row_the_database_refuses_is_set_aside_and_the_others_reach_it(client, redis, stamp):
    _scan(client, stamp.code)
    redis.rpush(f"{PREFIX}:scans:buffer", '["not a date","X",null,null,"unknown","","","t"]', "{broken")
    _scan(client, stamp.code)
    assert scanlog.flush() == 2
    assert Scan.objects.count() == 2  # nothing of what people scanned is lost
    assert redis.lrange(f"{PREFIX}:scans:refused", 0, -1) == [b"{broken", b'["not a date", "X", null, null, '
                                                               b'"unknown", "", "", "t"]']  # fmt: skip


def test_the_scheduler_tick_moves_the_waiting_scans(redis, stamp):
    from django.core.management import call_command

    counterfeit.scan_take(code=stamp.code, network="", agent="Chrome")
    assert not Scan.objects.exists()
    call_command("scheduler", "--once", stdout=None)
    assert Scan.objects.count() == 1
