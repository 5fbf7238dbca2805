import datetime as dt
from decimal import Decimal

import pytest

from ocop.catalog.tests.factories import ProductFactory
from ocop.certification.models import Certificate
from ocop.certification.rules import certificate_status_on, regime_on
from ocop.certification.services import (
    certificate_issue,
    certificate_revoke,
    certificates_expire_due,
)
from ocop.core.dates import add_months, certificate_expiry
from ocop.core.errors import ApplicationError
from ocop.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    return ProductFactory()


def issue(product, **kwargs):
    values = {
        "product": product,
        "stars": 4,
        "score": Decimal("72.50"),
        "decision_number": "2751/QĐ-UBND",
        "issued_on": dt.date(2023, 9, 26),
        "issuer": "UBND tỉnh Cao Bằng",
    }
    values.update(kwargs)
    return certificate_issue(**values)


def test_a_certificate_is_valid_for_36_months_from_its_decision(product):
    certificate = issue(product)
    assert certificate.expires_on == dt.date(2026, 9, 26)
    assert certificate.number == f"OCOP-{product.producer.province.code}-2023-00001"
    assert len(certificate.verification_code) == 12


def test_issuing_copies_the_stars_onto_the_product_and_audits(product):
    issued_on = dt.date.today() - dt.timedelta(days=30)
    certificate = issue(product, issued_on=issued_on)
    product.refresh_from_db()
    assert (product.stars, product.certificate_status, product.certified_on) == (4, "valid", issued_on)
    assert AuditEntry.objects.filter(code="certification.certificate.issued", object_id=str(certificate.pk)).exists()


def test_a_decision_recorded_after_its_validity_ended_stores_the_certificate_as_expired(product):
    certificate = issue(product, issued_on=dt.date(2020, 3, 2))
    product.refresh_from_db()
    assert certificate.status == product.certificate_status == "expired"


def test_numbers_follow_each_other_within_a_province_and_year(product):
    first = issue(product)
    second = issue(ProductFactory(producer=product.producer))
    assert int(second.number[-5:]) == int(first.number[-5:]) + 1


@pytest.mark.parametrize("stars", [1, 2, 6])
def test_it_refuses_stars_outside_3_to_5(product, stars):
    with pytest.raises(ApplicationError):
        issue(product, stars=stars)


def test_it_refuses_a_score_above_100(product):
    with pytest.raises(ApplicationError):
        issue(product, score=Decimal("100.25"))


def test_revoking_records_the_decision_and_reason(product, province_officer):
    today = dt.date.today()
    certificate = issue(product, issued_on=today - dt.timedelta(days=200))
    certificate_revoke(
        certificate=certificate,
        by=province_officer,
        revoked_on=today - dt.timedelta(days=2),
        decision_number="112/QĐ-UBND",
        reason="Vi phạm quy định về an toàn thực phẩm.",
    )
    certificate.refresh_from_db()
    product.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert product.certificate_status == "revoked"
    entry = AuditEntry.objects.get(code="certification.certificate.revoked")
    assert entry.actor == province_officer
    assert entry.changes == {"status": ["valid", "revoked"]}


def test_a_revocation_cannot_be_dated_in_the_future(product, province_officer):
    certificate = issue(product, issued_on=dt.date.today() - dt.timedelta(days=30))
    with pytest.raises(ApplicationError) as refused:
        certificate_revoke(
            certificate=certificate,
            by=province_officer,
            revoked_on=dt.date.today() + dt.timedelta(days=1),
            decision_number="1/QĐ-UBND",
            reason="x",
        )
    assert refused.value.code == "revoked_on"


def test_it_refuses_to_revoke_twice_or_without_a_reason(product, province_officer):
    certificate = issue(product)
    with pytest.raises(ApplicationError):
        certificate_revoke(
            certificate=certificate,
            by=province_officer,
            revoked_on=dt.date(2024, 1, 1),
            decision_number="1",
            reason=" ",
        )
    certificate_revoke(
        certificate=certificate,
        by=province_officer,
        revoked_on=dt.date(2024, 1, 1),
        decision_number="1",
        reason="x",
    )
    with pytest.raises(ApplicationError):
        certificate_revoke(
            certificate=certificate,
            by=province_officer,
            revoked_on=dt.date(2024, 1, 2),
            decision_number="2",
            reason="y",
        )


def test_expiry_flips_only_certificates_whose_date_has_come(product):
    today = dt.date.today()
    old = issue(product, issued_on=add_months(today, -35))
    fresh = issue(ProductFactory(), issued_on=add_months(today, -1))
    later = add_months(today, 2)
    assert certificates_expire_due(today=later) == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == ("expired", "valid")
    product.refresh_from_db()
    assert product.certificate_status == "expired"
    assert certificates_expire_due(today=later) == 0


def test_status_on_a_date_does_not_wait_for_the_expiry_task(product):
    certificate = issue(product, issued_on=dt.date(2021, 3, 1))
    assert certificate_status_on(certificate, dt.date(2024, 2, 29)) == "valid"
    assert certificate_status_on(certificate, dt.date(2024, 3, 1)) == "expired"
    assert certificate_status_on(certificate, dt.date(2021, 2, 28)) == ""


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),
        (dt.date(2024, 2, 29), 36, dt.date(2027, 2, 28)),
        (dt.date(2023, 9, 26), 36, dt.date(2026, 9, 26)),
        (dt.date(2023, 12, 15), 1, dt.date(2024, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_certificate_expiry_is_36_months():
    assert certificate_expiry(dt.date(2021, 11, 24)) == dt.date(2024, 11, 24)


@pytest.mark.parametrize(
    ("day", "regime"),
    [
        (dt.date(2022, 5, 1), "1048/2019"),
        (dt.date(2023, 2, 24), "148/2023"),
        (dt.date(2025, 7, 6), "1489/2025"),
    ],
)
def test_the_regime_follows_the_decision_in_force(day, regime):
    assert regime_on(day) == regime
