"""The certification timeline against the rule it encodes, day by day."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocop.catalog.tests.factories import ProductFactory
from ocop.certification.models import CertifiedSpan
from ocop.certification.projection import CertificateDates, certification_spans, spans_rebuild_all
from ocop.certification.services import certificate_revoke
from ocop.dashboards.tests.helpers import certify

DAY0 = dt.date(2024, 1, 1)


@st.composite
def certificate_sets(draw):
    count = draw(st.integers(1, 4))
    out = []
    for index in range(count):
        start = draw(st.integers(0, 40))
        length = draw(st.integers(1, 40))
        revoked = draw(st.one_of(st.none(), st.integers(start - 2, start + length + 2)))
        out.append(
            CertificateDates(
                id=index + 1,
                stars=draw(st.integers(3, 5)),
                issued_on=DAY0 + dt.timedelta(days=start),
                expires_on=DAY0 + dt.timedelta(days=start + length),
                revoked_on=None if revoked is None else DAY0 + dt.timedelta(days=revoked),
            )
        )
    return out


@settings(max_examples=300, deadline=None)
@given(certificate_sets())
def test_on_every_day_the_span_is_the_best_valid_certificate(certificates):
    spans = certification_spans(certificates)
    assert sorted(s.certificate_id for s in spans if s.is_first) == sorted(c.id for c in certificates)
    for offset in range(-2, 90):
        day = DAY0 + dt.timedelta(days=offset)
        valid = [c for c in certificates if c.valid_on(day)]
        current = [s for s in spans if s.starts_on <= day < s.ends_on]
        assert len(current) == (1 if valid else 0)
        if valid:
            best = max(valid, key=lambda c: (c.stars, c.issued_on, c.id))
            assert (current[0].certificate_id, current[0].stars) == (best.id, best.stars)
            # The run ends on the first later day with no valid certificate.
            end = day
            while any(c.valid_on(end) for c in certificates):
                end += dt.timedelta(days=1)
            assert current[0].run_ends_on == end


@pytest.mark.django_db
def test_services_keep_the_projection_and_a_full_rebuild_agrees(cao_bang):
    from ocop.dashboards.tests.helpers import producers_in

    product = ProductFactory(producer=producers_in(cao_bang, 1)[0])
    old = certify(product, 3, dt.date(2021, 6, 1))
    upgrade = certify(product, 4, dt.date(2022, 6, 1))
    spans = list(
        CertifiedSpan.objects.filter(product_id=product.pk).order_by("starts_on").values_list("stars", "ends_on")
    )
    assert spans == [(3, dt.date(2022, 6, 1)), (4, dt.date(2025, 6, 1))]
    certificate_revoke(
        certificate=upgrade, by=None, revoked_on=dt.date(2023, 1, 1), decision_number="9/QĐ-UBND", reason="Vi phạm"
    )
    spans = list(
        CertifiedSpan.objects.filter(product_id=product.pk).order_by("starts_on").values_list("stars", "ends_on")
    )
    assert spans == [(3, dt.date(2022, 6, 1)), (4, dt.date(2023, 1, 1)), (3, old.expires_on)]
    before = set(CertifiedSpan.objects.values_list("certificate_id", "starts_on", "ends_on", "stars", "is_first"))
    spans_rebuild_all()
    assert (
        set(CertifiedSpan.objects.values_list("certificate_id", "starts_on", "ends_on", "stars", "is_first")) == before
    )
