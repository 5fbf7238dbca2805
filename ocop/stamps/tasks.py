"""Background work of stamps: drawing the codes of a large series."""

from __future__ import annotations

from django_tasks import task

from ocop.stamps.generation import series_generate
from ocop.stamps.models import StampSeries


@task()
def series_generate_task(series_id: int) -> int:
    """Draw every code of a series (resumes where an interrupted run stopped); returns the series' size."""
    series = StampSeries.objects.get(pk=series_id)
    try:
        series_generate(series)
    except Exception:
        StampSeries.objects.filter(pk=series_id).update(status=StampSeries.Status.FAILED)
        raise
    return series.quantity
