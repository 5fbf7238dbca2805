"""Photos as phones take them: checked by content, turned upright, stripped of EXIF, resized once.

`picture_read` opens an upload without decoding it (Pillow reads only the header), refuses what is not a
JPEG, PNG or WebP photo, or is larger than OCOP_PICTURE_MAX_PIXELS (50 megapixels by default) — before any
pixel is decoded — and `picture_renditions` then decodes it (JPEG at a reduced scale when it can) and writes
each width of WIDTHS as WebP and as JPEG into the public media storage. Nothing of the original file is kept:
its EXIF (GPS position, phone model, owner) never reaches the site.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ocop.core.errors import ApplicationError

WIDTHS = (320, 640, 1280)
FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}  # MPO: the multi-picture JPEG some phones write
DEFAULT_MAX_PIXELS = 50_000_000
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
ENCODINGS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("webp", "WEBP", {"quality": 80, "method": 2}),
    ("jpeg", "JPEG", {"quality": 82, "optimize": True, "progressive": True}),
)


@dataclass
class Renditions:
    """What a stored picture is: its size after resizing and its files, {width: {"webp": name, "jpeg": name}}."""

    width: int
    height: int
    files: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def largest_jpeg(self) -> str:
        return self.files[max(self.files, key=int)]["jpeg"]

    def names(self) -> list[str]:
        return [name for pair in self.files.values() for name in pair.values()]


def _limits() -> tuple[int, int]:
    return (
        getattr(settings, "OCOP_PICTURE_MAX_PIXELS", DEFAULT_MAX_PIXELS),
        getattr(settings, "OCOP_PICTURE_MAX_BYTES", DEFAULT_MAX_BYTES),
    )


def picture_read(upload: Any) -> Image.Image:
    """Open an upload as a picture without decoding it; ApplicationError (field "upload") when it is none."""
    max_pixels, max_bytes = _limits()
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ApplicationError(
            _("The photo is %(size)s MB; at most %(max)s MB is accepted.")
            % {"size": round(size / 1024 / 1024, 1), "max": max_bytes // (1024 * 1024)},
            field="upload", code="picture_size",
        )  # fmt: skip
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit decides, below
            picture = Image.open(upload)  # reads the header only
    except Image.DecompressionBombError:
        raise ApplicationError(
            _("The photo has far more pixels than the %(max)s megapixels accepted. Send a smaller copy.")
            % {"max": max_pixels // 1_000_000},
            field="upload", code="picture_pixels",
        ) from None  # fmt: skip
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ApplicationError(
            _("This file is not a photo we can read: send a JPEG, PNG or WebP picture."),
            field="upload", code="picture_format",
        ) from None  # fmt: skip
    if picture.format not in FORMATS:
        raise ApplicationError(
            _("%(format)s pictures are not accepted: send a JPEG, PNG or WebP picture.") % {"format": picture.format},
            field="upload", code="picture_format",
        )  # fmt: skip
    width, height = picture.size
    if width * height > max_pixels:
        raise ApplicationError(
            _("The photo is %(width)s × %(height)s pixels (%(mp)s megapixels); at most %(max)s megapixels are "
              "accepted. Send a smaller copy.")
            % {"width": width, "height": height, "mp": round(width * height / 1_000_000, 1),
               "max": max_pixels // 1_000_000},
            field="upload", code="picture_pixels",
        )  # fmt: skip
    if width < 200 or height < 200:
        raise ApplicationError(
            _("The photo is only %(width)s × %(height)s pixels; send one at least 200 pixels wide and high.")
            % {"width": width, "height": height},
            field="upload", code="picture_small",
        )  # fmt: skip
    return picture


def _decoded(picture: Image.Image) -> Image.Image:
    """The pixels, upright, in RGB; a large JPEG is decoded at the smallest scale still wider than needed."""
    if picture.format in ("JPEG", "MPO"):
        picture.draft("RGB", (max(WIDTHS), max(WIDTHS)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            picture.load()
        upright = ImageOps.exif_transpose(picture)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ApplicationError(
            _("The photo is damaged and cannot be read; send it again or another copy."),
            field="upload", code="picture_format",
        ) from None  # fmt: skip
    if upright.mode in ("RGBA", "LA", "P"):
        rgba = upright.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return upright.convert("RGB")


def picture_renditions(upload: Any, *, folder: str) -> Renditions:
    """Check, decode and write the responsive renditions of an upload (no EXIF kept); returns their names."""
    picture = picture_read(upload)
    pixels = _decoded(picture)
    stem = f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}"
    result = Renditions(width=pixels.width, height=pixels.height)
    widths = [w for w in WIDTHS if w < pixels.width] + [min(pixels.width, max(WIDTHS))]
    for width in sorted(set(widths)):
        height = max(1, round(pixels.height * width / pixels.width))
        scaled = pixels if width == pixels.width else pixels.resize((width, height), Image.Resampling.LANCZOS)
        pair = {}
        for kind, fmt, options in ENCODINGS:
            buffer = io.BytesIO()
            scaled.save(buffer, fmt, **options)  # no exif= argument: nothing of the original's metadata
            name = default_storage.save(f"{folder}/{stem}-{width}.{'jpg' if kind == 'jpeg' else kind}",
                                        ContentFile(buffer.getvalue()))  # fmt: skip
            pair[kind] = name
        result.files[str(width)] = pair
        result.width, result.height = width, height
    return result


def picture_jpeg(upload: Any, *, width: int = max(WIDTHS)) -> bytes:
    """One upright JPEG of an upload, at most `width` wide, without any of its metadata (a private photo)."""
    pixels = _decoded(picture_read(upload))
    if pixels.width > width:
        pixels = pixels.resize((width, max(1, round(pixels.height * width / pixels.width))), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    pixels.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def pictures_delete(names: list[str]) -> None:
    """Remove stored renditions (after the row that named them is gone)."""
    for name in names:
        if name:
            default_storage.delete(name)
