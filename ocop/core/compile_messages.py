"""Compile every locale/*/LC_MESSAGES/*.po into .mo with polib (no gettext binaries needed)."""

from __future__ import annotations

from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"


def compile_all() -> int:
    """Write a .mo beside each .po that is newer than its .mo; return how many were written."""
    written = 0
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written += 1
    return written


if __name__ == "__main__":
    compile_all()
