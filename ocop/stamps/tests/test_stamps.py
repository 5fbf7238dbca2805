"""Batches, series, labels, the scan page, its signals and reports, the stamps pages and the API."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.tests.helpers import certified_product
from ocop.certification.services import certificate_revoke
from ocop.core.errors import ApplicationError
from ocop.geo.models import Province
from ocop.producers.models import ProducerMembership
from ocop.stamps import codes, counterfeit, generation, services
from ocop.stamps.models import CounterfeitReport, Scan, Signal, Stamp, StampSeries
from ocop.stamps.tests.helpers import decode_labels, run, stamped

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0 Mobile Safari/537.36"


@pytest.fixture
def owner(db):
    return UserFactory(username="htx-mat-ong", role=User.Role.PRODUCER)


@pytest.fixture
def world(owner, commune):
    product, certificate, batch, series = stamped(owner, commune)
    stamp = Stamp.objects.filter(series=series).order_by("serial").first()
    return {"product": product, "certificate": certificate, "batch": batch, "series": series, "stamp": stamp}


def _scan(client, code, *, ip="203.113.10.5", agent=PHONE):
    return client.get(reverse("stamps:scan", args=[code]), REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)


# --- Batches and series -----------------------------------------------------------------------------------


def test_a_series_has_one_random_code_per_serial(world):
    stamps = list(Stamp.objects.filter(series=world["series"]).order_by("serial"))
    assert [s.serial for s in stamps] == list(range(1, 21))
    assert all(codes.is_well_formed(s.code) for s in stamps)
    assert world["series"].status == StampSeries.Status.READY


def test_codes_unique_across_series(world, owner):
    second = services.series_order(batch=world["batch"], quantity=300, by=owner)
    assert second.number == 2
    all_codes = list(Stamp.objects.values_list("code", flat=True))
    assert len(all_codes) == len(set(all_codes)) == 320


def test_a_code_drawn_twice_is_drawn_again(world, owner, monkeypatch):
    """The draw is random, so a collision is forced: the first draw repeats a code already issued."""
    taken = world["stamp"].code
    real = codes.codes_new
    calls = []

    def first_draw_collides(count):
        calls.append(count)
        drawn = real(count)
        return [taken, *drawn[1:]] if len(calls) == 1 else drawn

    monkeypatch.setattr(generation.codes, "codes_new", first_draw_collides)
    series = services.series_order(batch=world["batch"], quantity=5, by=owner)
    stored = list(Stamp.objects.filter(series=series).order_by("serial"))
    assert [s.serial for s in stored] == [1, 2, 3, 4, 5]
    assert taken not in {s.code for s in stored}
    assert calls == [5, 1]  # the one that collided was drawn again


def test_a_batch_needs_a_certificate_valid_on_its_production_date(owner, commune):
    product, *_ = stamped(owner, commune, quantity=1)
    with pytest.raises(ApplicationError) as refused:
        services.batch_create(product=product, lot="OLD-1", produced_on=dt.date.today() - dt.timedelta(days=400),
                              quantity=10, by=owner)  # fmt: skip
    assert refused.value.code == "not_certified"
    with pytest.raises(ApplicationError) as future:
        services.batch_create(product=product, lot="NEXT", produced_on=dt.date.today() + dt.timedelta(days=1),
                              quantity=10, by=owner)  # fmt: skip
    assert future.value.field == "produced_on"
    with pytest.raises(ApplicationError) as duplicate:
        services.batch_create(product=product, lot="l2026-11", produced_on=dt.date.today(), quantity=10, by=owner)
    assert duplicate.value.code == "duplicate"
    stranger = UserFactory(username="la", role=User.Role.PRODUCER)
    with pytest.raises(ApplicationError) as forbidden:
        services.batch_create(product=product, lot="X1", produced_on=dt.date.today(), quantity=10, by=stranger)
    assert forbidden.value.code == "forbidden"


def test_stamps_are_not_ordered_beyond_the_batch_or_for_a_revoked_certificate(world, owner, province_officer):
    with pytest.raises(ApplicationError) as too_many:
        services.series_order(batch=world["batch"], quantity=981, by=owner)
    assert too_many.value.code == "too_many"
    certificate_revoke(certificate=world["certificate"], by=province_officer, revoked_on=dt.date.today(),
                       decision_number="12/QĐ-UBND", reason="Vi phạm")  # fmt: skip
    with pytest.raises(ApplicationError) as revoked:
        services.series_order(batch=world["batch"], quantity=1, by=owner)
    assert revoked.value.code == "not_valid"


def test_a_large_series_is_drawn_by_the_worker(world, owner, work, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(services, "INLINE_LIMIT", 10)
    with django_capture_on_commit_callbacks(execute=True):
        series = services.series_order(batch=world["batch"], quantity=50, by=owner)
    assert series.status == StampSeries.Status.GENERATING
    work()
    series.refresh_from_db()
    assert series.status == StampSeries.Status.READY
    assert Stamp.objects.filter(series=series).count() == 50


# --- The scan page ---------------------------------------------------------------------------------------


def test_the_scan_page_shows_the_certificate_now_and_when_made(client, world, django_assert_max_num_queries):
    # The stamp with its counts, its batch (read once a second per process in production; at every scan in the
    # tests), the scan stored (at once in the tests: a savepoint, the INSERT, its release).
    with django_assert_max_num_queries(5):
        page = _scan(client, world["stamp"].code)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Mật ong hoa nhãn Hưng Yên" in text and "L2026-11" in text
    assert "CÒN HIỆU LỰC" in text
    assert "khi chứng nhận còn hiệu lực" in text or "while the certificate was valid" in text
    assert page["Cache-Control"].startswith("max-age=0")
    scan = Scan.objects.get()
    assert (scan.outcome, scan.agent, scan.network) == ("valid", "Chrome", "203.113.10.0/24")
    assert _scan(client, world["stamp"].code, ip="14.160.1.1").scan_result.scans == 2


def test_after_revocation_the_stamp_says_so_and_that_the_batch_was_made_while_valid(client, world, province_officer):
    day = dt.date.today() - dt.timedelta(days=2)
    certificate_revoke(certificate=world["certificate"], by=province_officer, revoked_on=day,
                       decision_number="45/QĐ-UBND", reason="Không duy trì chất lượng")  # fmt: skip
    with _lang(client, "vi"):
        text = _scan(client, world["stamp"].code).content.decode()
    assert "BỊ THU HỒI" in text.upper() and day.strftime("%d/%m/%Y") in text and "45/QĐ-UBND" in text
    assert "khi chứng nhận còn hiệu lực" in text
    assert Signal.objects.filter(rule=Signal.Rule.AFTER_REVOCATION, code=world["stamp"].code).exists()


class _lang:
    def __init__(self, client, code):
        self.client, self.code = client, code

    def __enter__(self):
        self.client.cookies["django_language"] = self.code

    def __exit__(self, *exc):
        self.client.cookies.pop("django_language", None)


def test_a_mistyped_code_is_told_apart_from_an_unknown_one(client, world):
    code = world["stamp"].code
    typo = code[:3] + ("2" if code[3] != "2" else "3") + code[4:]
    with _lang(client, "vi"):
        page = _scan(client, typo)
    assert page.status_code == 404 and page.scan_result.outcome == "mistyped"
    assert "KIỂM TRA LẠI MÃ" in page.content.decode()
    unknown = codes.codes_new(1)[0]
    with _lang(client, "vi"):
        page = _scan(client, unknown)
    assert page.scan_result.outcome == "unknown"
    text = page.content.decode()
    assert reverse("stamps:report", args=[unknown]) in text  # the report form is offered
    assert not Signal.objects.filter(code=typo).exists()  # a typing mistake is not a counterfeit
    assert Signal.objects.filter(rule=Signal.Rule.UNKNOWN_CODE, code=unknown).exists()  # well formed, never issued


def test_typed_with_dashes_and_lower_case_leads_to_the_one_address(client, world):
    code = world["stamp"].code
    page = client.get(reverse("stamps:scan", args=[codes.display(code).lower()]))
    assert page.status_code == 302 and page["Location"] == reverse("stamps:scan", args=[code])
    lookup = client.get(reverse("stamps:scan-lookup"), {"ma": codes.display(code)})
    assert lookup.status_code == 302


def test_twenty_scans_from_five_provinces_in_an_hour_flag_the_stamp(client, world):
    code = world["stamp"].code
    provinces = list(Province.objects.filter(code__in=["01", "79", "48", "04", "92"]))
    assert len(provinces) == 5
    for n in range(20):
        page = _scan(client, code, ip=f"10.{n}.0.1")
        scan = page.scan_result.scan
        services.scan_place(scan=scan, province=provinces[n % 5], source=Scan.Source.CHOSEN)
        counterfeit.place_check(scan)
    flagged = {s.rule for s in Signal.objects.filter(code=code, status="open")}
    assert {Signal.Rule.MANY_SCANS, Signal.Rule.FAR_APART} <= flagged
    far = Signal.objects.get(code=code, rule=Signal.Rule.FAR_APART)
    assert far.product == world["product"] and far.facts == {"provinces": 5} and "5 tỉnh" in far.detail
    with _lang(client, "vi"):
        page = _scan(client, code, ip="10.99.0.1")
    assert page.scan_result.copied
    assert "CÓ THỂ BỊ SAO CHÉP" in page.content.decode()


def test_two_scans_far_apart_minutes_apart_raise_far_apart(world):
    hanoi, saigon = Province.objects.get(code="01"), Province.objects.get(code="79")
    first = counterfeit.scan_take(code=world["stamp"].code, network="", agent="Chrome")
    services.scan_place(scan=first.scan, province=hanoi, source=Scan.Source.CHOSEN)
    assert not counterfeit.place_check(first.scan)
    second = counterfeit.scan_take(code=world["stamp"].code, network="", agent="Safari")
    services.scan_place(scan=second.scan, province=saigon, source=Scan.Source.BROWSER)
    assert counterfeit.place_check(second.scan)
    far = Signal.objects.get(rule=Signal.Rule.FAR_APART)
    assert far.facts["from"] == "Hà Nội" and far.facts["km"] > 1000 and "km" in far.detail


def test_one_buyer_scanning_twice_in_one_province_is_fine(world):
    hanoi = Province.objects.get(code="01")
    for _ in range(3):
        result = counterfeit.scan_take(code=world["stamp"].code, network="", agent="Zalo")
        services.scan_place(scan=result.scan, province=hanoi, source=Scan.Source.CHOSEN)
        assert not counterfeit.place_check(result.scan)
    assert not Signal.objects.exists()


def test_scans_of_a_series_never_printed_are_a_signal(world, owner):
    fresh = services.series_order(batch=world["batch"], quantity=3, by=owner)
    code = Stamp.objects.filter(series=fresh).first().code
    counterfeit.scan_take(code=code, network="", agent="Chrome")
    assert Signal.objects.filter(rule=Signal.Rule.NOT_PRINTED, code=code).exists()


def test_bots_are_not_counted(client, world):
    _scan(client, world["stamp"].code, agent="facebookexternalhit/1.1")
    _scan(client, world["stamp"].code, agent="Googlebot/2.1")
    assert not Scan.objects.exists()


def test_the_gs1_digital_link_reaches_the_stamp_and_a_copied_code_is_caught(client, owner, commune):
    product, _certificate, batch, series = stamped(owner, commune, gtin="4006381333931")
    code = Stamp.objects.filter(series=series).first().code
    page = client.get(f"/01/04006381333931/10/{batch.lot}/21/{code}", HTTP_USER_AGENT=PHONE)
    assert page.status_code == 200 and page.scan_result.outcome == "valid"
    wrong = client.get(f"/01/04006381333931/10/L-KHAC/21/{code}", HTTP_USER_AGENT=PHONE)
    assert wrong.scan_result.outcome == "mismatch" and wrong.scan_result.copied
    assert Signal.objects.filter(rule=Signal.Rule.WRONG_PRODUCT, code=code).exists()
    invented = codes.codes_new(1)[0]
    client.get(f"/01/04006381333931/10/{batch.lot}/21/{invented}", HTTP_USER_AGENT=PHONE)
    unknown = Signal.objects.get(rule=Signal.Rule.UNKNOWN_CODE, code=invented)
    assert unknown.product == product  # on the product's own path: its producer and province see it


def test_the_province_a_browser_grants_is_the_nearest_and_the_position_is_not_kept(client, world):
    page = _scan(client, world["stamp"].code)
    token = _place_token(page)
    answer = client.post(reverse("stamps:scan-place", args=[world["stamp"].code]),
                         {"scan": token, "lat": "10.8", "lon": "106.7"})  # fmt: skip
    assert answer.status_code == 200
    scan = Scan.objects.get()
    assert (scan.province.code, scan.province_source) == ("79", "browser")
    assert not any(hasattr(scan, f) for f in ("lat", "lon"))
    again = client.post(reverse("stamps:scan-place", args=[world["stamp"].code]), {"scan": token, "province": "01"})
    assert Scan.objects.get().province.code == "79" and again.status_code == 200  # placed once
    place = reverse("stamps:scan-place", args=[world["stamp"].code])
    forged = client.post(place, {"scan": "1:forged", "province": "01"})
    assert forged.status_code == 400


# --- Reports ------------------------------------------------------------------------------------------------


def test_a_report_reaches_the_producer_and_the_province(client, world, owner, province_officer):
    url = reverse("stamps:report", args=[world["stamp"].code])
    form = client.get(url)
    token = _token(form)
    sent = client.post(url, {"_once": token, "province": "01", "place": "Chợ Đồng Xuân",
                             "description": "Tem in mờ, nắp chai khác hẳn", "contact": "0912 345 678"})  # fmt: skip
    assert sent.status_code == 302
    report = CounterfeitReport.objects.get()
    assert report.product == world["product"] and report.stamp == world["stamp"]
    for user in (owner, province_officer):
        client.force_login(user)
        home = client.get(reverse("stamps:home"))
        assert "Chợ Đồng Xuân" in home.content.decode()
    client.force_login(province_officer)
    closed = client.post(reverse("stamps:report-close", args=[report.pk]), {"note": "Đã kiểm tra chợ"})
    assert closed.status_code == 302
    report.refresh_from_db()
    assert report.status == "closed" and report.handled_by == province_officer
    hanoi = Province.objects.get(code="01")
    hanoi_officer = UserFactory(username="hn", role=User.Role.PROVINCE_OFFICER, province=hanoi)
    client.force_login(hanoi_officer)
    assert "Chợ Đồng Xuân" not in client.get(reverse("stamps:home")).content.decode()


def _place_token(response) -> str:
    import re

    return re.search(r'name="scan" value="([^"]+)"', response.content.decode()).group(1)


def _token(response) -> str:
    import re

    return re.search(r'name="_once" value="([^"]+)"', response.content.decode()).group(1)


def test_a_report_needs_a_description(client, world):
    url = reverse("stamps:report", args=[world["stamp"].code])
    refused = client.post(url, {"_once": _token(client.get(url)), "description": "giả"})
    assert refused.status_code == 400 and not CounterfeitReport.objects.exists()


# --- Labels ------------------------------------------------------------------------------------------------


def test_the_labels_pdf_has_the_name_the_codes_and_readable_qr_codes(client, owner, commune, tmp_path):
    _product, _certificate, _batch, series = stamped(owner, commune, quantity=45)
    client.force_login(owner)
    response = client.get(reverse("stamps:labels-pdf", args=[series.pk]), {"layout": "40"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "tem.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    text = run("pdftotext", str(pdf), "-")
    first = Stamp.objects.get(series=series, serial=1).code
    assert "Mật ong hoa" in text and codes.display(first) in text and "★★★★" in text
    pages = run("pdfinfo", str(pdf))
    assert "Pages:           2" in pages  # 45 labels, 40 a sheet
    decoded = decode_labels(pdf, "40", 8)
    codes_in_order = list(
        Stamp.objects.filter(series=series, serial__lte=8).order_by("serial").values_list("code", flat=True)
    )
    assert decoded == [f"http://testserver/t/{code}" for code in codes_in_order]


def test_the_csv_lists_every_stamp_for_printers(client, owner, commune):
    _product, _certificate, batch, series = stamped(owner, commune, quantity=12, gtin="4006381333931")
    client.force_login(owner)
    response = client.get(reverse("stamps:labels-csv", args=[series.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["serial", "code", "code_printed", "qr_content"] and len(rows) == 13
    assert rows[1][3] == f"http://testserver/01/04006381333931/10/{batch.lot}/21/{rows[1][1]}"


def test_someone_elses_labels_are_not_theirs(client, world):
    stranger = UserFactory(username="khac", role=User.Role.PRODUCER)
    other = certified_product("Trà", stars=3)
    ProducerMembership.objects.create(user=stranger, producer=other.producer)
    client.force_login(stranger)
    assert client.get(reverse("stamps:labels-pdf", args=[world["series"].pk])).status_code == 404
    assert client.get(reverse("stamps:batch-detail", args=[world["batch"].pk])).status_code == 404


def test_a_scan_before_printing_still_reads_and_printing_is_recorded(client, owner, world):
    fresh = services.series_order(batch=world["batch"], quantity=2, by=owner)
    assert fresh.printed_at is None
    client.force_login(owner)
    client.get(reverse("stamps:labels-csv", args=[fresh.pk]))
    fresh.refresh_from_db()
    assert fresh.printed_at is not None


# --- The pages of producers and officers --------------------------------------------------------------


def test_a_producer_records_a_batch_and_orders_stamps_through_the_pages(client, owner, commune):
    product, *_ = stamped(owner, commune, quantity=1)
    client.force_login(owner)
    url = reverse("stamps:batch-create")
    form = client.get(url, {"san-pham": product.pk})
    assert form.status_code == 200
    created = client.post(url, {"_once": _token(form), "product": product.pk, "lot": "L-02",
                                "produced_on": timezone.localdate().strftime("%d/%m/%Y"), "quantity": 500})  # fmt: skip
    assert created.status_code == 302, created.content.decode()[:2000]
    detail = client.get(created["Location"])
    ordered = client.post(created["Location"], {"_once": _token(detail), "quantity": 100})
    assert ordered.status_code == 302
    series = StampSeries.objects.get(batch__lot="L-02")
    assert series.quantity == 100 and Stamp.objects.filter(series=series).count() == 100
    refused = client.post(created["Location"], {"_once": _token(client.get(created["Location"])), "quantity": 401})
    assert refused.status_code == 400 and "400" in refused.content.decode()


@pytest.mark.parametrize("many", [False, True])
def test_stamps_pages_cost_a_fixed_number_of_queries(client, owner, commune, many, django_assert_max_num_queries):
    product, _c, batch, _series = stamped(owner, commune, quantity=3)
    if many:
        for n in range(8):
            extra = services.batch_create(product=product, lot=f"EXTRA-{n}", produced_on=dt.date.today(), quantity=9,
                                          by=owner)  # fmt: skip
            services.series_order(batch=extra, quantity=2, by=owner)
        for stamp in Stamp.objects.all()[:15]:
            result = counterfeit.scan_take(code=stamp.code, network="", agent="Chrome")
            services.report_submit(code=stamp.code, stamp=stamp, product=product, province=None, place="",
                                   description="Tem có vẻ bị in lại", contact="")  # fmt: skip
            services.scan_place(scan=result.scan, province=Province.objects.get(code="01"), source="chosen")
    client.force_login(owner)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("stamps:home")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("stamps:batch-detail", args=[batch.pk])).status_code == 200


def test_officers_see_their_area_and_buyers_nothing(client, world, province_officer, buyer):
    client.force_login(province_officer)
    assert "L2026-11" in client.get(reverse("stamps:home")).content.decode()
    client.force_login(buyer)
    assert client.get(reverse("stamps:home")).status_code == 403


# --- API ----------------------------------------------------------------------------------------------------


def test_the_api_verifies_a_stamp(client, world):
    answer = client.get(f"/api/v1/stamps/{world['stamp'].code}", HTTP_USER_AGENT=PHONE)
    assert answer.status_code == 200
    body = answer.json()
    assert body["certificate"]["status_now"] == "valid" and body["certificate"]["status_on_production_date"] == "valid"
    assert body["batch"]["lot"] == "L2026-11" and body["scans"] == 1 and body["possibly_copied"] is False
    code = world["stamp"].code
    typo = code[:5] + ("2" if code[5] != "2" else "3") + code[6:]
    mistyped = client.get(f"/api/v1/stamps/{typo}", HTTP_ACCEPT_LANGUAGE="vi")
    assert mistyped.status_code == 400 and "kiểm tra" in mistyped.json()["detail"]
    assert client.get(f"/api/v1/stamps/{codes.codes_new(1)[0]}").status_code == 404


def test_the_api_gives_a_producer_its_batches(client, world, owner):
    from ocop.accounts.services import api_token_create

    _token_row, plain = api_token_create(user=owner, name="app")
    answer = client.get("/api/v1/me/batches", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert answer.status_code == 200
    [batch] = answer.json()
    assert batch["lot"] == "L2026-11" and batch["series"][0]["quantity"] == 20
    assert client.get("/api/v1/me/batches").status_code == 401
