"""Drawn pictures for the demo's products (Pillow, no downloads): a packaging-like still life in the colours of
the product's group, with its name, so every card and product page of the demo shows a photo."""

from __future__ import annotations

import hashlib
import io
import random
from functools import cache
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

FONTS = Path(__file__).resolve().parent.parent / "certification" / "fonts"
SIZE = (960, 720)
# Background and accent per product group (I food, II drinks, III herbs, IV textiles/crafts, V crafts, VI tourism).
PALETTES = {
    "I": ((246, 236, 214), (170, 96, 38)), "II": ((226, 240, 232), (34, 120, 80)),
    "III": ((234, 242, 220), (86, 128, 40)), "IV": ((238, 230, 244), (112, 72, 150)),
    "V": ((244, 232, 222), (150, 90, 60)), "VI": ((222, 236, 246), (40, 100, 160)),
}  # fmt: skip


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


def _lines(text: str, font: ImageFont.FreeTypeFont, width: int, draw: ImageDraw.ImageDraw) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines[:3]


def picture_draw(name: str, *, group: str = "I", stars: int | None = None) -> bytes:
    """A JPEG still life: a jar, bottle or pack with a label carrying the product's name (deterministic)."""
    rng = random.Random(int(hashlib.sha256(name.encode()).hexdigest()[:8], 16))
    background, accent = PALETTES.get(group, PALETTES["I"])
    picture = Image.new("RGB", SIZE, background)
    draw = ImageDraw.Draw(picture)
    width, height = SIZE
    for band in range(0, height, 24):  # a soft light from above
        shade = tuple(max(0, c - band // 24) for c in background)
        draw.rectangle([0, band, width, band + 24], fill=shade)
    draw.rectangle([0, int(height * 0.78), width, height], fill=tuple(max(0, c - 40) for c in background))
    draw.ellipse(
        [width * 0.22, height * 0.72, width * 0.78, height * 0.84], fill=tuple(max(0, c - 70) for c in background)
    )
    shape = rng.choice(["jar", "bottle", "pack"])
    left, right = width * 0.32, width * 0.68
    if shape == "bottle":
        draw.rounded_rectangle([width * 0.46, height * 0.10, width * 0.54, height * 0.30], 10, fill=accent)
        draw.rounded_rectangle([left + 20, height * 0.26, right - 20, height * 0.80], 40, fill=accent)
    elif shape == "jar":
        draw.rounded_rectangle([left, height * 0.16, right, height * 0.26], 12, fill=tuple(c // 2 for c in accent))
        draw.rounded_rectangle([left - 10, height * 0.24, right + 10, height * 0.80], 36, fill=accent)
    else:
        draw.polygon([(left, height * 0.20), (right, height * 0.20), (right + 20, height * 0.80),
                      (left - 20, height * 0.80)], fill=accent)  # fmt: skip
    label = [left - 4, height * 0.38, right + 4, height * 0.68]
    draw.rounded_rectangle(label, 14, fill=(255, 253, 246), outline=tuple(c // 2 for c in accent), width=4)
    font = _font(30, bold=True)
    lines = _lines(name, font, int(label[2] - label[0] - 28), draw)
    y = label[1] + 16
    for line in lines:
        draw.text(((label[0] + label[2]) / 2, y), line, font=font, fill=(40, 30, 20), anchor="ma")
        y += 38
    if stars:
        draw.text(((label[0] + label[2]) / 2, label[3] - 14), "OCOP " + "★" * stars, font=_font(26),
                  fill=(201, 138, 0), anchor="md")  # fmt: skip
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def picture_upload(name: str, *, group: str = "I", stars: int | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile("demo.jpg", picture_draw(name, group=group, stars=stars), content_type="image/jpeg")
