"""Reads of stamps: the batches and series a user manages, scans by province and week, signals and reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from ocop.catalog.models import CertificateStatus, Product
from ocop.stamps import scanlog
from ocop.stamps.models import Batch, CounterfeitReport, Scan, Signal, StampSeries
from ocop.stamps.services import may_manage

WEEKS = 12


def batches_for(user: Any) -> QuerySet[Batch]:
    return (
        Batch.objects.restrict(user)
        .select_related("product__producer", "certificate")
        .annotate(stamps=Sum("series__quantity"))
        .order_by("-produced_on", "-id")
    )


def products_for_batches(user: Any, *, product_id: int | None = None) -> list[Product]:
    """Products the user may record batches of: currently certified (valid), theirs or in their area."""
    products = Product.objects.filter(certificate_status=CertificateStatus.VALID).select_related("producer")
    if product_id is not None:
        products = products.filter(pk=product_id)
    elif getattr(user, "role", "") == "producer":
        products = products.filter(producer__memberships__user=user)
    else:
        return []  # officers start from the product's own page (a province has thousands)
    return [p for p in products.order_by("sort_key")[:500] if may_manage(user, p)]


@dataclass
class WeekRow:
    week: dt.date
    total: int
    by_province: dict[str, int] = field(default_factory=dict)


@dataclass
class ScanSummary:
    """Scans by week (rows) and province (columns), the last `WEEKS` weeks."""

    provinces: list[str]
    weeks: list[WeekRow]
    total: int


def scan_summary(scans: QuerySet[Scan]) -> ScanSummary:
    scanlog.flush()  # the scans still waiting in Redis count too
    since = timezone.now() - dt.timedelta(weeks=WEEKS)
    rows = (
        scans.filter(at__gte=since)
        .annotate(week=TruncWeek("at"))
        .values("week", "province__name")
        .annotate(n=Count("id"))
        .order_by("-week")
    )
    weeks: dict[dt.date, WeekRow] = {}
    totals: dict[str, int] = {}
    unplaced = "—"
    for row in rows:
        week = row["week"].date() if isinstance(row["week"], dt.datetime) else row["week"]
        name = row["province__name"] or unplaced
        entry = weeks.setdefault(week, WeekRow(week=week, total=0))
        entry.by_province[name] = entry.by_province.get(name, 0) + row["n"]
        entry.total += row["n"]
        totals[name] = totals.get(name, 0) + row["n"]
    provinces = sorted((n for n in totals if n != unplaced), key=lambda n: -totals[n])[:8]
    if unplaced in totals:
        provinces.append(unplaced)
    ordered = sorted(weeks.values(), key=lambda w: w.week, reverse=True)
    return ScanSummary(provinces=provinces, weeks=ordered, total=sum(totals.values()))


def open_signals(user: Any) -> QuerySet[Signal]:
    signals = Signal.objects.filter(status=Signal.Status.OPEN).select_related("product", "stamp__series__batch")
    if getattr(user, "role", "") in ("central_officer", "site_admin"):
        return signals.order_by("-last_at", "-id")
    return signals.restrict(user).order_by("-last_at", "-id")


def open_reports(user: Any) -> QuerySet[CounterfeitReport]:
    return (
        CounterfeitReport.objects.restrict(user)
        .filter(status=CounterfeitReport.Status.OPEN)
        .select_related("product", "province")
        .order_by("-created_at", "-id")
    )


def series_of(batch: Batch) -> list[StampSeries]:
    """The batch's series, each with its number of scans (read from the scans: a series has up to a million
    stamps and only a few are ever scanned)."""
    scanlog.flush()
    counts = dict(Scan.objects.filter(stamp__series__batch=batch).values_list("stamp__series").annotate(n=Count("id")))
    series = list(batch.series.order_by("number"))
    for item in series:
        item.scanned = counts.get(item.pk, 0)  # type: ignore[attr-defined]
    return series
