"""Writes for producers."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ocop.core.services import audit_log, model_changes
from ocop.core.text import nfc, plain_text, slugify_vn, vn_fold, vn_sort_key
from ocop.producers.models import Producer, ProducerMembership
from ocop.producers.signals import producer_changed

_LINE_FIELDS = ("name", "representative", "phone", "address", "tax_code")


def producer_fill_derived(producer: Producer) -> None:
    """Normalise text to NFC and fill the folded name, sort key, slug and province from the commune."""
    for field in _LINE_FIELDS:
        value = getattr(producer, field)
        if isinstance(value, str):
            setattr(producer, field, nfc(value))
    producer.description = plain_text(producer.description or "", multiline=True)
    if producer.tax_code == "":
        producer.tax_code = None
    producer.name_folded = vn_fold(producer.name)
    producer.sort_key = vn_sort_key(producer.name)
    producer.slug = slugify_vn(producer.name)
    if producer.commune is not None:
        producer.province_id = producer.commune.province_id
    elif producer.legacy_district is not None and not producer.province_id:
        producer.province_id = producer.legacy_district.province.successor_id


@transaction.atomic
def producer_create(*, by: Any = None, **fields: Any) -> Producer:
    """Create a producer from its fields and record it in the audit trail."""
    producer = Producer(**fields)
    producer_fill_derived(producer)
    producer.full_clean()
    producer.save()
    audit_log(code="producers.producer.created", obj=producer, actor=by)
    return producer


@transaction.atomic
def producer_update(*, producer: Producer, by: Any = None, **fields: Any) -> Producer:
    """Change a producer's fields; the audit entry lists what changed."""
    before = {key: getattr(producer, key) for key in fields}
    for key, value in fields.items():
        setattr(producer, key, value)
    producer_fill_derived(producer)
    producer.full_clean()
    producer.save()
    changes = model_changes(before, {key: getattr(producer, key) for key in fields})
    if changes:
        audit_log(code="producers.producer.updated", obj=producer, actor=by, changes=changes)
        producer_changed.send(sender=Producer, producer_id=producer.pk)
    return producer


def on_invitation_accepted(*, invitation: Any, user: Any, **kwargs: Any) -> None:
    """An account invited for a producer acts for it from its first sign-in."""
    if invitation.producer_id:
        ProducerMembership.objects.get_or_create(user=user, producer_id=invitation.producer_id)
