"""Turning published cell values into typed values, with messages that name the problem."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ocop.core.programme import LAST_YEAR, PROGRAMME_FIRST_YEAR, is_certified_level
from ocop.core.text import nfc, vn_fold


class CellError(ValueError):
    """A cell's value cannot be used; the message says what is accepted."""


def text(value: Any) -> str:
    """A cell as NFC text; 2021.0 read from Excel becomes "2021"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return nfc(str(value))


_STAR_WORD = re.compile(r"^(\d)\s*(sao|\*|★)?$")
_STARS_IN_TEXT = re.compile(r"(?:^|[\s(])(\d)\s*(?:sao|\*|★)")  # "4 sao (nâng hạng)", "xếp 3*"
_STAR_NAME = re.compile(r"(?:^|\s)(ba|bon|nam)\s+sao\b")  # "ba sao", "bốn sao", "năm sao"


def stars(value: Any) -> int:
    """3, 4.0, "4 sao", "4*", "4 ★", "★★★★", "Hạng 4 sao", "Đạt 4 sao (nâng hạng)" or "bốn sao" → 4; anything
    else is refused."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = int(value) if float(value).is_integer() else None
    else:
        raw = text(value)
        if raw and set(raw.replace(" ", "")) <= {"★", "☆"}:
            number = raw.count("★")
        else:
            folded = vn_fold(raw).replace("hang", "").replace("dat", "").strip()
            match = _STAR_WORD.match(folded) or _STARS_IN_TEXT.search(folded)
            number = int(match.group(1)) if match else None
            if number is None and (word := _STAR_NAME.search(folded)):
                number = {"ba": 3, "bon": 4, "nam": 5}[word.group(1)]
    if number is None or not is_certified_level(number):
        raise CellError(_("not valid (only 3, 4 or 5 stars are accepted)"))
    return number


def star_mark(value: Any) -> bool:
    """A cell of a per-level star column ("3 sao" | "4 sao" | "5 sao") that ticks this level."""
    raw = vn_fold(text(value))
    return raw not in ("", "0", "-", "khong", "no")


def score(value: Any) -> Decimal | None:
    """69.25, "69,25" or "69.25 điểm" → Decimal("69.25"); blank → None; outside 0–100 refused."""
    raw = text(value)
    if not raw:
        return None
    cleaned = vn_fold(raw).replace("diem", "").strip().replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise CellError(_("is not a number")) from None
    if not Decimal(0) <= number <= Decimal(100):
        raise CellError(_("must be between 0 and 100"))
    return number


def year(value: Any) -> int | None:
    """2021, 2021.0 or "2021" → 2021; blank → None; outside 2018–2100 refused (OCOP began in 2018)."""
    raw = text(value)
    if not raw:
        return None
    match = re.search(r"(20\d\d)", raw)
    if not match:
        raise CellError(_("is not a year"))
    number = int(match.group(1))
    if not PROGRAMME_FIRST_YEAR <= number <= LAST_YEAR:
        raise CellError(_("is not a year of the OCOP programme (2018 or later)"))
    return number


_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def date(value: Any) -> dt.date | None:
    """An Excel date, "24/11/2021", "24-11-2021" or "2021-11-24"; blank → None."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float):
        # Excel's serial day number (1900 date system).
        if 40000 < float(value) < 80000:
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        raise CellError(_("is not a date"))
    raw = text(value)
    try:
        if match := _DATE.search(raw):
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if match := _ISO.search(raw):
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        pass
    raise CellError(_("is not a date (use dd/mm/yyyy)"))


_MONTH_YEAR = re.compile(r"^(?:thang\s*|t\s*)?(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_YEAR_ONLY = re.compile(r"^(?:nam\s*)?(\d{4})$")


def date_with_precision(value: Any) -> tuple[dt.date, str] | None:
    """A decision's date as far as the cell gives it: "24/11/2021" (day), "11/2021", "tháng 11/2021" (month),
    "2021", "năm 2021" (year); blank → None. The date returned is the period's first day."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and PROGRAMME_FIRST_YEAR <= value <= LAST_YEAR:
        return dt.date(int(value), 1, 1), "year"
    raw = vn_fold(text(value)).strip(" .")
    for pattern, precision in ((_MONTH_YEAR, "month"), (_YEAR_ONLY, "year")):
        if match := pattern.match(raw):
            numbers = [int(g) for g in match.groups()]
            year_ = numbers[-1]
            month = numbers[0] if precision == "month" else 1
            if not PROGRAMME_FIRST_YEAR <= year_ <= LAST_YEAR or not 1 <= month <= 12:
                raise CellError(_("is not a date of the OCOP programme (2018 or later)"))
            return dt.date(year_, month, 1), precision
    day = date(value)
    return (day, "day") if day else None


_AROUND_SEPARATORS = re.compile(r"\s*([/-])\s*")


def decision_number(value: Any) -> str:
    """ "2751/QĐ-UBND" kept as written (NFC, spaces removed around the slash and dash)."""
    raw = text(value)
    return _AROUND_SEPARATORS.sub(r"\1", raw) if " " in raw else raw


_NOT_RECOGNISED = ("khong dat", "chua dat", "khong cong nhan", "chua cong nhan", "khong xep hang", "truot")


def not_recognised(value: Any) -> bool:
    """ "Không đạt", "Chưa đạt", "Không công nhận": a registration the council did not recognise."""
    folded = vn_fold(text(value))
    return any(word in folded for word in _NOT_RECOGNISED)


def registration_kind(value: Any) -> str:
    """ "Đăng ký mới" → new, "Nâng hạng" → upgrade, "Đánh giá lại"/"Tái công nhận" → reevaluation."""
    return registration_kind_stated(value) or "new"


def registration_kind_stated(value: Any) -> str | None:
    """The registration kind a cell states, or None when it states none (a note about something else)."""
    folded = vn_fold(text(value))
    if "nang hang" in folded or "nang sao" in folded:
        return "upgrade"
    if any(word in folded for word in ("danh gia lai", "tai cong nhan", "cong nhan lai", "tai danh gia")):
        return "reevaluation"
    if folded in ("moi", "dang ky moi", "san pham moi", "dk moi", "lan dau", "dang ky lan dau"):
        return "new"
    return None
