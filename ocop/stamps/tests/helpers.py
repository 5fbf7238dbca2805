"""A certified product of a producer in Cao Bằng with its account, a batch and a series of stamps."""

from __future__ import annotations

import datetime as dt

from ocop.catalog.tests.helpers import certified_product
from ocop.certification.models import Certificate
from ocop.producers.models import ProducerMembership
from ocop.stamps import services


def stamped(owner, commune, *, quantity: int = 20, gtin: str = "", name: str = "Mật ong hoa nhãn Hưng Yên"):
    """(product, certificate, batch, series) — the owner acts for the producer; the series is printed."""
    product = certified_product(name, stars=4, commune=commune, province=commune.province,
                                issued_on=dt.date.today() - dt.timedelta(days=300))  # fmt: skip
    if gtin:
        product.gtin = gtin
        product.save(update_fields=["gtin"])
    ProducerMembership.objects.get_or_create(user=owner, producer=product.producer)
    certificate = Certificate.objects.get(product=product)
    today = dt.date.today()
    batch = services.batch_create(product=product, lot="L2026-11", produced_on=today - dt.timedelta(days=10),
                                  best_before=today + dt.timedelta(days=300), quantity=1000, by=owner)  # fmt: skip
    series = services.series_order(batch=batch, quantity=quantity, by=owner)
    services.series_mark_printed(series=series, by=owner)
    series.refresh_from_db()
    return product, certificate, batch, series


def decode_labels(pdf_path, layout_key: str, count: int) -> list[str]:
    """What a phone reads from the first `count` labels of the PDF's first page: the page rasterised at 300 dpi
    (by cairo, as a screen would draw it), each label cut out and read with zbar, one code at a time."""
    from pathlib import Path

    from PIL import Image

    from ocop.stamps.labels import LAYOUTS

    folder = Path(pdf_path).parent
    run("pdftocairo", "-png", "-r", "300", "-f", "1", "-l", "1", "-singlefile", str(pdf_path), str(folder / "page"))
    layout, dots = LAYOUTS[layout_key], 300 / 25.4
    page = Image.open(folder / "page.png")
    read = []
    for index in range(count):
        col, row = index % layout.cols, index // layout.cols
        left, top = (layout.left + col * layout.pitch_x) * dots, (layout.top + row * layout.pitch_y) * dots
        label = folder / f"label-{index}.png"
        page.crop((int(left), int(top), int(left + layout.width * dots), int(top + layout.height * dots))).save(label)
        read.append(run("zbarimg", "-q", "--raw", str(label), check=False).strip())
    return read


def run(tool: str, *args: str, check: bool = True) -> str:
    """A poppler or zbar command's output (the tools `make test` installs)."""
    import shutil
    import subprocess

    path = shutil.which(tool)
    assert path, f"{tool} is not installed (make test installs it)"
    return subprocess.run([path, *args], capture_output=True, text=True, check=check).stdout  # noqa: S603
