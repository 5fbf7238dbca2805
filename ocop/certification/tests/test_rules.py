"""The certificate rules, each pinned in its one place: numbers, status on a day (Python and SQL agree)."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocop.catalog.tests.factories import ProductFactory
from ocop.certification.models import Certificate
from ocop.certification.rules import (
    NUMBER_PATTERN,
    central_issuer,
    certificate_number_format,
    certificate_numbers_allocate,
    certificate_numbers_allocate_many,
    certificate_status_expression,
    certificate_status_on,
    certificate_status_stored,
    certificate_status_stored_expression,
    certificate_valid_on_q,
    certifying_level,
)
from ocop.certification.tests.factories import CertificateFactory
from ocop.core.dates import certificate_expiry
from ocop.core.programme import CERTIFIED_STARS


def test_the_number_reads_ocop_province_year_and_a_five_digit_serial():
    number = certificate_number_format(province_code="04", year=2024, serial=42)
    assert number == "OCOP-04-2024-00042"
    assert NUMBER_PATTERN.match(number)["serial"] == "00042"
    assert not NUMBER_PATTERN.match("OCOP-4-2024-42")


@pytest.mark.django_db
def test_numbers_continue_after_the_highest_one_already_stored():
    CertificateFactory(number="OCOP-04-2024-00007")  # numbered by other ways (an old import, the admin)
    with transaction.atomic():
        assert certificate_numbers_allocate(province_code="04", year=2024, count=2) == [
            "OCOP-04-2024-00008",
            "OCOP-04-2024-00009",
        ]
        assert certificate_numbers_allocate(province_code="04", year=2024) == ["OCOP-04-2024-00010"]
        assert certificate_numbers_allocate(province_code="04", year=2025) == ["OCOP-04-2025-00001"]


@pytest.mark.django_db
def test_several_series_continue_each_after_its_own_highest_number():
    for number in ("OCOP-04-2023-00011", "OCOP-04-2023-00004", "OCOP-08-2023-00003", "OCOP-04-2022-00020"):
        CertificateFactory(number=number)
    with transaction.atomic():
        allocated = certificate_numbers_allocate_many({("04", 2023): 2, ("08", 2023): 1, ("11", 2023): 1})
    assert allocated == {
        ("04", 2023): ["OCOP-04-2023-00012", "OCOP-04-2023-00013"],
        ("08", 2023): ["OCOP-08-2023-00004"],
        ("11", 2023): ["OCOP-11-2023-00001"],
    }


@pytest.mark.django_db(transaction=True)
def test_numbers_taken_at_the_same_time_never_collide():
    call_command("load_reference", verbosity=0)  # an earlier transactional test may have emptied the tables

    def take(_index: int) -> list[str]:
        try:
            with transaction.atomic():
                return certificate_numbers_allocate(province_code="19", year=2026, count=3)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        numbers = [n for batch in pool.map(take, range(12)) for n in batch]
    assert len(numbers) == len(set(numbers)) == 36
    assert sorted(numbers) == [f"OCOP-19-2026-{n:05d}" for n in range(1, 37)]


def test_who_certifies_follows_the_regime():
    assert certifying_level(regime="1048/2019", stars=3).level == "province"
    assert certifying_level(regime="148/2023", stars=3).level == "district"
    assert certifying_level(regime="148/2023", stars=4).level == "province"
    assert certifying_level(regime="1489/2025", stars=3).level == "province"
    assert {certifying_level(regime=r, stars=5).level for r in ("1048/2019", "148/2023", "1489/2025")} == {"central"}
    with pytest.raises(ValueError):
        certifying_level(regime="148/2023", stars=2)
    assert central_issuer(dt.date(2024, 5, 1)) == "Bộ Nông nghiệp và Phát triển nông thôn"
    assert central_issuer(dt.date(2025, 8, 1)) == "Bộ Nông nghiệp và Môi trường"


days = st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2031, 12, 31))
certificate_dates = st.tuples(days, st.one_of(st.none(), st.integers(min_value=-400, max_value=1400)))


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dates=st.lists(certificate_dates, min_size=1, max_size=12), checked=st.lists(days, min_size=1, max_size=6))
def test_status_on_a_day_is_the_same_in_python_and_in_sql(dates, checked):
    product = ProductFactory.build()
    with transaction.atomic():
        product.producer.save()
        product.producer = product.producer
        product.save()
        certificates = []
        for index, (issued_on, revoked_after) in enumerate(dates):
            certificates.append(
                Certificate(
                    product=product,
                    stars=CERTIFIED_STARS[index % 3],
                    issued_on=issued_on,
                    expires_on=certificate_expiry(issued_on),
                    revoked_on=issued_on + dt.timedelta(days=revoked_after) if revoked_after is not None else None,
                    number=f"T-{index}",
                    verification_code=f"T{index:011d}",
                    province=product.producer.province,
                    regime="148/2023",
                    level="province",
                    issuer="UBND",
                    decision_number="1/QĐ-UBND",
                )
            )
        Certificate.objects.bulk_create(certificates)
        stored = list(Certificate.objects.filter(product=product).order_by("pk"))
        for day in checked:
            in_sql = dict(
                Certificate.objects.filter(product=product)
                .annotate(on_day=certificate_status_expression(day))
                .values_list("pk", "on_day")
            )
            valid_in_sql = set(
                Certificate.objects.filter(certificate_valid_on_q(day), product=product).values_list("pk", flat=True)
            )
            in_python = {c.pk: certificate_status_on(c, day) for c in stored}
            assert in_sql == in_python
            kept_in_sql = dict(
                Certificate.objects.filter(product=product)
                .annotate(kept=certificate_status_stored_expression(day))
                .values_list("pk", "kept")
            )
            assert kept_in_sql == {c.pk: certificate_status_stored(c, day) for c in stored}
            assert valid_in_sql == {pk for pk, status in in_python.items() if status == "valid"}
        transaction.set_rollback(True)
