"""Template tags of the house."""

import functools
from decimal import Decimal

from django import template
from django.core.files.storage import default_storage
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext

from ocop.core.once import FIELD, new_form_token

register = template.Library()


@register.simple_tag
def form_token() -> str:
    """The create form's one-time token (see `core.once`)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_form_token())


@register.simple_tag
def stars(count: int | None) -> str:
    """The stars of a product or certificate as ★ marks, with the number spoken for screen readers."""
    if not count:
        return ""
    return _stars(int(count), get_language())


@functools.lru_cache(maxsize=64)
def _stars(count: int, language: str) -> str:
    # Drawn once per count and language: a page of cards draws them dozens of times.
    label = ngettext("%(n)s star", "%(n)s stars", count) % {"n": count}
    return format_html('<span class="stars stars-{}" role="img" title="{}" aria-label="{}">{}</span>',
                       count, label, label, "★" * count)  # fmt: skip


def local_number(value):
    """`formats.localize(value)` (1.649 in Vietnamese, 1,649 in English), kept per value and language: prices,
    counts and scores repeat across pages (a Decimal is formatted by Django in about 15 µs)."""
    if type(value) is int:
        return _local_int(value, get_language())
    if type(value) is Decimal:  # by its text: 85.5 and 85.50 are equal but are written as they are
        return _local_decimal(str(value), get_language())
    return localize(value)


@functools.lru_cache(maxsize=4096)
def _local_int(value: int, language: str) -> str:
    return localize(value)


@functools.lru_cache(maxsize=4096)
def _local_decimal(text: str, language: str) -> str:
    return localize(Decimal(text))


@register.simple_tag
def picture(data: dict | None, alt: str = "", sizes: str = "100vw", css: str = "", eager: bool = False) -> str:
    """A responsive <picture>: WebP and JPEG `srcset`s of every stored width, width/height, lazy loading.

    `data` is {"width", "height", "files": {width: {"webp": name, "jpeg": name}}} (ProductImage.picture,
    Product.cover); nothing is drawn without one (the template shows its placeholder instead).
    """
    files = (data or {}).get("files") or {}
    if not data or not files:
        return ""
    widths = sorted(files, key=int)

    def srcset(kind: str) -> str:
        return ", ".join(f"{default_storage.url(files[w][kind])} {w}w" for w in widths if files[w].get(kind))

    webp = srcset("webp")
    largest = files[widths[-1]]
    fallback = default_storage.url(largest.get("jpeg") or largest.get("webp"))
    loading = 'fetchpriority="high"' if eager else 'loading="lazy" decoding="async"'
    return format_html(
        '<picture{}>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" {}></picture>',
        format_html(' class="{}"', css) if css else "",
        format_html('<source type="image/webp" srcset="{}" sizes="{}">', webp, sizes) if webp else "",
        fallback, srcset("jpeg"), sizes, data.get("width") or "", data.get("height") or "", alt,
        mark_safe(loading),  # noqa: S308 - a constant
    )  # fmt: skip
