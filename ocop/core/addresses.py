"""Addresses reversed once per process and filled in per use, for the hottest pages (issue 20).

`reverse()` walks the resolver and quotes every argument: a few microseconds each, which a page with a dozen links
pays a dozen times. `address("site:product-detail", pk, slug)` reverses the pattern once per script prefix with
numbered placeholders (digits, which every converter of ours accepts: int, slug, str) and joins the arguments into
it, quoted as `reverse` quotes them. The result is the same string `reverse` gives.
"""

from __future__ import annotations

import functools
from urllib.parse import quote

from django.urls import get_script_prefix, reverse

_SLOT = "9876543210{}"
_SAFE = "!$&'()*+,;=/~:@-._"  # what reverse() leaves unquoted in a path (RFC 3986 sub-delims, "/~:@", unreserved)


@functools.lru_cache(maxsize=512)
def _pattern(prefix: str, viewname: str, count: int) -> tuple[str, ...]:
    """The reversed address split around its arguments: text, text, … (one more than `count`)."""
    del prefix  # part of the cache key only: a new script prefix reverses afresh
    text = reverse(viewname, args=[_SLOT.format(index) for index in range(count)])
    parts: list[str] = []
    for index in range(count):
        before, _sep, text = text.partition(_SLOT.format(index))
        parts.append(before)
    parts.append(text)
    return tuple(parts)


def address(viewname: str, *args: int | str) -> str:
    """`reverse(viewname, args=args)`, from a pattern reversed once per process and script prefix."""
    parts = _pattern(get_script_prefix(), viewname, len(args))
    pieces = [parts[0]]
    for arg, after in zip(args, parts[1:], strict=True):
        pieces.append(str(arg) if isinstance(arg, int) else quote(arg, safe=_SAFE))
        pieces.append(after)
    return "".join(pieces)
