"""Drawing a series' codes: random codes inserted in large chunks, any collision with an issued code drawn again."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from ocop.stamps import codes
from ocop.stamps.models import Stamp, StampSeries

CHUNK = 50_000


def _insert(rows: list[tuple[str, int, int]]) -> None:
    """Insert (code, series, serial) rows, skipping any code already issued."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO stamps_stamp (code, series_id, serial) SELECT * FROM UNNEST(%s::varchar[], %s::int[],"
                " %s::int[]) ON CONFLICT DO NOTHING",
                [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]],
            )
        else:
            cursor.executemany("INSERT OR IGNORE INTO stamps_stamp (code, series_id, serial) VALUES (%s, %s, %s)", rows)


def series_generate(series: StampSeries) -> StampSeries:
    """Draw the series' codes: fresh random codes for every serial not yet stored, again for any that collided
    with a code already issued, until each serial has its own. Safe to run again after an interruption."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(serial), 0) FROM stamps_stamp WHERE series_id = %s", [series.pk])
        start = cursor.fetchone()[0] + 1
    for first in range(start, series.quantity + 1, CHUNK):
        serials = range(first, min(first + CHUNK, series.quantity + 1))
        with transaction.atomic():
            _insert([(code, series.pk, serial) for code, serial in zip(codes.codes_new(len(serials)), serials,
                                                                        strict=True)])  # fmt: skip
    while (stored := Stamp.objects.filter(series=series).count()) < series.quantity:
        present = set(Stamp.objects.filter(series=series).values_list("serial", flat=True))
        missing = [serial for serial in range(1, series.quantity + 1) if serial not in present]
        with transaction.atomic():
            _insert(list(zip(codes.codes_new(len(missing)), [series.pk] * len(missing), missing, strict=True)))
        if Stamp.objects.filter(series=series).count() == stored:  # pragma: no cover (31^10 codes: never twice)
            raise RuntimeError("no fresh stamp codes could be drawn")
    StampSeries.objects.filter(pk=series.pk).update(status=StampSeries.Status.READY, updated_at=timezone.now())
    series.status = StampSeries.Status.READY
    return series
