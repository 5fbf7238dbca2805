"""Finding the header row of a published list and suggesting which column holds which field."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.utils.translation import gettext_lazy as _

from ocop.core.text import nfc, vn_fold

# The fields an import understands, with the header spellings seen in provincial lists (folded).
FIELDS: dict[str, tuple[Any, list[str]]] = {
    "seq": (_("No."), ["stt", "so thu tu", "tt"]),
    "product_name": (_("Product name"), ["ten san pham", "san pham", "ten san pham ocop", "ten sp"]),
    "producer_name": (_("Producer"), ["ten chu the", "chu the", "chu the san xuat", "ten chu the san xuat",
                                      "chu the ocop", "don vi san xuat", "co so san xuat", "ten co so"]),
    "address": (_("Address"), ["dia chi", "dia chi chu the", "dia chi san xuat", "noi san xuat"]),
    "commune": (_("Commune"), ["xa", "xa phuong", "xa/phuong", "phuong xa"]),
    "district": (_("District"), ["huyen", "quan huyen", "huyen/thanh pho", "huyen thi xa thanh pho"]),
    "province": (_("Province"), ["tinh", "tinh thanh pho", "tinh/thanh pho"]),
    "stars": (_("Stars"), ["hang sao", "so sao", "xep hang", "hang", "ket qua xep hang", "phan hang",
                           "xep hang sao", "ket qua phan hang"]),
    "stars_3": (_("3 stars (column)"), ["3 sao", "hang sao 3 sao", "3*", "xep hang 3 sao"]),
    "stars_4": (_("4 stars (column)"), ["4 sao", "hang sao 4 sao", "4*", "xep hang 4 sao"]),
    "stars_5": (_("5 stars (column)"), ["5 sao", "hang sao 5 sao", "5*", "xep hang 5 sao"]),
    "score": (_("Score"), ["diem", "tong diem", "diem danh gia", "diem so", "so diem"]),
    "category": (_("Product group"), ["nhom san pham", "nhom", "bo san pham", "phan nhom", "nganh hang",
                                      "nhom/bo san pham", "bo tieu chi"]),
    "decision_number": (_("Decision number"), ["so quyet dinh", "quyet dinh", "so qd", "quyet dinh cong nhan"]),
    "decision_date": (_("Decision date"), ["ngay quyet dinh", "ngay cong nhan", "ngay ban hanh", "ngay qd"]),
    "year": (_("Year"), ["nam", "nam cong nhan", "nam danh gia"]),
    "round": (_("Round"), ["dot", "dot danh gia"]),
    "issuer": (_("Issued by"), ["co quan quyet dinh", "co quan ban hanh", "co quan cong nhan", "don vi cap",
                                "cap cong nhan", "noi cap"]),
    "result": (_("Outcome"), ["ket qua", "ket qua danh gia", "ket qua cong nhan", "ket qua xet chon",
                              "ket qua danh gia phan hang", "ket qua tham dinh"]),
    "kind": (_("Registration kind"), ["hinh thuc", "loai dang ky", "dang ky moi/nang hang", "ghi chu"]),
    "tax_code": (_("Tax code"), ["ma so thue", "mst", "ma so doanh nghiep"]),
    "phone": (_("Phone"), ["dien thoai", "so dien thoai", "sdt"]),
    "representative": (_("Representative"), ["nguoi dai dien", "dai dien", "chu co so"]),
}  # fmt: skip

_SYNONYMS = {synonym: name for name, (_label, synonyms) in FIELDS.items() for synonym in synonyms}
_CLEAN = re.compile(r"[^a-z0-9*/ ]+")


def fold_header(value: Any) -> str:
    """A header cell as comparable text: folded, punctuation and line breaks removed."""
    text = vn_fold(nfc(str(value or "")).replace("\n", " "))
    return " ".join(_CLEAN.sub(" ", text).split())


def field_for(header: str) -> str | None:
    """The field a header names, or None."""
    folded = fold_header(header)
    if folded in _SYNONYMS:
        return _SYNONYMS[folded]
    # "Hạng sao đạt được", "Tên sản phẩm OCOP đạt": the longest synonym the header starts with.
    best = max((s for s in _SYNONYMS if len(s) > 3 and folded.startswith(s + " ")), key=len, default=None)
    return _SYNONYMS[best] if best else None


def detect_header(rows: list[list[Any]], *, scan: int = 25) -> tuple[int, list[str]]:
    """The index of the header row (after any title block) and the column headers.

    A header row names at least two known fields. When the next row holds sub-headers under merged
    cells ("Hạng sao" over "3 sao | 4 sao | 5 sao"), the two rows are combined into one header each.
    """
    best_index, best_hits = -1, 1
    for index, row in enumerate(rows[:scan]):
        hits = len({field_for(cell) for cell in row if cell not in (None, "")} - {None})
        if hits > best_hits:
            best_index, best_hits = index, hits
    if best_index < 0:
        return -1, []
    header = [nfc(str(cell)) if cell not in (None, "") else "" for cell in rows[best_index]]
    below = rows[best_index + 1] if best_index + 1 < len(rows) else []
    sub = [nfc(str(cell)) if cell not in (None, "") else "" for cell in below]
    if sub and _looks_like_subheader(sub):
        width = max(len(header), len(sub))
        header += [""] * (width - len(header))
        sub += [""] * (width - len(sub))
        parent = ""
        combined = []
        for top, low in zip(header, sub, strict=True):
            parent = top or parent
            if low and field_for(low):
                combined.append(low)
            elif low:
                combined.append(f"{parent} {low}".strip())
            else:
                combined.append(top)
        return best_index + 1, combined
    return best_index, header


def _looks_like_subheader(row: list[str]) -> bool:
    """A row of a few short labels such as "3 sao", "4 sao", "5 sao" under merged header cells."""
    labels = [cell for cell in row if cell]
    if not labels or len(labels) > 8:
        return False
    levels = {"stars_3", "stars_4", "stars_5"}
    # Only labels: a data row ("1 | Mắm | HTX | 3 sao") holds a number or a name that is no field.
    return all(field_for(cell) or fold_header(cell) in _SUB_LABELS for cell in labels) and any(
        field_for(cell) in levels for cell in labels
    )


_SUB_LABELS = {"so", "ngay", "ngay thang", "so ngay", "ky hieu", "co quan"}


def suggest_mapping(headers: list[str]) -> dict[int, str]:
    """Column index → field, from the header names; a field is given to its first column only."""
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        name = field_for(header)
        if name and name not in taken:
            mapping[index] = name
            taken.add(name)
    return mapping


def header_signature(headers: list[str]) -> str:
    """A stable fingerprint of a file's headers, to remember the officer's mapping for the next file."""
    return hashlib.sha256("|".join(fold_header(h) for h in headers).encode()).hexdigest()[:32]
