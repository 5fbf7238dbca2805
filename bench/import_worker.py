"""Child process of the `import` scenario: bare read, full import, export; prints one JSON line."""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path


class AnonymousPeak:
    """The peak of the process's anonymous memory (RssAnon), sampled every 100 ms.

    ru_maxrss also counts file pages the process touched, and SQLite maps its database file into memory
    (PRAGMA mmap_size): those pages are the page cache, not memory the import holds.
    """

    def __init__(self) -> None:
        import threading

        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _sample(self) -> int:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1]) // 1024
        return 0

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, self._sample())

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return max(self.peak, self._sample())


def main(path: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from python_calamine import CalamineWorkbook

    from ocop.catalog.models import Product
    from ocop.certification.exporters import ProductListExporter, products_for_export
    from ocop.spreadsheets.services import import_commit, import_session_create

    anonymous = AnonymousPeak()
    started = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    read_s = time.perf_counter() - started
    del rows

    started = time.perf_counter()
    session = import_session_create(path=path, filename=path.name)
    session = import_commit(session=session)
    import_s = time.perf_counter() - started
    # The import's own peak, before the export reads every product back (SQLite's mapped file pages then
    # count in the resident size too).
    import_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    import_anonymous_mb = max(anonymous.peak, anonymous._sample())

    started = time.perf_counter()
    ids = list(Product.objects.order_by("province__sort_key", "sort_key").values_list("pk", flat=True))
    data = ProductListExporter(products_for_export(ids)).to_xlsx()
    export_s = time.perf_counter() - started

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    anonymous_mb = anonymous.stop()
    print(
        json.dumps(
            {
                "read_s": round(read_s, 2),
                "import_s": round(import_s, 2),
                "export_s": round(export_s, 2),
                "import_peak_mb": round(import_peak_mb),
                "import_peak_anonymous_mb": import_anonymous_mb,
                "peak_mb": round(peak_mb),
                "peak_anonymous_mb": anonymous_mb,
                "export_rows": len(ids),
                "export_mb": round(len(data) / 1024 / 1024, 1),
                **session.counts,
            }
        )
    )


if __name__ == "__main__":
    if "--build" in sys.argv:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from bench.imports import build_file

        build_file(Path(sys.argv[1]), int(sys.argv[sys.argv.index("--build") + 1]))
        print("{}")
    else:
        main(Path(sys.argv[1]))
