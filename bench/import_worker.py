"""Child process of the `import` scenario: bare read, full import, export; prints one JSON line."""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path


def main(path: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from python_calamine import CalamineWorkbook

    from ocop.catalog.models import Product
    from ocop.spreadsheets.exporters import ProductListExporter, products_for_export
    from ocop.spreadsheets.services import import_commit, import_session_create

    started = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    read_s = time.perf_counter() - started
    del rows

    started = time.perf_counter()
    session = import_session_create(path=path, filename=path.name)
    session = import_commit(session=session)
    import_s = time.perf_counter() - started

    started = time.perf_counter()
    ids = list(Product.objects.order_by("province__sort_key", "sort_key").values_list("pk", flat=True))
    data = ProductListExporter(products_for_export(ids)).to_xlsx()
    export_s = time.perf_counter() - started

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "read_s": round(read_s, 2),
                "import_s": round(import_s, 2),
                "export_s": round(export_s, 2),
                "peak_mb": round(peak_mb),
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
