"""Writes for producers."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.core.errors import ApplicationError
from ocop.core.mail import site_link
from ocop.core.notifications import notify
from ocop.core.services import audit_log, model_changes
from ocop.core.text import nfc, plain_text, slugify_vn, vn_fold, vn_sort_key
from ocop.producers.models import Producer, ProducerClaim, ProducerMembership
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


# --- Claims: a signed-up account asks to act for a producer -----------------------------------------------------

TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")


def tax_code_clean(value: str) -> str:
    """A Vietnamese tax code: 10 digits, or 10 digits, a hyphen and a 3-digit branch number; spaces and dots go."""
    code = nfc(value or "").strip().replace(" ", "").replace(".", "")
    if len(code) == 13 and code.isdigit():
        code = f"{code[:10]}-{code[10:]}"
    if not TAX_CODE.match(code):
        raise ApplicationError(
            _("A tax code has 10 digits, or 10 digits, a hyphen and 3 more (a branch): e.g. 0101234567."),
            field="tax_code", code="tax_code",
        )  # fmt: skip
    return code


def claim_deciders(claim: ProducerClaim) -> Any:
    """The officers who confirm a claim: the commune's officers (when a commune is known) and the province's."""
    from ocop.accounts.models import User

    people = User.objects.filter(is_active=True)
    officers = Q(role=User.Role.PROVINCE_OFFICER, province_id=claim.province_id)
    if claim.commune_id:
        officers |= Q(role=User.Role.COMMUNE_OFFICER, commune_id=claim.commune_id)
    return people.filter(officers)


@transaction.atomic
def claim_start(*, user: Any, tax_code: str, name: str = "", kind: str = "", province: Any = None,
                commune: Any = None, address: str = "", position: str = "") -> ProducerClaim:  # fmt: skip
    """Ask to act for the producer with this tax code, or for a new one described here; the office confirms."""
    from ocop.accounts.models import User

    if getattr(user, "role", None) != User.Role.PRODUCER:
        raise ApplicationError(_("Only producer accounts claim a producer."), code="forbidden")
    code = tax_code_clean(tax_code)
    producer = Producer.objects.select_related("province", "commune").filter(tax_code=code).first()
    if producer is not None and ProducerMembership.objects.filter(user=user, producer=producer).exists():
        raise ApplicationError(_("Your account already acts for %(name)s.") % {"name": producer.name},
                               field="tax_code", code="member")  # fmt: skip
    if ProducerClaim.objects.filter(user=user, tax_code=code, status=ProducerClaim.Status.PENDING).exists():
        raise ApplicationError(_("You already asked for this tax code; the office has not answered yet."),
                               field="tax_code", code="pending")  # fmt: skip
    if producer is not None:
        claim = ProducerClaim(user=user, producer=producer, tax_code=code, name=producer.name, kind=producer.kind,
                              province=producer.province, commune=producer.commune, position=nfc(position))  # fmt: skip
    else:
        if not nfc(name).strip() or not kind or province is None:
            raise ApplicationError(
                _("No producer has this tax code in the programme's records: give its name, type and province."),
                field="name", code="new_producer",
            )  # fmt: skip
        if commune is not None and commune.province_id != province.pk:
            raise ApplicationError(_("This commune is in another province."), field="commune", code="commune")
        claim = ProducerClaim(user=user, tax_code=code, name=nfc(name).strip(), kind=kind, province=province,
                              commune=commune, address=nfc(address), position=nfc(position))  # fmt: skip
    claim.full_clean()
    claim.save()
    audit_log(code="producers.claim.made", obj=claim, actor=user)
    link = reverse("producers:claim-list")
    notify(claim_deciders(claim), kind="account", link=link,
           title=_("To confirm: %(claimant)s asks to act for %(producer)s") % {"claimant": user.display_name,
                                                                               "producer": claim.name},
           mail=("claim_made", {"claimant": user.display_name, "producer": claim.name, "tax_code": code,
                                "link": site_link(link)}))  # fmt: skip
    return claim


def claims_for(user: Any) -> Any:
    """The claims an officer may decide: the country's (central office), the province's, the commune's."""
    from ocop.accounts.permissions import is_central, is_commune_officer, is_province_officer

    claims = ProducerClaim.objects.select_related("user", "producer", "province", "commune").order_by(
        "status", "-created_at")  # fmt: skip
    if is_central(user):
        return claims
    if is_province_officer(user):
        return claims.filter(province_id=user.province_id)
    if is_commune_officer(user):
        return claims.filter(commune_id=user.commune_id)
    return claims.none()


@transaction.atomic
def claim_decide(*, claim: ProducerClaim, by: Any, confirm: bool, note: str = "") -> ProducerClaim:
    """Confirm (membership made; a new producer created) or refuse (with the reason) a pending claim."""
    if not claims_for(by).filter(pk=claim.pk).exists():
        raise ApplicationError(_("This claim belongs to another area."), code="forbidden")
    claim = ProducerClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ProducerClaim.Status.PENDING:
        raise ApplicationError(_("This claim has already been decided."), code="state")
    note = plain_text(note)[:500]
    if not confirm and not note:
        raise ApplicationError(_("Say why the claim is refused: the producer reads it."), field="note", code="note")
    if confirm:
        producer = claim.producer or Producer.objects.filter(tax_code=claim.tax_code).first()
        if producer is None:
            producer = producer_create(
                by=by, name=claim.name, kind=claim.kind, tax_code=claim.tax_code, province=claim.province,
                commune=claim.commune, address=claim.address,
            )  # fmt: skip
        ProducerMembership.objects.get_or_create(user_id=claim.user_id, producer=producer)
        claim.producer = producer
    claim.status = ProducerClaim.Status.CONFIRMED if confirm else ProducerClaim.Status.REFUSED
    claim.decided_by, claim.decided_at, claim.note = by, timezone.now(), note
    claim.save()
    audit_log(code="producers.claim.confirmed" if confirm else "producers.claim.refused", obj=claim, actor=by,
              reason=note)  # fmt: skip
    link = reverse("site:workspace")
    notify([claim.user], kind="account", link=link,
           title=(_("You now act for %(producer)s") if confirm else
                  _("Your request to act for %(producer)s was refused")) % {"producer": claim.name},
           mail=("claim_decided", {"name": claim.user.display_name, "producer": claim.name, "confirmed": confirm,
                                   "note": note, "link": site_link(link)}))  # fmt: skip
    return claim
