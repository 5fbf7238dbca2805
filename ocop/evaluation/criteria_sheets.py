"""A criteria set as a spreadsheet, so that officers complete or revise it in Excel and upload it back.

One row per option; the part, section and criterion columns repeat on each row of the criterion. A
heading criterion (one with sub-criteria) has a row with no option; a sub-criterion names its parent.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from ocop.core.errors import ApplicationError
from ocop.core.exporting import Column, Exporter
from ocop.core.text import nfc
from ocop.evaluation.models import CriteriaSet, Criterion

HEADERS = [
    "Phần", "Tên phần", "Điểm tối đa phần", "Mục", "Tên mục", "Điểm tối đa mục", "Mã tiêu chí", "Tiêu chí",
    "Tiêu chí cha", "Phương án", "Điểm", "Điểm bắt buộc", "Bắt buộc từ hạng sao",
]  # fmt: skip


def _number(value: Any) -> float | None:
    return float(value) if value is not None else None


def _pick(index: int) -> Callable[[list[Any]], Any]:
    return lambda row: row[index]


class CriteriaSetExporter(Exporter):
    """The rows of a criteria set version, in the layout `criteria_set_from_rows` reads back."""

    sheet_name = "Bộ tiêu chí"
    columns: ClassVar[list[Column]] = [(header, _pick(i), 18) for i, header in enumerate(HEADERS)]

    def __init__(self, criteria_set: CriteriaSet) -> None:
        super().__init__(list(_rows(criteria_set)))

    def rows(self):
        yield from self.objects


def _rows(criteria_set: CriteriaSet):
    criteria = (
        Criterion.objects.filter(criteria_set=criteria_set)
        .select_related("section__parent", "parent")
        .prefetch_related("options")
        .order_by("order")
    )
    seen_sections = set()
    for criterion in criteria:
        section = criterion.section
        part = section.parent or section
        seen_sections.add(section.pk)
        base = [
            part.code, part.name, _number(part.max_points),
            section.code if section.parent_id else "", section.name if section.parent_id else "",
            _number(section.max_points) if section.parent_id else None,
            criterion.code, criterion.name, criterion.parent.code if criterion.parent is not None else "",
        ]  # fmt: skip
        required = [_number(criterion.required_points), criterion.required_from_stars if criterion.required_points
                    is not None else None]  # fmt: skip
        options = list(criterion.options.all())
        if not options:
            yield [*base, "", None, *required]
        for option in options:
            yield [*base, option.label, float(option.points), *required]
    # Sections without criteria yet (an incomplete set) still appear, for the officer to fill in.
    for section in (
        criteria_set.parts.filter(parent__isnull=False).exclude(pk__in=seen_sections).select_related("parent")
    ):
        parent = section.parent
        assert parent is not None
        yield [parent.code, parent.name, _number(parent.max_points), section.code,
               section.name, _number(section.max_points), "", "", "", "", None, None, None]  # fmt: skip


def _cell(row: list[Any], index: int) -> Any:
    value = row[index] if index < len(row) else None
    return nfc(str(value)) if isinstance(value, str) else value


def _decimal(value: Any, row_number: int, column: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", ".")).normalize()
    except InvalidOperation:
        raise ApplicationError(
            _("Row %(row)s: '%(column)s' = '%(value)s' is not a number.")
            % {"row": row_number, "column": column, "value": value},
            code="number",
        ) from None


def criteria_set_from_rows(rows: list[list[Any]], *, code: str, name: str, category: str) -> dict:
    """Read the sheet (header row first, as exported) into the data shape `criteria_set_store` takes."""
    header_index = next(
        (i for i, row in enumerate(rows[:10]) if [str(c or "").strip() for c in row[:3]] == HEADERS[:3]), None
    )
    if header_index is None:
        raise ApplicationError(
            _("The sheet has no header row “%(headers)s”: start from the downloaded file.")
            % {"headers": " | ".join(HEADERS[:4])},
            code="header",
        )
    parts: dict[str, dict] = {}
    criteria: dict[str, dict] = {}
    for offset, row in enumerate(rows[header_index + 1 :]):
        number = header_index + offset + 2
        if not any(v not in (None, "") for v in row):
            continue
        part_code = str(_cell(row, 0) or "").strip()
        if not part_code:
            raise ApplicationError(_("Row %(row)s: 'Phần' is empty.") % {"row": number}, code="part")
        part = parts.setdefault(part_code, {"code": part_code, "name": _cell(row, 1) or part_code,
                                            "max": _decimal(_cell(row, 2), number, "Điểm tối đa phần"),
                                            "sections": {}})  # fmt: skip
        section_code = str(_cell(row, 3) or "").strip() or part_code
        section = part["sections"].setdefault(section_code, {
            "code": section_code, "name": _cell(row, 4) or part["name"],
            "max": _decimal(_cell(row, 5), number, "Điểm tối đa mục"), "criteria": [],
        })  # fmt: skip
        criterion_code = str(_cell(row, 6) or "").strip()
        if not criterion_code:
            continue  # a section still without criteria
        criterion = criteria.get(criterion_code)
        if criterion is None:
            criterion = {"code": criterion_code, "name": _cell(row, 7) or criterion_code, "options": [],
                         "children": []}  # fmt: skip
            required = _decimal(_cell(row, 11), number, "Điểm bắt buộc")
            if required is not None:
                stars = _decimal(_cell(row, 12), number, "Bắt buộc từ hạng sao")
                if stars is not None and (stars != stars.to_integral_value() or not 1 <= stars <= 5):
                    raise ApplicationError(
                        _("Row %(row)s: '%(column)s' = '%(value)s' is not a star level from 1 to 5.")
                        % {"row": number, "column": "Bắt buộc từ hạng sao", "value": _cell(row, 12)},
                        code="stars",
                    )
                criterion["required"] = {"points": required, "from_stars": int(stars) if stars is not None else 1}
            criteria[criterion_code] = criterion
            parent_code = str(_cell(row, 8) or "").strip()
            if parent_code:
                if parent_code not in criteria:
                    raise ApplicationError(
                        _("Row %(row)s: the parent criterion “%(code)s” must come before its sub-criteria.")
                        % {"row": number, "code": parent_code},
                        code="parent",
                    )
                criteria[parent_code]["children"].append(criterion)
            else:
                section["criteria"].append(criterion)
        label = _cell(row, 9)
        points = _decimal(_cell(row, 10), number, "Điểm")
        if label not in (None, "") and points is None:
            raise ApplicationError(_("Row %(row)s: the option “%(label)s” has no points.")
                                   % {"row": number, "label": label}, code="points")  # fmt: skip
        if points is not None:
            criterion["options"].append([str(label or points), points])
    for criterion in criteria.values():
        if not criterion["children"]:
            criterion.pop("children")
        if not criterion["options"]:
            criterion.pop("options")
    return {
        "code": code, "name": name, "category": category,
        "parts": [{**part, "sections": list(part["sections"].values())} for part in parts.values()],
    }  # fmt: skip


def as_jsonable(data: Any) -> Any:
    """Decimals as strings, so a read sheet can be compared with the stored digest."""
    if isinstance(data, dict):
        return {key: as_jsonable(value) for key, value in data.items()}
    if isinstance(data, list):
        return [as_jsonable(value) for value in data]
    if isinstance(data, Decimal):
        return int(data) if data == data.to_integral_value() else float(data)
    return data
