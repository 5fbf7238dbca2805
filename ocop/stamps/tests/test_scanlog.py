"""The scan log as production runs it (OCOP_SCAN_FLUSH_MS > 0): scans held by the process and written together,
counted once, placed by their token, written by the timer when nobody scans, and never lost to a refused row
(ocop/stamps/scanlog.py)."""

from __future__ import annotations

import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.models import Product
from ocop.geo.models import Commune, Province
from ocop.stamps import counterfeit, scanlog, selectors, services
from ocop.stamps.models import Scan, Signal, Stamp
from ocop.stamps.tests.helpers import stamped

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0 Mobile Safari/537.36"


@pytest.fixture
def held(settings, monkeypatch):
    """Scans held by this process and written only when the test (or a reader) asks: no timer thread."""
    settings.OCOP_SCAN_FLUSH_MS = 3_600_000
    monkeypatch.setattr(scanlog, "_start_timer", lambda: None)
    monkeypatch.setattr(scanlog, "_state", {"pid": None, "last": 0.0})
    monkeypatch.setattr(scanlog, "atexit", type("NoExit", (), {"register": staticmethod(lambda f: None)}))
    scanlog._rows.clear()
    scanlog._pending.clear()
    counterfeit._BATCHES.clear()
    yield
    scanlog._rows.clear()
    scanlog._pending.clear()
    counterfeit._BATCHES.clear()


@pytest.fixture
def stamp(commune):
    owner = UserFactory(username="htx-che", role=User.Role.PRODUCER)
    _product, _certificate, _batch, series = stamped(owner, commune)
    return Stamp.objects.filter(series=series).order_by("serial").first()


def _scan(client, code, ip="203.113.10.5"):
    return client.get(reverse("stamps:scan", args=[code]), REMOTE_ADDR=ip, HTTP_USER_AGENT=PHONE)


def test_held_scans_are_counted_once_before_and_after_they_are_written(client, held, stamp):
    shown = [_scan(client, stamp.code).scan_result.scans for _ in range(3)]
    assert shown[1:] == [2, 3]  # the first found the log never written: written at once
    assert Scan.objects.count() == 1 and scanlog.pending(stamp.code) == 2

    summary = selectors.scan_summary(Scan.objects.all())  # a reader writes what the process holds first
    assert summary.total == 3 and Scan.objects.filter(stamp=stamp, outcome="valid", agent="Chrome").count() == 3
    assert scanlog.pending(stamp.code) == 0
    assert _scan(client, stamp.code).scan_result.scans == 4  # the database's three and the held one
    assert scanlog.flush() == 1 and _scan(client, stamp.code).scan_result.scans == 5


def test_a_batch_is_read_once_a_period_and_a_change_shows_after_it(client, held, stamp, settings,
                                                                    django_assert_num_queries):  # fmt: skip
    _scan(client, stamp.code)
    Product.objects.filter(pk=stamp.series.batch.product_id).update(name="Chè Shan tuyết Khau Sỉn")
    with django_assert_num_queries(1):  # the stamp and its counts; the batch as read a moment ago
        assert "Mật ong hoa nhãn" in _scan(client, stamp.code).content.decode()
    settings.OCOP_SCAN_FLUSH_MS = 1
    time.sleep(0.01)
    assert "Chè Shan tuyết Khau Sỉn" in _scan(client, stamp.code).content.decode()


def test_scans_are_written_when_the_period_is_over_or_enough_wait(client, held, stamp, settings, monkeypatch):
    _scan(client, stamp.code)  # the first: the log was never written
    monkeypatch.setattr(scanlog, "FLUSH_AT", 3)
    _scan(client, stamp.code)
    _scan(client, stamp.code)
    assert Scan.objects.count() == 1
    _scan(client, stamp.code)
    assert Scan.objects.count() == 4 and not scanlog._rows
    settings.OCOP_SCAN_FLUSH_MS = 1
    time.sleep(0.01)
    _scan(client, stamp.code)
    assert Scan.objects.count() == 5


def test_twenty_held_scans_in_a_day_flag_the_stamp(client, held, stamp):
    for n in range(19):
        _scan(client, stamp.code, ip=f"10.{n}.0.1")
    assert not Signal.objects.exists() and Scan.objects.count() == 1
    page = _scan(client, stamp.code, ip="10.99.0.1")
    assert page.scan_result.copied and page.scan_result.scans == 20
    assert Signal.objects.get(rule=Signal.Rule.MANY_SCANS).facts == {"day": 20, "total": 20}


def test_a_held_scan_is_placed_by_its_token(client, held, stamp):
    _scan(client, stamp.code)
    page = _scan(client, stamp.code)
    token = page.scan_result.token
    assert f'name="scan" value="{token}"' in page.content.decode()
    assert not Scan.objects.filter(token=token).exists()
    answer = client.post(reverse("stamps:scan-place", args=[stamp.code]), {"scan": token, "province": "01"})
    assert answer.status_code == 200
    scan = Scan.objects.get(token=token)
    assert (scan.province.code, scan.province_source) == ("01", "chosen")


def test_a_token_this_site_did_not_make_is_refused_without_waiting(client, held, stamp, monkeypatch, settings):
    waits: list[float] = []
    sleep = time.sleep

    def recorded(seconds: float) -> None:
        waits.append(seconds)
        sleep(seconds)

    monkeypatch.setattr(scanlog.time, "sleep", recorded)
    forged = scanlog.new_token()[:-8] + "00000000"
    for token in (forged, "x" * 22, "abc.1.éé", "a.zz.12345678"):
        answer = client.post(reverse("stamps:scan-place", args=[stamp.code]), {"scan": token, "province": "79"})
        assert answer.status_code == 400
    assert waits == []  # no waiting for a scan that will never come
    settings.OCOP_SCAN_FLUSH_MS = 1
    real = scanlog.new_token()  # this site's, never scanned: waited for (the period and a second), then refused
    answer = client.post(reverse("stamps:scan-place", args=[stamp.code]), {"scan": real, "province": "79"})
    assert answer.status_code == 400 and waits


def test_far_apart_held_scans_are_caught_when_placed(held, stamp):
    hanoi, saigon = Province.objects.get(code="01"), Province.objects.get(code="79")
    first = counterfeit.scan_take(code=stamp.code, network="", agent="Chrome")
    second = counterfeit.scan_take(code=stamp.code, network="", agent="Safari")
    services.scan_place(scan=first.scan, province=hanoi, source=Scan.Source.CHOSEN)
    services.scan_place(scan=second.scan, province=saigon, source=Scan.Source.BROWSER)
    assert counterfeit.place_check(second.scan)


def test_a_row_the_database_refuses_is_left_out_and_the_others_are_written(held, stamp, caplog):
    counterfeit.scan_take(code=stamp.code, network="", agent="Chrome")
    counterfeit.scan_take(code=stamp.code, network="", agent="Chrome")
    scanlog._rows.append(["not a date", "ZZZ", None, None, "valid", "NO-SUCH-SCAN", "", "t1"])
    counterfeit.scan_take(code=stamp.code, network="", agent="Chrome")
    assert scanlog.flush() == 2  # the first scan was written at once
    assert Scan.objects.filter(stamp=stamp).count() == 3  # nothing people scanned is lost
    assert "NO-SUCH-SCAN" in caplog.text and not scanlog._rows


@pytest.mark.django_db(transaction=True)
def test_the_timer_writes_what_waits_when_nobody_scans(settings):
    call_command("load_reference", verbosity=0)  # a transactional test starts from an empty database
    commune = Commune.objects.filter(province__code="04").order_by("code").first()
    owner = UserFactory(username="htx-tra", role=User.Role.PRODUCER)
    _product, _certificate, _batch, series = stamped(owner, commune)
    code = Stamp.objects.filter(series=series).first().code
    settings.OCOP_SCAN_FLUSH_MS = 300
    scanlog._state.update(pid=None)
    counterfeit.scan_take(code=code, network="", agent="Chrome")  # the first: written at once
    counterfeit.scan_take(code=code, network="", agent="Chrome")  # held
    assert Scan.objects.count() == 1
    deadline = time.monotonic() + 10
    while Scan.objects.count() < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    with scanlog.consistent():  # the timer commits, then empties the list, under this lock
        assert Scan.objects.count() == 2 and not scanlog._rows
    settings.OCOP_SCAN_FLUSH_MS = 0
