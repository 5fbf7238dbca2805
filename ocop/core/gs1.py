"""GS1 identifiers on stamps: the GTIN's check digit and the GS1 Digital Link URI of a unit.

GS1 Digital Link (GS1 Digital Link Standard: URI Syntax, release 1.4) writes a unit's identity as a path on any
domain: `/01/{GTIN-14}/10/{batch or lot}/21/{serial}`. Standard scanners and retailers' systems recognise it; we
serve it, so the stamp's QR code is both a GS1 key and our scan page. The serial (AI 21) is the stamp's code.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

# GS1 AI 10 (batch/lot) takes up to 20 characters of the GS1 "AI encodable character set 82"; we accept the
# part of it that survives being typed and printed: letters, digits and - . / _
LOT_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-./_]{0,19}$")


def gtin_check_digit(body: str) -> str:
    """The GS1 mod-10 check digit of the digits before it (weights 3, 1, 3, … from the right)."""
    total = sum(int(digit) * (3 if position % 2 == 0 else 1) for position, digit in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def gtin_is_valid(gtin: str) -> bool:
    """GTIN-8, -12, -13 or -14 with a correct check digit."""
    return bool(re.fullmatch(r"\d{8}|\d{12,14}", gtin)) and gtin_check_digit(gtin[:-1]) == gtin[-1]


def gtin_validate(value: str) -> None:
    """A model and form validator: a GTIN with a correct check digit, or nothing."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if value and not gtin_is_valid(value):
        raise ValidationError(
            _("A GTIN (the barcode number) has 8, 12, 13 or 14 digits and a correct last (check) digit."),
            code="gtin",
        )


def gtin14(gtin: str) -> str:
    """The GTIN padded to 14 digits, as Digital Link writes it."""
    return gtin.zfill(14)


def digital_link_path(*, gtin: str, lot: str, serial: str) -> str:
    """/01/{gtin14}/10/{lot}/21/{serial}, the lot percent-encoded as the standard requires."""
    return f"/01/{gtin14(gtin)}/10/{quote(lot, safe='')}/21/{quote(serial, safe='')}"


def lot_from_path(text: str) -> str:
    return unquote(text)
