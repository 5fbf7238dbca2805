"""Date arithmetic the OCOP rules need."""

from __future__ import annotations

import calendar
import datetime as dt
import functools

from django.db import models
from django.utils import formats
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

CERTIFICATE_VALIDITY_MONTHS = 36


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months, clamped to the month's end (31/01 + 1 → 28/02 or 29/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def certificate_expiry(issued_on: dt.date) -> dt.date:
    """A certificate is valid for 36 months from its decision (Decision 148/QĐ-TTg)."""
    return add_months(issued_on, CERTIFICATE_VALIDITY_MONTHS)


class DatePrecision(models.TextChoices):
    """How much of a date a source gave: published lists often name only the month or the year of a decision."""

    DAY = "day", gettext_lazy("Day")
    MONTH = "month", gettext_lazy("Month")
    YEAR = "year", gettext_lazy("Year")


PRECISION_RANK: dict[str, int] = {DatePrecision.YEAR: 0, DatePrecision.MONTH: 1, DatePrecision.DAY: 2}


def period_start(day: dt.date, precision: str) -> dt.date:
    """The first day of the period a date of this precision stands for (its stored form)."""
    if precision == DatePrecision.YEAR:
        return day.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return day.replace(day=1)
    return day


def period_end(day: dt.date, precision: str) -> dt.date:
    """The last day of the period: the latest the event can have happened."""
    if precision == DatePrecision.YEAR:
        return day.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day


def date_display(day: dt.date, precision: str, *, unknown_day: str | None = None) -> str:
    """26/09/2023; "tháng 6/2021 (chưa rõ ngày)"; "năm 2021 (chưa rõ ngày)" — never an invented day."""
    return _date_display(day, precision, unknown_day or _("day not known"), get_language())


@functools.lru_cache(maxsize=4096)
def _date_display(day: dt.date, precision: str, note: str, language: str | None) -> str:
    # Kept per day, precision and language: a list or a product page shows the same decision days again and again.
    if precision == DatePrecision.DAY:
        return formats.date_format(day, "SHORT_DATE_FORMAT")
    if precision == DatePrecision.MONTH:
        return _("%(month)s/%(year)s (%(note)s)") % {"month": day.month, "year": day.year, "note": note}
    return _("year %(year)s (%(note)s)") % {"year": day.year, "note": note}
