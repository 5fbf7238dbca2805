"""Writes for certificates: issue, revoke, expire."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.models import User
from ocop.catalog.models import Product
from ocop.catalog.versioning import catalog_changed
from ocop.certification.models import Certificate
from ocop.certification.projection import spans_insert_for_new_products, spans_rebuild
from ocop.certification.rules import (
    certificate_numbers_allocate,
    certificate_numbers_allocate_many,
    certificate_status_stored,
    certifying_level,
    is_certified_level,
    regime_on,
    verification_code_new,
)
from ocop.core.bulk import bulk_insert
from ocop.core.dates import DatePrecision, certificate_expiry
from ocop.core.errors import ApplicationError
from ocop.core.mail import mail_render
from ocop.core.models import AuditEntry
from ocop.core.notifications import notifications_record, notify
from ocop.core.services import audit_changes_bulk, audit_created_bulk, audit_log, model_changes
from ocop.geo.models import Province


def products_copy_current_certificate(product_ids: list[int] | set[int]) -> None:
    """Copy each product's latest certificate (stars, status, date) onto the product row.

    One UPDATE with correlated subqueries (served by the certificate's (product, -issued_on) index) per 5,000
    products, whatever their certificates.
    """
    ids = list(product_ids)
    latest = Certificate.objects.filter(product_id=OuterRef("pk")).order_by("-issued_on", "-id")
    for start in range(0, len(ids), 5000):
        Product.objects.filter(pk__among=ids[start : start + 5000]).update(
            stars=Subquery(latest.values("stars")[:1]),
            certificate_status=Coalesce(Subquery(latest.values("status")[:1]), Value("")),
            certified_on=Subquery(latest.values("issued_on")[:1]),
        )


def products_sync_certification(product_ids: list[int] | set[int]) -> None:
    """After certificates changed: the products' current certificate, their certification timelines (what the
    statistics read) and the catalog version."""
    products_copy_current_certificate(product_ids)
    spans_rebuild(product_ids)
    catalog_changed()


@transaction.atomic(savepoint=False)  # inside an import: no savepoint (SQLite keeps its journal in memory)
def certificates_import(
    *,
    new: list[Certificate],
    changed: list[tuple[Certificate, dict[str, Any]]],
    products_already_current: set[int] = frozenset(),  # type: ignore[assignment]
    by: Any = None,
    source: str = "",
) -> None:
    """Record certificates read from a published list, as `certificate_issue` does one by one: numbers
    allocated under the sequence lock (in order of decision date), verification codes, the status of today;
    changed ones saved; an audit entry per changed certificate and one naming all created ones; the products'
    current certificate and certification timelines refreshed.

    `products_already_current`: products just created whose row the caller already filled from these
    certificates (the copy is skipped for them; their timeline is built from these certificates in memory).
    """
    today = timezone.localdate()
    now = timezone.now()
    codes = dict(Province.objects.values_list("pk", "code"))
    by_series: dict[tuple[str, int], list[Certificate]] = {}
    for certificate in sorted(new, key=lambda c: (c.issued_on, c.product.name)):
        certificate.product = certificate.product  # picks up the id of a product inserted just before
        by_series.setdefault((codes[certificate.province_id], certificate.issued_on.year), []).append(certificate)
    numbers_by_series = certificate_numbers_allocate_many({key: len(series) for key, series in by_series.items()})
    for key, series in by_series.items():
        for certificate, number in zip(series, numbers_by_series[key], strict=True):
            certificate.number = number
            certificate.verification_code = verification_code_new()
            certificate.status = certificate_status_stored(certificate, today)
    bulk_insert(new)
    if changed:
        for certificate, _diff in changed:
            certificate.status = certificate_status_stored(certificate, today)
        Certificate.objects.bulk_update(
            [c for c, _d in changed],
            ["stars", "score", "issued_on", "issued_precision", "expires_on", "regime", "round_label", "status",
             "decision_number", "issuer"],
            batch_size=1000,
        )  # fmt: skip
    AuditEntry.objects.bulk_create(
        audit_changes_bulk(code="certification.certificate.updated", changed=changed, actor=by, reason=source, at=now)
        + audit_created_bulk(code="certification.certificate.imported", created=new, actor=by, reason=source, at=now),
        batch_size=2000,
    )
    created = set(products_already_current)
    touched = {c.product_id for c in new} | {c.product_id for c, _d in changed}
    products_copy_current_certificate(touched - created)
    spans_insert_for_new_products(c for c in new if c.product_id in created)
    spans_rebuild(touched - created)
    catalog_changed()


@transaction.atomic
def certificate_issue(
    *,
    product: Product,
    stars: int,
    score: Decimal | None,
    decision_number: str,
    issued_on: dt.date,
    issuer: str,
    level: str = Certificate.Level.PROVINCE,
    round_label: str = "",
    legacy_province: Any = None,
    by: Any = None,
) -> Certificate:
    """Record a product's recognition at `stars`, valid 36 months from the decision date."""
    if not is_certified_level(stars):
        raise ApplicationError(_("Only 3, 4 or 5 stars are certified."), code="stars", field="stars")
    if score is not None and not Decimal(0) <= Decimal(score) <= Decimal(100):
        raise ApplicationError(_("The score must be between 0 and 100."), code="score", field="score")
    province = product.producer.province
    certificate = Certificate(
        product=product,
        number=certificate_numbers_allocate(province_code=province.code, year=issued_on.year)[0],
        verification_code=verification_code_new(),
        stars=stars,
        score=score,
        regime=regime_on(issued_on),
        level=level,
        issuer=issuer,
        province=province,
        legacy_province=legacy_province,
        decision_number=decision_number,
        round_label=round_label,
        issued_on=issued_on,
        expires_on=certificate_expiry(issued_on),
    )
    certificate.status = certificate_status_stored(certificate, timezone.localdate())
    certificate.full_clean()
    certificate.save()
    products_sync_certification([product.pk])
    audit_log(code="certification.certificate.issued", obj=certificate, actor=by)
    return certificate


@transaction.atomic
def certificate_complete(
    *, certificate: Certificate, by: Any, decision_number: str = "", issued_on: dt.date | None = None,
    issuer: str = "",
) -> Certificate:  # fmt: skip
    """Complete what a published list left out: the decision number, its exact date, the issuer. What is given
    replaces the unknown (a date known to the year becomes a day); the expiry, regime and level follow the date;
    the audit entry lists what changed and the statistics count it at once."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    before = {
        "decision_number": certificate.decision_number, "issued_on": certificate.issued_on,
        "issued_precision": certificate.issued_precision, "issuer": certificate.issuer,
    }  # fmt: skip
    if decision_number.strip():
        certificate.decision_number = decision_number.strip()
    if issuer.strip():
        certificate.issuer = issuer.strip()
    if issued_on is not None:
        if issued_on > timezone.localdate():
            raise ApplicationError(_("A decision date cannot lie in the future."), code="issued_on", field="issued_on")
        if certificate.revoked_on is not None and issued_on > certificate.revoked_on:
            raise ApplicationError(
                _("The decision date cannot come after the certificate's revocation (%(date)s).")
                % {"date": certificate.revoked_on.strftime("%d/%m/%Y")},
                code="issued_on",
                field="issued_on",
            )
        certificate.issued_on = issued_on
        certificate.issued_precision = DatePrecision.DAY
        certificate.expires_on = certificate_expiry(issued_on)
        certificate.regime = regime_on(issued_on)
        certificate.level = certifying_level(regime=certificate.regime, stars=certificate.stars).level
        certificate.status = certificate_status_stored(certificate, timezone.localdate())
    after = {key: getattr(certificate, key) for key in before}
    changes = model_changes(before, after)
    if not changes:
        return certificate
    certificate.full_clean()
    certificate.save()
    audit_log(code="certification.certificate.completed", obj=certificate, actor=by, changes=changes)
    products_sync_certification([certificate.product_id])
    return certificate


@transaction.atomic
def certificates_revoke_by_decision(
    *, numbers: list[str], by: Any, revoked_on: dt.date, decision_number: str, reason: str
) -> list[Certificate]:
    """Revoke several certificates by one decision: all of them or none (an unknown, foreign or already revoked
    number is named and nothing is revoked)."""
    wanted = list(dict.fromkeys(" ".join(number.split()) for number in numbers if number.strip()))
    if not wanted:
        raise ApplicationError(_("List the numbers of the certificates the decision revokes."), code="numbers",
                               field="numbers")  # fmt: skip
    if len(wanted) > 500:
        raise ApplicationError(_("At most 500 certificates per decision."), code="numbers", field="numbers")
    found = {c.number: c for c in Certificate.objects.filter(number__in=wanted).select_related("product__producer")}
    unknown = [number for number in wanted if number not in found]
    if unknown:
        raise ApplicationError(_("No certificate has these numbers: %(numbers)s.") % {"numbers": ", ".join(unknown)},
                               code="unknown", field="numbers")  # fmt: skip
    foreign = [number for number in wanted if not by.has_perm("certification.revoke_certificate", found[number])]
    if foreign:
        raise ApplicationError(_("You cannot revoke these certificates (another province's): %(numbers)s.")
                               % {"numbers": ", ".join(foreign)}, code="forbidden", field="numbers")  # fmt: skip
    revoked = [number for number in wanted if found[number].status == Certificate.Status.REVOKED]
    if revoked:
        raise ApplicationError(_("These certificates are already revoked: %(numbers)s.")
                               % {"numbers": ", ".join(revoked)}, code="already_revoked", field="numbers")  # fmt: skip
    return [certificate_revoke(certificate=found[number], by=by, revoked_on=revoked_on,
                               decision_number=decision_number, reason=reason) for number in wanted]  # fmt: skip


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, by: Any, revoked_on: dt.date, decision_number: str, reason: str
) -> Certificate:
    """Revoke a certificate by a decision; a revoked certificate stays revoked."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == Certificate.Status.REVOKED:
        raise ApplicationError(_("This certificate is already revoked."), code="already_revoked")
    if not reason.strip():
        raise ApplicationError(_("A reason is required to revoke a certificate."), code="reason", field="reason")
    if revoked_on > timezone.localdate():
        raise ApplicationError(
            _("A revocation takes effect on its decision date, which cannot lie in the future."),
            code="revoked_on",
            field="revoked_on",
        )
    if revoked_on < certificate.issued_on:
        raise ApplicationError(
            _("A certificate cannot be revoked before it was issued."), code="revoked_on", field="revoked_on"
        )
    previous = certificate.status
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_on = revoked_on
    certificate.revocation_decision = decision_number.strip()
    certificate.revocation_reason = reason.strip()
    certificate.save(update_fields=["status", "revoked_on", "revocation_decision", "revocation_reason", "updated_at"])
    products_sync_certification([certificate.product_id])
    audit_log(
        code="certification.certificate.revoked",
        obj=certificate,
        actor=by,
        changes={"status": [previous, certificate.status]},
        reason=reason,
    )
    product = Product.objects.get(pk=certificate.product_id)
    notify(User.objects.filter(memberships__producer_id=product.producer_id), kind="certificate",
           link=f"/verify/{certificate.verification_code}/",
           title=_("The certificate %(number)s of “%(product)s” was revoked by decision %(decision)s: %(reason)s")
           % {"number": certificate.number, "product": product.name, "decision": certificate.revocation_decision,
              "reason": certificate.revocation_reason})  # fmt: skip
    return certificate


@transaction.atomic
def certificates_expire_due(*, today: dt.date) -> int:
    """Flip every valid certificate whose expiry date has come to EXPIRED; returns how many."""
    due = list(Certificate.objects.select_for_update().filter(status=Certificate.Status.VALID, expires_on__lte=today))
    for certificate in due:
        certificate.status = Certificate.Status.EXPIRED
        audit_log(
            code="certification.certificate.expired",
            obj=certificate,
            changes={"status": [Certificate.Status.VALID, Certificate.Status.EXPIRED]},
        )
    Certificate.objects.bulk_update(due, ["status"], batch_size=1000)
    products_sync_certification({certificate.product_id for certificate in due})
    return len(due)


def certificates_remind_expiring(
    *, today: dt.date, within_days: int, site_url: str = "", among: Any = None, again: bool = False
) -> int:
    """E-mail each producer (its accounts) and its province's officers once about a certificate expiring within
    `within_days`: time to prepare the re-evaluation dossier. Returns how many certificates were announced.

    `among` limits it to a queryset (an officer's own area); `again` reminds also those already reminded (an
    officer's "remind them all now")."""
    horizon = today + dt.timedelta(days=within_days)
    base: Any = Certificate.objects.all() if among is None else among
    due_query = base.filter(status=Certificate.Status.VALID, expires_on__gt=today, expires_on__lte=horizon)
    if not again:
        due_query = due_query.filter(expiry_reminded_on__isnull=True)
    due = list(due_query.select_related("product__producer"))
    if not due:
        return 0
    officers: dict[int, list[Any]] = {}
    for officer in User.objects.filter(
        role=User.Role.PROVINCE_OFFICER, province_id__in={c.province_id for c in due}, is_active=True
    ):
        officers.setdefault(officer.province_id or 0, []).append(officer)
    members: dict[int, list[Any]] = {}
    for member in User.objects.filter(
        memberships__producer_id__in={c.product.producer_id for c in due}, is_active=True
    ).annotate(producer_id=F("memberships__producer_id")):
        members.setdefault(member.producer_id, []).append(member)
    messages = []
    for certificate in due:
        people = members.get(certificate.product.producer_id, []) + officers.get(certificate.province_id, [])
        recipients = notifications_record(
            people, kind="certificate", link=f"/verify/{certificate.verification_code}/",
            title=_("The certificate of “%(product)s” expires on %(day)s: prepare the re-evaluation dossier.")
            % {"product": certificate.product.name, "day": f"{certificate.expires_on:%d/%m/%Y}"},
        )  # fmt: skip
        if not recipients:
            continue
        subject, body = mail_render(
            "certificate_expiring",
            {"number": certificate.number, "expires_on": f"{certificate.expires_on:%d/%m/%Y}",
             "product": certificate.product.name, "producer": certificate.product.producer.name,
             "stars": certificate.stars, "decision": certificate.decision_number,
             "link": f"{site_url}/verify/{certificate.verification_code}/"},
        )  # fmt: skip
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, sorted(set(recipients))))
    send_mass_mail(messages, fail_silently=False)
    Certificate.objects.filter(pk__in=[c.pk for c in due]).update(expiry_reminded_on=today)
    return len(due)
