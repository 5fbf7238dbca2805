import datetime as dt
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict

from ocop.catalog.tests.helpers import certified_product
from ocop.certification.models import Certificate
from ocop.core.bulk import bulk_insert
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
