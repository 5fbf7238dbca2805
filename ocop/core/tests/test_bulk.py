import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from ocop.catalog.tests.helpers import certified_product
from ocop.certification.models import Certificate
from ocop.core.bulk import bulk_insert, insert_rows
from ocop.core.models import AuditEntry

pytestmark = pytest.mark.django_db

SKIP = {"id", "number", "verification_code", "created_at", "updated_at", "at"}


def certificate(product, number):
    return Certificate(
        product=product, number=number, verification_code=f"CODE{number[-5:]}", stars=4, score=Decimal("78.25"),
        regime="148_2023", level=Certificate.Level.PROVINCE, issuer="UBND tỉnh Lai Châu",
        province_id=product.producer.province_id, decision_number="12/QĐ-UBND", issued_on=dt.date(2024, 3, 5),
        expires_on=dt.date(2027, 3, 5), status=Certificate.Status.VALID,
    )  # fmt: skip


def test_bulk_insert_stores_the_same_rows_as_bulk_create_and_sets_primary_keys():
    product = certified_product("Miến dong Bình Liêu")
    ours = [certificate(product, f"OCOP-12-2024-9{i:04d}") for i in range(7)]
    theirs = [certificate(product, f"OCOP-12-2024-8{i:04d}") for i in range(7)]
    bulk_insert(ours, batch_size=3)  # several batches
    Certificate.objects.bulk_create(theirs)
    assert all(c.pk for c in ours) and len({c.pk for c in ours}) == 7
    assert [c.pk for c in ours] == sorted(c.pk for c in ours)  # in the order given, as bulk_create
    later = certificate(product, "OCOP-12-2024-70000")
    later.save()  # the table's own id sequence went past the ids taken
    assert later.pk > max(c.pk for c in ours + theirs)
    for mine, reference in zip(ours, theirs, strict=True):
        stored = Certificate.objects.get(pk=mine.pk)
        expected = Certificate.objects.get(pk=reference.pk)
        assert {k: v for k, v in model_to_dict(stored).items() if k not in SKIP} == {
            k: v for k, v in model_to_dict(expected).items() if k not in SKIP
        }
        assert stored.created_at is not None and stored.score == Decimal("78.25")
        assert not mine._state.adding


def test_bulk_insert_keeps_json_and_vietnamese_text():
    entries = [AuditEntry(code="test.bulk", object_type="x", object_id=str(i), object_repr="Đồng Văn",
                          changes={"tên": "Mật ong", "n": i}) for i in range(3)]  # fmt: skip
    bulk_insert(entries)
    stored = AuditEntry.objects.get(pk=entries[2].pk)
    assert stored.changes == {"tên": "Mật ong", "n": 2} and stored.object_repr == "Đồng Văn" and stored.at


def test_insert_rows_writes_plain_tuples_like_bulk_create():
    from ocop.certification.models import CertifiedProducerSpan

    names = ("grouping", "area_id", "producer_kind", "producer_id", "starts_on", "ends_on")
    rows = [("p", 7, "cooperative", i, dt.date(2024, 1, 1 + i % 28), dt.date(2027, 1, 1)) for i in range(2500)]
    assert insert_rows(CertifiedProducerSpan, names, iter(rows)) == 2500  # several statements on SQLite
    stored = sorted(CertifiedProducerSpan.objects.values_list(*names))
    assert stored == sorted(rows)


def test_among_finds_the_same_rows_as_in_with_one_parameter_whatever_the_length():
    first = certified_product("Chè Shan tuyết")
    second = certified_product("Mật ong bạc hà")
    certificates = [certificate(first, "OCOP-12-2024-70001"), certificate(second, "OCOP-12-2024-70002")]
    bulk_insert(certificates)
    ids = [first.pk, *range(10**6, 10**6 + 40_000), second.pk]  # more than SQLite takes placeholders (32,766)
    with CaptureQueriesContext(connection) as queries:
        found = sorted(Certificate.objects.filter(product_id__among=ids).values_list("pk", flat=True))
    expected = sorted(Certificate.objects.filter(product_id__in=[first.pk, second.pk]).values_list("pk", flat=True))
    assert len(found) == 4 and found == expected and len(queries) == 1
    assert {c.product_id for c in Certificate.objects.filter(product__among=[second.pk])} == {second.pk}
    assert list(Certificate.objects.filter(product_id__among=[])) == []
    assert Certificate.objects.exclude(product_id__among=[first.pk]).filter(product=second).exists()
