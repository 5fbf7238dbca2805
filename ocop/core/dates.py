"""Date arithmetic the OCOP rules need."""

from __future__ import annotations

import calendar
import datetime as dt

CERTIFICATE_VALIDITY_MONTHS = 36


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months, clamped to the month's end (31/01 + 1 → 28/02 or 29/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def certificate_expiry(issued_on: dt.date) -> dt.date:
    """A certificate is valid for 36 months from its decision (Decision 148/QĐ-TTg)."""
    return add_months(issued_on, CERTIFICATE_VALIDITY_MONTHS)
