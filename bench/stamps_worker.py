"""The in-process half of the `stamps` scenario, run in a child process on one database (DATABASE_URL):

- `setup`: a certified product with a batch big enough for a million stamps; prints its batch id.
- `generate N`: the baseline (N random codes written to a file) and, in the same process, a series of N stamps
  drawn and stored and its printer CSV written to a file; prints both times.
- `pdf SERIES`: the label PDF of a whole series written to a counting sink; prints time, pages, bytes and the
  process's peak memory (its own process: the peak is the PDF's).
- `codes SERIES K`: K codes of the series, for the scan-page load.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import sys
import tempfile
import time


def _setup() -> dict:
    from django.utils import timezone

    from ocop.accounts.models import User
    from ocop.catalog.models import Product
    from ocop.stamps import services
    from ocop.stamps.models import Batch

    officer = User.objects.filter(role=User.Role.CENTRAL_OFFICER).first() or User.objects.create(
        username="bench-central", role=User.Role.CENTRAL_OFFICER
    )
    batch = Batch.objects.filter(lot="BENCH-1").first()
    if batch is None:
        today = timezone.localdate()
        product = Product.objects.filter(certificate_status="valid", certified_on__lte=today - dt.timedelta(days=5))
        product = product.order_by("pk").first()
        batch = services.batch_create(product=product, lot="BENCH-1", produced_on=today - dt.timedelta(days=1),
                                      quantity=100_000_000, by=officer)  # fmt: skip
    return {"batch": batch.pk, "officer": officer.pk}


def _generate(count: int) -> dict:
    from ocop.accounts.models import User
    from ocop.stamps import codes, labels, services
    from ocop.stamps.generation import series_generate
    from ocop.stamps.models import Batch, Stamp, StampSeries

    folder = tempfile.mkdtemp(prefix="bench-stamps-")
    started = time.perf_counter()
    with open(os.path.join(folder, "random.txt"), "w") as out:
        out.writelines(code + "\n" for code in codes.codes_new(count))
    baseline = time.perf_counter() - started

    batch = Batch.objects.select_related("product", "certificate").get(lot="BENCH-1")
    officer = User.objects.get(role=User.Role.CENTRAL_OFFICER, username="bench-central")
    started = time.perf_counter()
    series = StampSeries.objects.create(batch=batch, number=(batch.series.count() + 1), quantity=count,
                                        created_by=officer)  # fmt: skip
    series_generate(series)
    drawn = time.perf_counter() - started
    stamps = Stamp.objects.filter(series=series).order_by("serial").values_list("serial", "code").iterator(5000)
    payload = lambda code: labels.stamp_url(base_url="https://ocop.gov.vn", code=code)  # noqa: E731
    with open(os.path.join(folder, "series.csv"), "w", encoding="utf-8") as out:
        for chunk in labels.labels_csv(stamps, payload=payload, product=batch.product.name, gtin="", lot=batch.lot,
                                       produced_on="", best_before="", stars=batch.certificate.stars):  # fmt: skip
            out.write(chunk)
    total = time.perf_counter() - started
    services.series_mark_printed(series=series, by=officer)
    stored = Stamp.objects.filter(series=series).count()
    return {"series": series.pk, "count": count, "stored": stored, "baseline_s": round(baseline, 2),
            "draw_and_store_s": round(drawn, 2), "with_csv_s": round(total, 2),
            "ratio": round(total / baseline, 1)}  # fmt: skip


class _Sink:
    def __init__(self) -> None:
        self.bytes = 0

    def write(self, data: bytes) -> None:
        self.bytes += len(data)


def _pdf(series_id: int) -> dict:
    from ocop.stamps import labels
    from ocop.stamps.models import Stamp, StampSeries

    series = StampSeries.objects.select_related("batch__product", "batch__certificate").get(pk=series_id)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stamps = Stamp.objects.filter(series=series).order_by("serial").values_list("serial", "code").iterator(5000)
    payload = lambda code: labels.stamp_url(base_url="https://ocop.gov.vn", code=code)  # noqa: E731
    text = labels.LabelText(product=series.batch.product.name, stars=series.batch.certificate.stars)
    sink = _Sink()
    started = time.perf_counter()
    for chunk in labels.labels_pdf(stamps, text=text, layout=labels.LAYOUTS["65"], payload=payload,
                                   sample_code="A" * 11):  # fmt: skip
        sink.write(chunk)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"labels": series.quantity, "pages": -(-series.quantity // 65), "bytes": sink.bytes,
            "seconds": round(seconds, 1), "peak_mb": round(peak, 1), "before_mb": round(before, 1)}  # fmt: skip


def _codes(series_id: int, count: int) -> list[str]:
    from ocop.stamps.models import Stamp

    return list(Stamp.objects.filter(series_id=series_id).order_by("serial").values_list("code", flat=True)[:count])


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    command, *args = sys.argv[1:]
    if command == "setup":
        result: object = _setup()
    elif command == "generate":
        result = _generate(int(args[0]))
    elif command == "pdf":
        result = _pdf(int(args[0]))
    else:
        result = _codes(int(args[0]), int(args[1]))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
