"""Printable stamps: A4 label sheets as a PDF written page by page, and a CSV for industrial printers.

A series can hold a million stamps (15,385 pages of 65 labels), more than a PDF library holds in memory, so the PDF
is written here as a stream: header, the font and the label's fixed part once, then each page's content as it
is drawn, and at the end the page tree and the cross-reference table (a list of byte offsets, a few bytes a page).
Memory stays flat whatever the size (the `stamps` bench measures it on a million stamps).

- Text is DejaVu Sans, subset with fontTools and embedded as a CID font (Identity-H, glyph ids kept) with a
  ToUnicode map, so Vietnamese letters print and can be copied out of the PDF intact.
- The label's fixed part (product name, stars, caption) is one Form XObject drawn on every label; each label adds
  only its QR code (vector squares, one rectangle per run of dark modules) and its code in print.
- Every QR code of a series has the same version and mask (chosen for the first one): the payloads have the same
  length, and a fixed mask spares the encoder its eight trial maskings (six times faster; any mask is valid).
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import segno
from fontTools import subset as ft_subset
from fontTools.ttLib import TTFont

from ocop.certification.pdf import FONTS
from ocop.core import gs1
from ocop.core.exporting import formula_safe
from ocop.stamps import codes

logging.getLogger("fontTools").setLevel(logging.WARNING)  # its subsetter logs every table at INFO

MM = 72 / 25.4
A4_W, A4_H = 595.28, 841.89


@dataclass(frozen=True)
class Layout:
    """An A4 label sheet: label size, grid and the position of the first label (mm, from the top left)."""

    key: str
    cols: int
    rows: int
    width: float
    height: float
    left: float
    top: float
    pitch_x: float
    pitch_y: float

    @property
    def per_page(self) -> int:
        return self.cols * self.rows

    @property
    def label(self) -> str:
        """ "40 labels 45.7 × 25.4 mm (A4, 4 × 10)", in the active language's number format."""
        from django.utils.formats import number_format
        from django.utils.translation import gettext

        return gettext("%(count)s labels %(width)s × %(height)s mm (A4, %(cols)s × %(rows)s)") % {
            "count": self.per_page, "width": number_format(self.width, 1), "height": number_format(self.height, 1),
            "cols": self.cols, "rows": self.rows,
        }  # fmt: skip


LAYOUTS = {
    layout.key: layout
    for layout in (
        Layout("65", 5, 13, 38.1, 21.2, 4.7, 10.7, 40.6, 21.2),
        Layout("40", 4, 10, 45.7, 25.4, 9.7, 21.5, 48.3, 25.4),
        Layout("24", 3, 8, 63.5, 33.9, 6.5, 13.1, 66.0, 33.9),
        Layout("21", 3, 7, 63.5, 38.1, 7.2, 15.1, 66.0, 38.1),
    )
}
DEFAULT_LAYOUT = "40"


@dataclass(frozen=True)
class LabelText:
    """The fixed words of every label of a series."""

    product: str
    stars: int
    caption: str = "Quét mã để kiểm tra tem OCOP"


def stamp_url(*, base_url: str, code: str, gtin: str = "", lot: str = "") -> str:
    """What the QR code holds: the GS1 Digital Link of the unit when the product has a GTIN, else /t/{code}."""
    if gtin:
        return base_url + gs1.digital_link_path(gtin=gtin, lot=lot, serial=code)
    return f"{base_url}/t/{code}"


# --- The font ----------------------------------------------------------------------------------------


class Font:
    """DejaVu Sans: glyph ids and advance widths for the characters used, and the subset file to embed."""

    def __init__(self, text: str) -> None:
        path = str(FONTS / "DejaVuSans.ttf")
        font = TTFont(path, lazy=True)
        cmap = font.getBestCmap()
        self.units = font["head"].unitsPerEm
        self.ascent, self.descent = font["hhea"].ascent, font["hhea"].descent
        bbox = font["head"]
        self.bbox = [bbox.xMin, bbox.yMin, bbox.xMax, bbox.yMax]
        metrics = font["hmtx"].metrics
        chars = sorted({c for c in text if ord(c) in cmap} | {"?"})
        self.gid = {c: font.getGlyphID(cmap[ord(c)]) for c in chars}
        self.width = {c: metrics[cmap[ord(c)]][0] * 1000 / self.units for c in chars}
        options = ft_subset.Options()
        options.retain_gids = True
        options.notdef_outline = True
        options.name_IDs = [1, 2]
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern"]
        subsetter = ft_subset.Subsetter(options=options)
        subsetter.populate(unicodes=[ord(c) for c in chars])
        full = TTFont(path)
        subsetter.subset(full)
        buffer = io.BytesIO()
        full.save(buffer)
        self.data = buffer.getvalue()

    def encode(self, text: str) -> str:
        """Text as the hex glyph ids a Tj operator shows (a character the font lacks becomes '?')."""
        return "".join(f"{self.gid.get(c, self.gid['?']):04X}" for c in text)

    def text_width(self, text: str, size: float) -> float:
        return sum(self.width.get(c, self.width["?"]) for c in text) * size / 1000


@lru_cache(maxsize=8)
def _font(text: str) -> Font:
    return Font(text)


# --- Drawing -------------------------------------------------------------------------------------------


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _show(font: Font, text: str, x: float, y: float, size: float) -> str:
    return f"BT /F1 {_num(size)} Tf {_num(x)} {_num(y)} Td <{font.encode(text)}> Tj ET\n"


def _wrap(font: Font, text: str, size: float, width: float, lines: int) -> list[str]:
    """Words on at most `lines` lines of `width`; the last one shortened with … when the text is longer."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and font.text_width(f"{line} {words[0]}", size) <= width:
            line = f"{line} {words.pop(0)}"
        out.append(line)
    if words and out:
        last = out[-1]
        while last and font.text_width(last + "…", size) > width:
            last = last[:-1]
        out[-1] = last.rstrip() + "…"
    return [line if font.text_width(line, size) <= width else _cut(font, line, size, width) for line in out]


def _cut(font: Font, line: str, size: float, width: float) -> str:
    while line and font.text_width(line + "…", size) > width:
        line = line[:-1]
    return line + "…"


class _Geometry:
    """Where things go on one label of a layout (points, origin at the label's bottom left)."""

    def __init__(self, layout: Layout) -> None:
        self.w, self.h = layout.width * MM, layout.height * MM
        pad = 1.2 * MM
        self.qr_size = self.h - 2 * pad
        self.qr_x, self.qr_y = pad, pad
        self.text_x = self.qr_size + 2 * pad
        self.text_w = self.w - self.text_x - pad
        scale = self.h / (25.4 * MM)
        self.name_size = max(4.6, min(7.5, 6.2 * scale))
        self.code_size = max(5.0, min(8.0, 6.4 * scale))
        self.small = max(3.8, min(5.5, 4.4 * scale))
        self.top = self.h - pad


def _label_form(font: Font, geometry: _Geometry, text: LabelText) -> bytes:
    """The fixed part of every label: name (up to three lines), stars and the caption."""
    g = geometry
    out = ["0 g\n"]
    y = g.top - g.name_size
    for line in _wrap(font, text.product, g.name_size, g.text_w, 3):
        out.append(_show(font, line, g.text_x, y, g.name_size))
        y -= g.name_size * 1.15
    stars = "★" * text.stars + " OCOP"
    out.append("0.70 0.15 0.12 rg\n")
    out.append(_show(font, stars, g.text_x, y - g.name_size * 0.15, g.name_size))
    out.append("0.35 g\n")
    for i, line in enumerate(reversed(_wrap(font, text.caption, g.small, g.text_w, 2))):
        out.append(_show(font, line, g.text_x, g.qr_y + g.code_size * 1.35 + i * g.small * 1.15, g.small))
    return "".join(out).encode("ascii")


_DARK_RUN = re.compile("1+")


def _rows_ops(rows: Iterable[str]) -> str:
    """One rectangle per horizontal run of dark modules ("1"s), in module units (row 0 at the top), filled as one
    path. Printers draw them edge to edge; poppler's anti-aliasing leaves pale seams between rows on screen, so the
    tests rasterise with cairo, as browsers draw."""
    rows = list(rows)
    size = len(rows)
    return "\n".join(
        f"{run.start()} {size - 1 - index} {run.end() - run.start()} 1 re"
        for index, line in enumerate(rows)
        for run in _DARK_RUN.finditer(line)
    )


def _bits(matrix: Iterable[Iterable[int]]) -> int:
    return int("".join("1" if dark else "0" for row in matrix for dark in row), 2)


class QRSeries:
    """The QR codes of one series, fast: every payload is the same text around a code of the same length, encoded
    with one version, error level (M), mode (byte) and mask. A QR matrix is then an affine function of the payload's
    bits (Reed–Solomon is linear over GF(2⁸), whose addition is XOR; placement is a permutation, masking an XOR with
    a constant), so it is the sample's matrix XOR one precomputed difference per character of the code: eleven XORs
    of integers instead of an encoding (segno draws the 11 × 31 differences at the start; a test holds the result
    equal to segno's own matrix for random codes)."""

    def __init__(self, payload, sample: str) -> None:
        self.payload = payload
        text = payload(sample)
        first = segno.make_qr(text, error="m", mode="byte", boost_error=False)
        self.version, self.mask = first.version, first.mask
        self.size = len(first.matrix)
        self.sample = sample
        self.base = _bits(first.matrix)
        self.delta: list[dict[str, int]] = []
        for position in range(len(sample)):
            table = {}
            for letter in codes.ALPHABET:
                if letter == sample[position]:
                    table[letter] = 0
                    continue
                variant = sample[:position] + letter + sample[position + 1 :]
                table[letter] = _bits(self.encode(payload(variant))) ^ self.base
            self.delta.append(table)

    def encode(self, text: str):
        """segno's own matrix for `text` with the series' parameters (the reference the fast path equals)."""
        return segno.make_qr(text, error="m", mode="byte", version=self.version, mask=self.mask,
                             boost_error=False).matrix  # fmt: skip

    def rows(self, code: str) -> list[str]:
        """The matrix of `code`'s payload as rows of "0"/"1"."""
        if len(code) != len(self.sample) or any(c not in codes.VALUE for c in code):
            return ["".join("1" if d else "0" for d in row) for row in self.encode(self.payload(code))]
        value = self.base
        for table, letter in zip(self.delta, code, strict=True):
            value ^= table[letter]
        line = format(value, f"0{self.size * self.size}b")
        return [line[i : i + self.size] for i in range(0, self.size * self.size, self.size)]

    def ops(self, code: str, x: float, y: float, side: float) -> str:
        unit = side / (self.size + 4)  # a quiet zone of two modules each side
        body = _rows_ops(self.rows(code))
        return f"q {_num(unit)} 0 0 {_num(unit)} {_num(x + 2 * unit)} {_num(y + 2 * unit)} cm 0 g\n{body}\nf Q\n"


class PdfStream:
    """Writes PDF objects in order and remembers their offsets; the caller yields what `take()` returns."""

    def __init__(self) -> None:
        self.offsets: dict[int, int] = {}
        self.position = 0
        self.pending: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.pending.append(data)
        self.position += len(data)

    def obj(self, number: int, body: bytes) -> None:
        self.offsets[number] = self.position
        self.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")

    def stream(self, number: int, data: bytes, extra: str = "", compress: bool = True) -> None:
        if compress:
            data = zlib.compress(data, 6)
            extra += " /Filter /FlateDecode"
        self.obj(number, f"<< /Length {len(data)}{extra} >>\nstream\n".encode() + data + b"\nendstream")

    def take(self) -> bytes:
        data = b"".join(self.pending)
        self.pending = []
        return data


def _to_unicode(font: Font) -> bytes:
    pairs = sorted((gid, char) for char, gid in font.gid.items())
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{gid:04X}> <{char.encode('utf-16-be').hex().upper()}>" for gid, char in chunk]
        lines.append("endbfchar")
    lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    return "\n".join(lines).encode("ascii")


def labels_pdf(
    stamps: Iterable[tuple[int, str]], *, text: LabelText, layout: Layout, payload, sample_code: str
) -> Iterator[bytes]:
    """The label sheets of `stamps` ((serial, code) in order) as PDF bytes, a page at a time. `payload(code)` is
    what each QR code holds."""
    font = _font(text.product + text.caption + "★ OCOP" + codes.ALPHABET + "-#0123456789/")
    geometry = _Geometry(layout)
    qr = QRSeries(payload, sample_code)
    pdf = PdfStream()
    pdf.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    pdf.obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    widths = " ".join(f"{gid} [{_num(font.width[c])}]" for c, gid in sorted(font.gid.items(), key=lambda i: i[1]))
    base = "/AAAAAA+DejaVuSans"
    pdf.obj(3, f"<< /Type /Font /Subtype /Type0 /BaseFont {base} /Encoding /Identity-H /DescendantFonts [4 0 R]"
               f" /ToUnicode 7 0 R >>".encode())  # fmt: skip
    pdf.obj(4, f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont {base} /CIDSystemInfo << /Registry (Adobe)"
               f" /Ordering (Identity) /Supplement 0 >> /FontDescriptor 5 0 R /W [{widths}] /DW 600"
               f" /CIDToGIDMap /Identity >>".encode())  # fmt: skip
    scale = 1000 / font.units
    bbox = " ".join(_num(v * scale) for v in font.bbox)
    pdf.obj(5, f"<< /Type /FontDescriptor /FontName {base} /Flags 32 /FontBBox [{bbox}] /ItalicAngle 0"
               f" /Ascent {_num(font.ascent * scale)} /Descent {_num(font.descent * scale)} /CapHeight 729"
               f" /StemV 80 /FontFile2 6 0 R >>".encode())  # fmt: skip
    pdf.stream(6, font.data, f" /Length1 {len(font.data)}")
    pdf.stream(7, _to_unicode(font))
    pdf.stream(8, _label_form(font, geometry, text),
               f" /Type /XObject /Subtype /Form /BBox [0 0 {_num(geometry.w)} {_num(geometry.h)}]"
               " /Resources << /Font << /F1 3 0 R >> >>")  # fmt: skip
    yield pdf.take()

    pages: list[int] = []
    number = 9
    page_ops: list[str] = []
    slot = 0

    def flush() -> None:
        nonlocal number, page_ops, slot
        pdf.stream(number, "".join(page_ops).encode("ascii"))
        pdf.obj(number + 1, f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {A4_W} {A4_H}] /Contents {number} 0 R"
                            " /Resources << /Font << /F1 3 0 R >> /XObject << /L 8 0 R >> >> >>".encode())  # fmt: skip
        pages.append(number + 1)
        number += 2
        page_ops, slot = [], 0

    for serial, code in stamps:
        col, row = slot % layout.cols, slot // layout.cols
        x = (layout.left + col * layout.pitch_x) * MM
        y = A4_H - (layout.top + row * layout.pitch_y) * MM - geometry.h
        page_ops.append(f"q 1 0 0 1 {_num(x)} {_num(y)} cm /L Do\n")
        page_ops.append(qr.ops(code, geometry.qr_x, geometry.qr_y, geometry.qr_size))
        page_ops.append("0 g\n" + _show(font, codes.display(code), geometry.text_x, geometry.qr_y, geometry.code_size))
        page_ops.append(_show(font, f"#{serial}", geometry.text_x, geometry.qr_y + geometry.code_size * 1.35
                              + geometry.small * 2.4, geometry.small))  # fmt: skip
        page_ops.append("Q\n")
        slot += 1
        if slot == layout.per_page:
            flush()
            yield pdf.take()
    if slot or not pages:
        flush()

    kids = " ".join(f"{p} 0 R" for p in pages)
    pdf.obj(2, f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    xref_at = pdf.position
    size = number
    lines = [f"xref\n0 {size}\n", "0000000000 65535 f \n"]
    lines += [f"{pdf.offsets[n]:010d} 00000 n \n" for n in range(1, size)]
    pdf.write("".join(lines).encode("ascii"))
    pdf.write(f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode("ascii"))
    yield pdf.take()


CSV_HEADER = ["serial", "code", "code_printed", "qr_content", "product", "gtin", "lot", "produced_on", "best_before",
              "stars"]  # fmt: skip


def labels_csv(stamps: Iterable[tuple[int, str]], *, payload, product: str, gtin: str, lot: str, produced_on: str,
               best_before: str, stars: int, chunk: int = 5000) -> Iterator[str]:  # fmt: skip
    """One row a stamp for industrial printers (variable-data printing): the QR content and the printed code."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # Excel opens UTF-8 with its byte-order mark
    writer.writerow(CSV_HEADER)
    fixed = [formula_safe(product), gtin, formula_safe(lot), produced_on, best_before, stars]
    for n, (serial, code) in enumerate(stamps, start=1):
        writer.writerow([serial, code, codes.display(code), payload(code), *fixed])
        if n % chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
