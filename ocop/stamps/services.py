"""Writes of stamps: batches, series and their codes, printing, scans, signals and reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ocop.catalog.models import CertificateStatus, Product
from ocop.certification.models import Certificate
from ocop.certification.rules import certificate_status_on, certificate_status_stored
from ocop.core import gs1
from ocop.core.errors import ApplicationError
from ocop.core.services import audit_log
from ocop.core.text import plain_text
from ocop.stamps.generation import series_generate
from ocop.stamps.models import MAX_SERIES, Batch, CounterfeitReport, Scan, Signal, Stamp, StampSeries
from ocop.stamps.tasks import series_generate_task

INLINE_LIMIT = 20_000  # series up to this size are drawn in the request; larger ones by the task worker


def may_manage(user: Any, product: Product) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm("stamps.manage_stamps", product)


def _refuse_unless_manager(user: Any, product: Product) -> None:
    if not may_manage(user, product):
        raise ApplicationError(
            _("Only the producer and the officers of its place manage its batches and stamps."), code="forbidden"
        )


def certificate_for_batch(product: Product, produced_on: dt.date) -> Certificate | None:
    """The product's certificate in force on the production date (the latest issued, if two overlap)."""
    for certificate in product.certificates.order_by("-issued_on", "-id"):
        if certificate_status_on(certificate, produced_on) == CertificateStatus.VALID:
            return certificate
    return None


@transaction.atomic
def batch_create(
    *, product: Product, lot: str, produced_on: dt.date, quantity: int, by: Any, best_before: dt.date | None = None
) -> Batch:
    """Record a production batch of a certified product; the certificate in force on its production date is kept."""
    _refuse_unless_manager(by, product)
    lot = plain_text(lot or "").strip()
    if not gs1.LOT_PATTERN.match(lot):
        raise ApplicationError(
            _("A lot number is 1 to 20 letters, digits or - . / _ and starts with a letter or digit."),
            field="lot", code="lot",
        )  # fmt: skip
    today = timezone.localdate()
    if produced_on > today:
        raise ApplicationError(_("The production date cannot be in the future."), field="produced_on", code="date")
    if best_before is not None and best_before <= produced_on:
        raise ApplicationError(_("The best-before date must come after the production date."), field="best_before",
                               code="date")  # fmt: skip
    if not 1 <= quantity <= 100_000_000:
        raise ApplicationError(_("The quantity is a whole number of units from 1 to 100,000,000."), field="quantity",
                               code="quantity")  # fmt: skip
    certificate = certificate_for_batch(product, produced_on)
    if certificate is None:
        raise ApplicationError(
            _("The product held no valid OCOP certificate on %(day)s: a batch made then cannot carry the stars.")
            % {"day": produced_on.strftime("%d/%m/%Y")},
            field="produced_on", code="not_certified",
        )  # fmt: skip
    if Batch.objects.filter(product=product, lot__iexact=lot).exists():
        raise ApplicationError(_("This product already has a batch with lot number %(lot)s.") % {"lot": lot},
                               field="lot", code="duplicate")  # fmt: skip
    batch = Batch.objects.create(product=product, certificate=certificate, lot=lot, produced_on=produced_on,
                                 best_before=best_before, quantity=quantity, created_by=_user(by))  # fmt: skip
    audit_log(code="stamps.batch.created", obj=batch, actor=by)
    return batch


def _n(number: int) -> str:
    return number_format(number, force_grouping=True)


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def series_order(*, batch: Batch, quantity: int, by: Any) -> StampSeries:
    """Order `quantity` stamps for a batch. Small series are drawn at once; large ones by the task worker."""
    with transaction.atomic():
        batch = Batch.objects.select_for_update().select_related("product", "certificate").get(pk=batch.pk)
        _refuse_unless_manager(by, batch.product)
        if not 1 <= quantity <= MAX_SERIES:
            raise ApplicationError(_("A series has from 1 to 1,000,000 stamps."), field="quantity", code="quantity")
        status = certificate_status_stored(batch.certificate, timezone.localdate())
        if status != CertificateStatus.VALID:
            raise ApplicationError(
                _("The certificate %(number)s is no longer valid (%(status)s): no new stamps can be ordered.")
                % {"number": batch.certificate.number, "status": CertificateStatus(status).label},
                code="not_valid",
            )  # fmt: skip
        ordered = batch.series.aggregate(n=Sum("quantity"), last=Max("number"))
        if (ordered["n"] or 0) + quantity > batch.quantity:
            raise ApplicationError(
                _("The batch has %(units)s units and %(ordered)s stamps are already ordered: at most %(left)s more.")
                % {"units": _n(batch.quantity), "ordered": _n(ordered["n"] or 0),
                   "left": _n(max(batch.quantity - (ordered["n"] or 0), 0))},
                field="quantity", code="too_many",
            )  # fmt: skip
        series = StampSeries.objects.create(batch=batch, number=(ordered["last"] or 0) + 1, quantity=quantity,
                                            created_by=_user(by))  # fmt: skip
        audit_log(code="stamps.series.ordered", obj=series, actor=by, changes={"quantity": quantity})
        if quantity <= INLINE_LIMIT:
            series_generate(series)
            series.refresh_from_db()
        else:
            transaction.on_commit(lambda: series_generate_task.enqueue(series.pk))
    return series


def series_mark_printed(*, series: StampSeries, by: Any) -> None:
    """The labels were downloaded (PDF or CSV): from now on scans of the series are expected."""
    if series.printed_at is None:
        StampSeries.objects.filter(pk=series.pk, printed_at__isnull=True).update(printed_at=timezone.now())
        audit_log(code="stamps.series.printed", obj=series, actor=by)


# --- Scans ------------------------------------------------------------------------------------------


def scan_place(*, scan: Scan, province: Any, source: str) -> bool:
    """Record the province a person chose (or their browser granted) for their scan, once, within an hour."""
    if scan.province_id is not None or timezone.now() - scan.at > dt.timedelta(hours=1):
        return False
    updated = Scan.objects.filter(pk=scan.pk, province__isnull=True).update(province=province, province_source=source)
    scan.province, scan.province_source = province, source
    return bool(updated)


def signal_raise(
    *, rule: str, code: str, stamp_code: str | None, product_id: int | None, facts: dict | None = None
) -> Signal:
    """Open a signal for (rule, code), or count one more scan on the open one."""
    now = timezone.now()
    for _attempt in range(3):
        updated = Signal.objects.filter(rule=rule, code=code, status=Signal.Status.OPEN)
        if updated.exists():
            updated.update(last_at=now, scans=F("scans") + 1, **({"facts": facts} if facts else {}))
            return updated.get()
        try:
            with transaction.atomic():
                return Signal.objects.create(rule=rule, code=code, stamp_id=stamp_code, product_id=product_id,
                                             first_at=now, last_at=now, facts=facts or {})  # fmt: skip
        except IntegrityError:  # another scan opened it at the same moment
            continue
    return Signal.objects.get(rule=rule, code=code, status=Signal.Status.OPEN)


@transaction.atomic
def signal_close(*, signal: Signal, by: Any, note: str) -> None:
    _refuse_unless_handler(by, signal.product)
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.status == Signal.Status.CLOSED:
        return
    signal.status, signal.handled_by, signal.note = Signal.Status.CLOSED, _user(by), plain_text(note)[:2000]
    signal.save(update_fields=["status", "handled_by", "note", "updated_at"])
    audit_log(code="stamps.signal.closed", obj=signal, actor=by)


def _refuse_unless_handler(by: Any, product: Product | None) -> None:
    from ocop.accounts.permissions import is_central

    if product is None and is_central(by):
        return
    if product is None or not may_manage(by, product):
        raise ApplicationError(_("Only the producer and the officers of its place handle this."), code="forbidden")


# --- Reports ----------------------------------------------------------------------------------------


def report_submit(
    *, code: str, stamp: Stamp | None, product: Product | None, province: Any, place: str, description: str,
    contact: str,
) -> CounterfeitReport:  # fmt: skip
    """A consumer's report of a suspected fake; the producer and its province see it on their stamps page."""
    description = plain_text(description or "").strip()
    if len(description) < 10:
        raise ApplicationError(_("Say in a few words what looks wrong (at least 10 characters)."),
                               field="description", code="description")  # fmt: skip
    report = CounterfeitReport.objects.create(
        code=code[:40], stamp=stamp, product=product, province=province, place=plain_text(place or "")[:200],
        description=description[:2000], contact=plain_text(contact or "")[:120],
    )  # fmt: skip
    audit_log(code="stamps.report.received", obj=report)
    return report


@transaction.atomic
def report_close(*, report: CounterfeitReport, by: Any, note: str) -> None:
    from ocop.accounts.permissions import manages_province

    allowed = (report.product is not None and may_manage(by, report.product)) or (
        report.product is None and manages_province(by, report.province_id)
    )
    if not allowed:
        raise ApplicationError(_("Only the producer and the officers of its place handle this."), code="forbidden")
    report = CounterfeitReport.objects.select_for_update().get(pk=report.pk)
    if report.status == CounterfeitReport.Status.CLOSED:
        return
    report.status, report.handled_by, report.note = (CounterfeitReport.Status.CLOSED, _user(by),
                                                     plain_text(note or "")[:2000])  # fmt: skip
    report.save(update_fields=["status", "handled_by", "note", "updated_at"])
    audit_log(code="stamps.report.closed", obj=report, actor=by)
