"""Reading a published list row by row: typed values, the decision, the category, the address; each row either a
record to import or a rejection naming its problem."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocop.catalog.models import Category, Regime
from ocop.core.dates import DatePrecision
from ocop.core.demo_words import PRODUCT_STEMS
from ocop.core.programme import CERTIFIED_STARS, LAST_YEAR, PROGRAMME_FIRST_YEAR
from ocop.core.text import nfc, vn_fold
from ocop.geo.models import Commune, Province
from ocop.spreadsheets import coercion
from ocop.spreadsheets.addresses import AddressParts, AddressResolver, split_address
from ocop.spreadsheets.headers import FIELDS

Progress = Callable[[float], None]


REQUIRED = ("product_name", "producer_name")


REORGANISATION = dt.date(2025, 7, 1)


NO_DATE = gettext_lazy(
    "Row %(row)s: neither a decision date nor a year (add a “Năm công nhận” or “Ngày quyết định” column, "
    "or name the year in the title: “… năm 2021”)"
)


@dataclass
class Defaults:
    """What the officer (or the command line) says about the whole file."""

    province: Province | None = None
    legacy_province: Any = None  # a former province the title names ("… tỉnh Kiên Giang năm 2021")
    year: int | None = None
    decision_number: str = ""
    decision_date: dt.date | None = None
    # Rows whose former commune was split, with the commune a person chose (row number → commune).
    chosen_communes: dict[int, Commune] = field(default_factory=dict)
    # When set, only these rows are checked (re-importing the rows a person has just resolved).
    only_rows: set[int] | None = None
    # A province officer's import: rows addressed in another province are refused (the central office's are not).
    held_to_province: bool = False
    source_name: str = ""  # the file's name, a last hint of the province and year


@dataclass(slots=True)  # 100,000 of them are held while a list is imported: no dict each
class RowRecord:
    """A row that passed every check, ready to be matched."""

    row_number: int
    product_name: str
    producer_name: str
    stars: int | None  # None: a registration the council did not recognise (a round's list)
    score: Decimal | None
    decision_number: str
    issued_on: dt.date
    category: Category | None  # None: "chưa phân nhóm", classified later by an officer
    commune: Any  # None when the list names only a former district or the province
    legacy_province: Any
    address: str
    province: Any = None
    legacy_district: Any = None
    issued_precision: str = DatePrecision.DAY
    # The former province of the address, whatever the date (the producer's place); `legacy_province` is the
    # issuing former province, only for decisions before 1 July 2025.
    place_legacy_province: Any = None
    registered: bool = False  # a round's list: the row is a registration with its outcome
    tax_code: str = ""
    phone: str = ""
    representative: str = ""
    round_label: str = ""
    kind: str = "new"
    issuer: str = ""  # only when the file names it


@dataclass(slots=True)
class Rejection:
    row_number: int
    reason: str
    cells: list[Any]


@dataclass
class Plan:
    """Everything an import would do, counted."""

    records: list[RowRecord] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    review: list[tuple[int, dict, str, list]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _label(name: str) -> str:
    return str(FIELDS[name][0])


def _row_error(row_number: int, name: str, value: Any, problem: str) -> str:
    """ "Row 7, column “Hạng sao”: “6 sao” is not valid (only 3, 4 or 5 stars are accepted)"."""
    shown = coercion.text(value)[:60]
    return _("Row %(row)s, column “%(column)s”: %(value)s %(problem)s") % {
        "row": row_number,
        "column": _label(name),
        "value": f"“{shown}”" if shown else _("the cell is empty:"),
        "problem": problem,
    }


class CategoryGuesser:
    """The product group from a column (code or name), else from the product's name ("Mật ong…" → I.2.b)."""

    def __init__(self) -> None:
        nodes = list(Category.objects.filter(regime=Regime.D148_2023).select_related("group", "parent"))
        self.by_code = {node.code.lower(): node for node in nodes}
        self.by_name = {vn_fold(node.name): node for node in nodes}
        leaves = {node.code: node for node in nodes}
        stems = sorted(
            ((vn_fold(stem), leaves[code]) for code, (stems, *_rest) in PRODUCT_STEMS.items() for stem in stems),
            key=lambda pair: -len(pair[0]),
        )
        self.stems_by_word: dict[str, list[tuple[str, Category]]] = {}  # by first word: a few stems to try
        for stem, leaf in stems:
            self.stems_by_word.setdefault(stem.split()[0], []).append((stem, leaf))
        self.memo: dict[str, Category | None] = {}

    def from_cell(self, value: Any) -> Category | None:
        raw = coercion.text(value)
        if not raw:
            return None
        code = raw.split()[0].rstrip(".").lower()
        if code in self.by_code:
            return self.by_code[code]
        folded = vn_fold(raw)
        if folded in self.by_name:
            return self.by_name[folded]
        return next((node for name, node in self.by_name.items() if folded and name.startswith(folded)), None)

    def from_name(self, product_name: str) -> Category | None:
        if product_name in self.memo:
            return self.memo[product_name]
        folded = vn_fold(product_name)
        words = folded.split()
        candidates = self.stems_by_word.get(words[0], []) if words else []
        found = next((leaf for stem, leaf in candidates if folded == stem or folded.startswith(stem + " ")), None)
        found = found or next((leaf for stem, leaf in candidates if folded.startswith(stem)), None)
        if len(self.memo) < 100_000:
            self.memo[product_name] = found
        return found


_DECISION_DATE = re.compile(r"ngay\s*(\d{1,2})\s*(?:[/.\-]|thang)\s*(\d{1,2})\s*(?:[/.\-]|nam)\s*(\d{4})")


_NUMBER = re.compile(r"\d+\s*/\s*[\w\-/.]*?[^\W\d_][\w\-/.]*")  # "2751/QĐ-UBND": a slash, then letters
_BARE_DATE = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_MONTH_IN_TEXT = re.compile(r"thang\s*(\d{1,2})\s*(?:[/.\-]|nam)\s*(\d{4})")
_YEAR_IN_TEXT = re.compile(r"nam\s*(\d{4})")


@lru_cache(maxsize=4096)  # a list repeats its decisions row after row
def _decision_parts(value: Any) -> tuple[str, tuple[dt.date, str] | None]:
    """ "Số 2751/QĐ-UBND ngày 24/11/2021" → ("2751/QĐ-UBND", (24/11/2021, day)); "QĐ 15/QĐ-UBND năm 2020" →
    ("15/QĐ-UBND", (2020, year)); a cell with only a number keeps it as written."""
    raw = coercion.text(value)
    if not raw:
        return "", None
    folded = vn_fold(raw)
    when = None
    number = _NUMBER.search(raw)
    found = _DECISION_DATE.search(folded) or _BARE_DATE.search(folded[number.end() :] if number else folded)
    if found is not None:
        try:
            when = (dt.date(int(found.group(3)), int(found.group(2)), int(found.group(1))), DatePrecision.DAY)
        except ValueError:
            when = None
    elif found := _MONTH_IN_TEXT.search(folded):
        month, year = int(found.group(1)), int(found.group(2))
        if 1 <= month <= 12 and PROGRAMME_FIRST_YEAR <= year <= LAST_YEAR:
            when = (dt.date(year, month, 1), DatePrecision.MONTH)
    elif found := _YEAR_IN_TEXT.search(folded):
        year = int(found.group(1))
        if PROGRAMME_FIRST_YEAR <= year <= LAST_YEAR:
            when = (dt.date(year, 1, 1), DatePrecision.YEAR)
    if number is not None:
        return coercion.decision_number(number.group(0).rstrip(".,;")), when
    if when is not None:
        return "", when  # "năm 2021" in the decision column: a date, no number
    return coercion.decision_number(raw), None


# "… Quyết định số 2751/QĐ-UBND ngày 24/11/2021 của UBND tỉnh …" in the lines above the table's header.
_TITLE_DECISION = re.compile(r"quyet\s*dinh\s*(?:so\s*)?[:.]?\s*(\d+\s*/\s*[a-z0-9\-/]+)")


def decision_in_title(title_rows: list[list[Any]]) -> tuple[str, dt.date | None]:
    """The decision number and date a list's title block names (many annexes are published under one), or
    ("", None). The number is returned as written (its letters keep their case and diacritics)."""
    for cells in title_rows:
        raw = " ".join(coercion.text(value) for value in cells if value not in (None, ""))
        folded = vn_fold(raw)
        found = _TITLE_DECISION.search(folded)
        if not found:
            continue
        number = coercion.decision_number(raw[found.start(1) : found.end(1)])
        rest = folded[found.end(1) :]
        day_found = _DECISION_DATE.search(rest)
        day = None
        if day_found and day_found.start() < 12:  # "ngày …" right after the number, not a date further on
            try:
                day = dt.date(int(day_found.group(3)), int(day_found.group(2)), int(day_found.group(1)))
            except ValueError:
                day = None
        return number, day
    return "", None


_FORMULA = re.compile(r"^=\s*([A-Za-z][A-Za-z0-9.]*\(|[A-Z]{1,3}\d+|\d+\s*[-+*/])")
_TITLE_YEAR = re.compile(r"\bnam\s+(20\d\d)\b")
_TITLE_PROVINCE = re.compile(r"\b(?:tinh|thanh pho|tp\.?)\s+([a-z][a-z \-]{1,30})")


@dataclass
class TitleFacts:
    """What a list's title block says of all its rows."""

    decision_number: str = ""
    decision_date: dt.date | None = None
    year: int | None = None
    province: Province | None = None
    legacy_province: Any = None


def _province_named(folded: str, resolver: AddressResolver) -> tuple[Province | None, Any]:
    """The province a folded title or file name names: after "tỉnh"/"thành phố" first, else any province's
    name standing as whole words (the longest, so "Bà Rịa Vũng Tàu" is not "Vũng Tàu")."""
    for found in _TITLE_PROVINCE.finditer(folded):
        words = found.group(1).replace("-", " ").split()
        for length in range(min(len(words), 4), 0, -1):  # "nghe an nam 2021" → "nghe an"
            province, legacy = resolver.find_province(" ".join(words[:length]))
            if province is not None:
                return province, legacy
    text = f" {' '.join(re.sub(r'[^a-z0-9]+', ' ', folded).split())} "
    names = sorted(
        {*resolver.province_by_key, *resolver.legacy_by_key}, key=len, reverse=True
    )  # fmt: skip
    for name in names:
        if f" {name} " in text:
            return resolver.find_province(name)
    return None, None


def title_facts(title_rows: list[list[Any]], resolver: AddressResolver, source_name: str = "") -> TitleFacts:
    """The decision, the year ("… năm 2021") and the province ("… tỉnh Nghệ An …") a title block names."""
    facts = TitleFacts()
    facts.decision_number, facts.decision_date = decision_in_title(title_rows)
    for cells in title_rows:
        folded = vn_fold(" ".join(coercion.text(value) for value in cells if value not in (None, "")))
        folded = _DECISION_DATE.sub(" ", folded)  # "ngày 15 tháng 6 năm 2022" is the decision's date, not the year
        if facts.year is None and (found := _TITLE_YEAR.search(folded)):
            year = int(found.group(1))
            facts.year = year if PROGRAMME_FIRST_YEAR <= year <= LAST_YEAR else None
        if facts.province is None:
            facts.province, facts.legacy_province = _province_named(folded, resolver)
    if facts.year is None and facts.decision_date is not None:
        facts.year = facts.decision_date.year
    # Last, the file's name ("danh-sach-ocop-nghe-an-2021.xlsx"): what neither the rows nor the title say.
    name = vn_fold(source_name.rsplit(".", 1)[0]).replace("_", " ").replace("-", " ")
    if facts.province is None and name:
        facts.province, facts.legacy_province = _province_named(name, resolver)
    if facts.year is None and (found := re.search(r"(?<!\d)(20\d\d)(?!\d)", name)):
        year = int(found.group(1))
        facts.year = year if PROGRAMME_FIRST_YEAR <= year <= LAST_YEAR else None
    return facts


_SECTION_PLACE = re.compile(
    r"^(?:[ivxlc]+|\d+|[a-z])?[.)]?\s*((?:huyen|thi xa|thanh pho|quan|tp\.?|xa|phuong|"
    r"thi tran|tinh)\s.*?)\s*(?:\(.*\))?$"
)
_SECTION_GROUP = re.compile(r"^(?:[ivxlc]+|\d+|[a-z])?[.)]?\s*(?:nhom\s+(?:san\s+pham\s+)?)?")
_TOTALS = ("tong", "cong", "tong cong", "tong so")


def _section_label(cells: list[Any], product_name: str, producer_name: str, stars: Any) -> str | None:
    """The label of a section line ("I. HUYỆN QUỲ HỢP", "Nhóm thực phẩm (12 sản phẩm)", "Tổng cộng"), "" for a
    line to pass over, or None for a row of data. A section line names no producer and no stars and holds at
    most a number and one text."""
    if producer_name or coercion.text(stars):
        return None
    texts = [coercion.text(value) for value in cells if coercion.text(value)]
    if len(texts) > 2:
        return None
    words = [t for t in texts if any(character.isalpha() for character in t)]
    if not words:
        return ""
    label = max(words, key=len)
    if vn_fold(label).strip(" .:").startswith(_TOTALS):
        return ""
    if not product_name:
        return label
    folded = vn_fold(label)
    # In the product column, only what reads as a heading: a place, a group, or a roman-numbered line.
    if product_name == label and (_SECTION_PLACE.match(folded) or re.match(r"^([ivxlc]+[.)]|nhom\s)", folded)):
        return label
    return None


_PRODUCER_FIELDS = ("producer_name", "address", "commune", "district", "province", "tax_code", "phone",
                    "representative")  # fmt: skip


def _producer_cells(cells: list[Any], columns: dict[str, int]) -> dict[int, Any]:
    """A row's producer and address cells (column index → value), when it names a producer."""
    index = columns.get("producer_name")
    if index is None or index >= len(cells) or cells[index] in (None, ""):
        return {}
    indexes = [columns[name] for name in _PRODUCER_FIELDS if name in columns]
    return {i: cells[i] for i in indexes if i < len(cells) and cells[i] not in (None, "")}


def _continued(cells: list[Any], inherited: dict[int, Any]) -> list[Any]:
    """A product row without a producer or a number ("STT") continues the producer above it, as lists write a
    producer once for its several products (merged cells flattened by a conversion)."""
    cells = list(cells) + [None] * (max(inherited) + 1 - len(cells))
    for index, value in inherited.items():
        if cells[index] in (None, ""):
            cells[index] = value
    return cells


def _round_list(rows: list[list[Any]], columns: dict[str, int]) -> bool:
    """A round's list (registrations with their outcomes) rather than a list of certificates: it has an outcome
    column, or a column that states registration kinds ("Hình thức": mới / nâng hạng / đánh giá lại)."""
    if "result" in columns:
        return True
    index = columns.get("kind")
    if index is None:
        return False
    return any(index < len(cells) and coercion.registration_kind_stated(cells[index]) is not None for cells in rows)


def check_rows(
    rows: list[list[Any]],
    header_row: int,
    mapping: dict[int, str],
    defaults: Defaults,
    progress: Progress | None = None,
) -> Plan:
    """Validate every data row below the header; nothing is written."""
    plan = Plan()
    resolver = AddressResolver()
    title = title_facts(rows[:header_row], resolver, defaults.source_name)
    defaults = dataclasses.replace(
        defaults,
        decision_number=defaults.decision_number or title.decision_number,
        decision_date=defaults.decision_date or title.decision_date,
        year=defaults.year or title.year,
        province=defaults.province or title.province,
        legacy_province=defaults.legacy_province
        or (title.legacy_province if defaults.province is None or defaults.province == title.province else None),
    )  # what the officer says wins; the title block fills what the rows and the officer leave out
    guesser = CategoryGuesser()
    columns = {name: index for index, name in mapping.items()}
    data_rows = rows[header_row + 1 :]
    round_list = _round_list(data_rows, columns)
    section_place, section_group = "", None
    inherited: dict[int, Any] = {}
    total = max(len(data_rows), 1)
    for offset, cells in enumerate(data_rows):
        row_number = header_row + 2 + offset  # as the spreadsheet shows it (1-based)
        if progress and offset % 2000 == 0:
            progress(offset / total * 0.5)

        inherited = _producer_cells(cells, columns) or inherited

        def cell(name: str, cells: list[Any] = cells) -> Any:
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        if defaults.only_rows is not None and row_number not in defaults.only_rows:
            continue
        if all(value in (None, "") for value in cells):
            continue
        product_name = coercion.text(cell("product_name"))
        producer_name = coercion.text(cell("producer_name"))
        label = _section_label(cells, product_name, producer_name, cell("stars"))
        if label is not None:  # "I. Huyện Quỳ Hợp", "2. Nhóm đồ uống": the rows below are there, or of it
            inherited = {}
            if label and (place := _SECTION_PLACE.match(vn_fold(label))):
                section_place = label[place.start(1) : place.end(1)]
            elif label and (group := guesser.from_cell(_SECTION_GROUP.sub("", vn_fold(label)))):
                section_group = group
            continue
        if not product_name and not producer_name:
            continue
        if not producer_name and inherited and cell("seq") in (None, ""):
            cells = _continued(cells, inherited)  # the producer above, written once for its several products

            def cell(name: str, cells: list[Any] = cells) -> Any:
                index = columns.get(name)
                return cells[index] if index is not None and index < len(cells) else None

            producer_name = coercion.text(cell("producer_name"))
        errors = [
            _row_error(row_number, name, cells[index], _("is a formula whose result the file does not hold (open "
                                                        "the file in Excel or LibreOffice and save it again)"))
            for name, index in columns.items()
            if index < len(cells) and isinstance(cells[index], str) and cells[index][:1] == "="
            and _FORMULA.match(cells[index])
        ]  # fmt: skip
        for name, value in (("product_name", product_name), ("producer_name", producer_name)):
            if not value:
                errors.append(
                    _("Row %(row)s, column “%(column)s”: the cell is empty")
                    % {"row": row_number, "column": _label(name)}
                )
            elif not any(character.isalpha() for character in value):
                errors.append(_row_error(row_number, name, value, _(
                    "is not a name (a number, or a formula whose result the file does not hold)")))  # fmt: skip
        stars = None
        refused = round_list and (coercion.not_recognised(cell("result")) or coercion.not_recognised(cell("stars")))
        if refused:
            pass  # a registration the council did not recognise: no stars to read
        elif "stars" in columns and (cell("stars") not in (None, "") or "result" not in columns):
            try:
                stars = coercion.stars(cell("stars"))
            except coercion.CellError as exc:
                errors.append(_row_error(row_number, "stars", cell("stars"), str(exc)))
        elif "result" in columns:
            try:
                stars = coercion.stars(cell("result"))
            except coercion.CellError as exc:
                errors.append(_row_error(row_number, "result", cell("result"), str(exc)))
        else:
            ticked = [
                level
                for level in CERTIFIED_STARS
                if f"stars_{level}" in columns and coercion.star_mark(cell(f"stars_{level}"))
            ]
            if len(ticked) == 1:
                stars = ticked[0]
            else:
                errors.append(_("Row %(row)s: tick exactly one of the 3, 4 and 5 star columns") % {"row": row_number})
        score = None
        try:
            score = coercion.score(cell("score"))
        except coercion.CellError as exc:
            errors.append(_row_error(row_number, "score", cell("score"), str(exc)))
        number, when = _decision_parts(cell("decision_number"))
        number = number or defaults.decision_number
        try:
            when = coercion.date_with_precision(cell("decision_date")) or when
        except coercion.CellError as exc:
            errors.append(_row_error(row_number, "decision_date", cell("decision_date"), str(exc)))
        try:
            row_year = coercion.year(cell("year"))
        except coercion.CellError as exc:
            errors.append(_row_error(row_number, "year", cell("year"), str(exc)))
            row_year = None
        if (
            when is None
            and defaults.decision_date
            and (row_year or defaults.year) in (None, defaults.decision_date.year)
        ):
            when = (defaults.decision_date, DatePrecision.DAY)  # the file's decision, unless the row's year differs
        year = row_year or defaults.year
        if when is None and year:
            when = (dt.date(year, 1, 1), DatePrecision.YEAR)  # only the year is known: said so, never a day invented
        if (
            when is not None
            and row_year
            and when[0].year != row_year
            and "decision_date" not in columns
            and not (cell("decision_number"))
        ):
            when = (dt.date(row_year, 1, 1), DatePrecision.YEAR)
        if when is None:
            errors.append(NO_DATE % {"row": row_number})
        category = guesser.from_cell(cell("category")) if "category" in columns else None
        category = category or guesser.from_name(product_name) or section_group  # else "chưa phân nhóm"
        address = coercion.text(cell("address"))
        if section_place and not any(coercion.text(cell(n)) for n in ("address", "commune", "district")):
            address = section_place
        parts = split_address(address)
        parts = AddressParts(
            commune=coercion.text(cell("commune")) or parts.commune,
            district=coercion.text(cell("district")) or parts.district,
            province=coercion.text(cell("province")) or parts.province,
        )
        resolution = resolver.resolve(
            parts, default_province=defaults.province, default_legacy=defaults.legacy_province
        )
        full_address = address or ", ".join(p for p in (parts.commune, parts.district, parts.province) if p)
        chosen = defaults.chosen_communes.get(row_number)
        if resolution.status == "ambiguous" and chosen is not None and chosen in resolution.candidates:
            resolution = dataclasses.replace(resolution, status="ok", commune=chosen)
        if resolution.status == "ambiguous" and not errors:
            # Imported now with its commune unknown (it counts at once where its province and former district are
            # known); the communes it may lie in go to a person, never to a guess.
            plan.review.append(
                (row_number, {"product": product_name, "producer": producer_name}, full_address, resolution.candidates)
            )
            resolution = dataclasses.replace(resolution, status="partial", commune=None)
        if resolution.status == "unknown":
            errors.append(
                _("Row %(row)s, column “%(column)s”: “%(value)s”: the province is not known (write it in the "
                  "address, add a “Tỉnh” column or name it in the title)")
                % {"row": row_number, "column": _label("address"), "value": full_address[:80] or "—"}
            )  # fmt: skip
        elif (
            defaults.held_to_province
            and defaults.province is not None
            and resolution.province is not None
            and resolution.province.pk != defaults.province.pk
        ):
            errors.append(
                _("Row %(row)s: the address “%(value)s” lies in %(found)s, outside %(province)s, the province this "
                  "import is for; the central office imports other provinces' rows")
                % {"row": row_number, "value": full_address[:80], "found": resolution.province.name,
                   "province": defaults.province.name}
            )  # fmt: skip
        if errors:
            plan.rejected.append(Rejection(row_number, "; ".join(errors), list(cells)))
            continue
        issued_on, precision = when  # type: ignore[misc]
        plan.records.append(
            RowRecord(
                row_number=row_number,
                product_name=product_name,
                producer_name=producer_name,
                stars=stars,
                score=score,
                decision_number=number,
                issued_on=issued_on,
                issued_precision=precision,
                category=category,
                commune=resolution.commune,
                province=resolution.province,
                legacy_district=resolution.legacy_district,
                registered=round_list,
                legacy_province=resolution.legacy_province if issued_on < REORGANISATION else None,
                place_legacy_province=resolution.legacy_province,
                address=address,
                tax_code=re.sub(r"\D", "", coercion.text(cell("tax_code")))[:14],
                phone=coercion.text(cell("phone"))[:20],
                representative=coercion.text(cell("representative"))[:150],
                round_label=coercion.text(cell("round"))[:40],
                kind=coercion.registration_kind(cell("kind")) if "kind" in columns else "new",
                issuer=coercion.text(cell("issuer"))[:200],
            )
        )
    return plan


def nfc_cells(rows: list[list[Any]]) -> list[list[Any]]:
    """Every text cell in NFC (Windows-1258 files store decomposed tone marks), in place: no second copy
    of a 100,000-row table."""
    for row in rows:
        for index, value in enumerate(row):
            if isinstance(value, str):
                row[index] = nfc(value)
    return rows
