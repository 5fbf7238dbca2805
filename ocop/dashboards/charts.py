"""Charts drawn on the server as inline SVG: no chart library, no CDN, sharp in print.

Each chart carries its figures as text (values at the bar ends, a legend), so it reads in greyscale and
to a screen reader (role="img" with a title and a description).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

STAR_COLOURS = {3: "#e8a33d", 4: "#c2571a", 5: "#7a1f12"}
BAR_COLOUR = "#2f6f4f"
INK, MUTED, GRID = "#1d1b1a", "#5f5a55", "#e4dfd8"


@dataclass
class Series:
    """One stacked part of every bar (e.g. the 4-star products), with its colour and legend label."""

    label: str
    colour: str
    values: Sequence[int]


def _n(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


def _svg(width: int, height: int, title: str, body: list[str], description: str = "") -> SafeString:
    desc = f"<desc>{escape(description)}</desc>" if description else ""
    return mark_safe(  # noqa: S308  (every text inside went through escape())
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="chart" font-family="{FONT}" font-size="12">'
        f"<title>{escape(title)}</title>{desc}{''.join(body)}</svg>"
    )


def _legend(series: Sequence[Series], x: float, y: float) -> list[str]:
    out = []
    for item in series:
        out.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{item.colour}"/>')
        out.append(f'<text x="{x + 14:.1f}" y="{y:.1f}" fill="{INK}">{escape(item.label)}</text>')
        x += 22 + 7 * len(item.label)
    return out


FONT = "Be Vietnam Pro, system-ui, sans-serif"  # the site's typeface (self-hosted), as in the page around
CHAR_WIDTH = 7.0  # the average advance of a 12 px Be Vietnam Pro letter, Vietnamese diacritics included


def fit_label(label: str, room: float) -> str:
    """The label cut at its end with an ellipsis when it would not fit `room` pixels (its start stays readable;
    the whole label is the element's tooltip)."""
    most = int(room // CHAR_WIDTH)
    return label if len(label) <= most else label[: max(most - 1, 1)].rstrip(" ,") + "…"


def horizontal_bars(
    title: str, labels: Sequence[str], series: Sequence[Series], *, label_width: int = 150, width: int = 640
) -> SafeString:
    """One row per label, the series stacked left to right, the total written at the end of the bar."""
    if not labels:
        body = [f'<text x="10" y="24" fill="{MUTED}">{escape(_("No data for this period."))}</text>']
        return _svg(width, 40, title, body)
    row, top = 20, 28
    height = top + row * len(labels) + 10
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    scale = (width - label_width - 60) / max([*totals, 1])
    body = _legend(series, label_width, 14) if len(series) > 1 else []
    for i, label in enumerate(labels):
        y = top + i * row
        shown = fit_label(label, label_width - 10)
        body.append(
            f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end" fill="{INK}">'
            f"{escape(shown)}{f'<title>{escape(label)}</title>' if shown != label else ''}</text>"
        )
        x = float(label_width)
        for item in series:
            value = item.values[i]
            if value:
                w = value * scale
                body.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{max(w, 0.5):.1f}" height="{row - 6}" fill="{item.colour}">'
                    f"<title>{escape(label)} · {escape(item.label)}: {_n(value)}</title></rect>"
                )
                x += w
        body.append(f'<text x="{x + 4:.1f}" y="{y + 13}" fill="{MUTED}">{_n(totals[i])}</text>')
    return _svg(width, height, title, body)


def vertical_bars(title: str, labels: Sequence[str], series: Sequence[Series], *, height: int = 240) -> SafeString:
    """One column per label (e.g. a year), the series stacked bottom to top, the total on top."""
    col, left, bottom, top = 56, 10, 24, 34
    width = left * 2 + col * len(labels)
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    scale = (height - top - bottom) / max([*totals, 1])
    body = _legend(series, left, 14) if len(series) > 1 else []
    base = height - bottom
    body.append(f'<line x1="{left}" x2="{width - left}" y1="{base}" y2="{base}" stroke="{GRID}"/>')
    for i, label in enumerate(labels):
        x = left + i * col + 8
        y = float(base)
        for item in series:
            value = item.values[i]
            if value:
                h = value * scale
                y -= h
                body.append(
                    f'<rect x="{x}" y="{y:.1f}" width="{col - 16}" height="{max(h, 0.5):.1f}" fill="{item.colour}">'
                    f"<title>{escape(label)} · {escape(item.label)}: {_n(value)}</title></rect>"
                )
        centre = x + (col - 16) / 2
        body.append(
            f'<text x="{centre:.1f}" y="{y - 4:.1f}" text-anchor="middle" fill="{MUTED}">{_n(totals[i])}</text>'
        )
        body.append(f'<text x="{centre:.1f}" y="{height - 6}" text-anchor="middle" fill="{INK}">{escape(label)}</text>')
    return _svg(width, height, title, body)
