"""Flood limits counted atomically: "at most N in a window" holds however many requests arrive at once."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ocop.core.models import FloodCounter


def flood_take(key: str, *, limit: int, window: dt.timedelta) -> bool:
    """Count one more for `key` in the current window and say whether it is within `limit`. A fixed window
    (aligned on the epoch); the count and the check are one conditional UPDATE, which the database serialises,
    so twelve concurrent calls with a limit of five pass exactly five times. Called inside the transaction
    that does the thing counted: if that fails, the count rolls back with it."""
    now = timezone.now()
    seconds = int(window.total_seconds())
    start = dt.datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=dt.UTC)
    if not FloodCounter.objects.filter(key=key, window_start=start).exists():
        try:
            with transaction.atomic():
                FloodCounter.objects.create(key=key, window_start=start)
        except IntegrityError:
            pass  # another request created it first
    return FloodCounter.objects.filter(key=key, window_start=start, count__lt=limit).update(count=F("count") + 1) == 1


def flood_forget(*, older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Drop counters of windows long past (the daily maintenance)."""
    deleted, _by_model = FloodCounter.objects.filter(window_start__lt=timezone.now() - older_than).delete()
    return deleted
