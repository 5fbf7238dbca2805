"""Criteria sets as data: reading the shipped files, validating a set, storing it as a new version.

A data file (ocop/evaluation/criteria/*.json) holds the sets of one regime:

    {"regime": "148/2023", "source": "...", "sets": [
        {"code": "148-I.1.a", "name": "...", "category": "I.1.a", "complete": false,
         "parts": [{"code": "A", "name": "...", "max": 40, "sections": [
             {"code": "A1", "name": "...", "max": 18, "criteria": [
                 {"code": "A1.1", "name": "...", "options": [["label", 1], ["label", 2]],
                  "required": {"points": 2, "from_stars": 3}},
                 {"code": "C1", "name": "...", "children": [ ...criteria... ]}]}]}]}]}

Never invent official criteria or points: a set whose sections or options are not known is shipped
with its parts and sections only and `"complete": false`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ocop.catalog.models import Category, Regime
from ocop.core.errors import ApplicationError
from ocop.core.text import nfc
from ocop.evaluation.models import CriteriaPart, CriteriaSet, Criterion, CriterionOption

DATA_DIR = Path(__file__).resolve().parent / "criteria"

# The maximum points of each part, by regime (Decision 1048: A 35 / B 25 / C 40; Decision 148: A 40 / B 25 / C 35).
PART_MAXIMA: dict[str, dict[str, Decimal]] = {
    Regime.D1048_2019: {"A": Decimal(35), "B": Decimal(25), "C": Decimal(40)},
    Regime.D148_2023: {"A": Decimal(40), "B": Decimal(25), "C": Decimal(35)},
    Regime.D1489_2025: {"A": Decimal(40), "B": Decimal(25), "C": Decimal(35)},
}
TOTAL = Decimal(100)


@dataclass
class Check:
    """What validating one set found: errors refuse the set; `complete` says whether it can score."""

    code: str
    errors: list[str] = field(default_factory=list)
    complete: bool = False
    part_points: dict[str, Decimal] = field(default_factory=dict)


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def _leaves(criteria: list[dict]) -> list[dict]:
    out = []
    for criterion in criteria:
        if criterion.get("children"):
            out += _leaves(criterion["children"])
        else:
            out.append(criterion)
    return out


def _criterion_max(criterion: dict) -> Decimal:
    if criterion.get("children"):
        return sum((_criterion_max(c) for c in criterion["children"]), Decimal(0))
    return max((_decimal(points) for _label, points in criterion.get("options", [])), default=Decimal(0))


def validate_set(data: dict, regime: str) -> Check:
    """Refuse a set whose parts exceed their maximum, whose options fall outside their criterion, or whose
    codes repeat; say whether it is complete (every section has criteria and each part reaches its maximum)."""
    check = Check(code=str(data.get("code", "?")))
    maxima = PART_MAXIMA.get(regime, {})
    codes: list[str] = []
    complete = bool(data.get("parts"))
    for part in data.get("parts", []):
        codes.append(part["code"])
        part_max = _decimal(part["max"]) if part.get("max") is not None else maxima.get(part["code"])
        if part["code"] in maxima and part_max != maxima[part["code"]]:
            check.errors.append(
                _("Part %(part)s: its maximum is %(max)s points under this regime, not %(given)s.")
                % {"part": part["code"], "max": maxima[part["code"]], "given": part_max}
            )
        part_points = Decimal(0)
        for section in part.get("sections", []):
            if section["code"] != part["code"]:  # a part without sections holds its criteria directly
                codes.append(section["code"])
            criteria = section.get("criteria", [])
            if not criteria:
                complete = False
            section_points = sum((_criterion_max(c) for c in criteria), Decimal(0))
            if section.get("max") is not None and section_points > _decimal(section["max"]):
                check.errors.append(
                    _("Section %(section)s: its criteria add up to %(points)s points, above its maximum %(max)s.")
                    % {"section": section["code"], "points": section_points, "max": section["max"]}
                )
            for criterion in _walk(criteria):
                codes.append(criterion["code"])
                if criterion.get("children"):
                    continue
                options = criterion.get("options", [])
                if not options:
                    check.errors.append(_("Criterion %(code)s has no options.") % {"code": criterion["code"]})
                    continue
                bound = _decimal(criterion["max"]) if criterion.get("max") is not None else _criterion_max(criterion)
                for label, points in options:
                    if not Decimal(0) <= _decimal(points) <= bound:
                        check.errors.append(
                            _("Criterion %(code)s: option “%(label)s” is worth %(points)s, outside 0–%(max)s.")
                            % {"code": criterion["code"], "label": label, "points": points, "max": bound}
                        )
                required = criterion.get("required")
                if required and not Decimal(0) <= _decimal(required["points"]) <= bound:
                    check.errors.append(
                        _("Criterion %(code)s: its required points lie outside 0–%(max)s.")
                        % {"code": criterion["code"], "max": bound}
                    )
            part_points += section_points
        check.part_points[part["code"]] = part_points
        if part_max is not None and part_points > part_max:
            check.errors.append(
                _("Part %(part)s: its criteria add up to %(points)s points, above its maximum %(max)s.")
                % {"part": part["code"], "points": part_points, "max": part_max}
            )
        if part_max is None or part_points != part_max:
            complete = False
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        check.errors.append(_("Codes used twice: %(codes)s.") % {"codes": ", ".join(repeated)})
    if sum(check.part_points.values(), Decimal(0)) > TOTAL:
        check.errors.append(_("The parts add up to more than 100 points."))
    check.complete = complete and not check.errors
    if data.get("complete") and not check.complete and not check.errors:
        check.errors.append(_("The set is marked complete but some sections have no criteria or points."))
    return check


def _walk(criteria: list[dict]):
    for criterion in criteria:
        yield criterion
        if criterion.get("children"):
            yield from _walk(criterion["children"])


def read_files(directory: Path = DATA_DIR) -> list[tuple[str, str, dict]]:
    """(regime, source, set) for every set in the shipped files, in file order."""
    out = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data["sets"]:
            out.append((data["regime"], data["source"], item))
    return out


def _same_content(existing: CriteriaSet, data: dict, source: str) -> bool:
    return existing.name == nfc(data["name"]) and existing.source == nfc(source) and existing.note == _digest(data)


def _points(value: Any) -> str | None:
    return None if value in (None, "") else str(Decimal(str(value)).quantize(Decimal("0.01")))


def _canonical_criteria(items: list[dict]) -> list:
    return [
        [
            c["code"],
            nfc(c["name"]),
            [[nfc(str(label)), _points(points)] for label, points in c.get("options", [])],
            [_points((c.get("required") or {}).get("points")), (c.get("required") or {}).get("from_stars")],
            _canonical_criteria(c.get("children", [])),
        ]
        for c in items
    ]


def _digest(data: dict) -> str:
    """A fingerprint of a set's content that ignores how it was written (file or spreadsheet, 40 or 40.0)."""
    import hashlib

    canonical = [
        [
            part["code"], nfc(part["name"]), _points(part.get("max")),
            [
                [section["code"], nfc(section["name"]),
                 None if section["code"] == part["code"] else _points(section.get("max")),
                 _canonical_criteria(section.get("criteria", []))]
                for section in part.get("sections", [])
            ],
        ]
        for part in data.get("parts", [])
    ]  # fmt: skip
    payload = json.dumps(canonical, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(payload.encode()).hexdigest()


@transaction.atomic
def criteria_set_store(*, data: dict, regime: str, source: str, by: Any = None) -> tuple[CriteriaSet, bool]:
    """Store a validated set as a new version, unless the newest version already holds the same content.

    Versions already used by dossiers are never changed: a revision is always a new version.
    """
    check = validate_set(data, regime)
    if check.errors:
        raise ApplicationError("; ".join(check.errors), code="criteria_invalid")
    latest = CriteriaSet.objects.filter(code=data["code"]).order_by("-version").first()
    if latest is not None and _same_content(latest, data, source):
        return latest, False
    category = None
    if data.get("category"):
        category = Category.objects.filter(regime=_category_regime(regime), code=data["category"]).first()
    criteria_set = CriteriaSet.objects.create(
        code=data["code"], version=(latest.version + 1) if latest else 1, name=nfc(data["name"]), regime=regime,
        category=category, source=nfc(source), complete=check.complete, note=_digest(data), created_by=by,
        training=bool(data.get("training")),
    )  # fmt: skip
    counter = [0]  # one running order over the whole set: criteria sort the same on every database
    for part_order, part in enumerate(data.get("parts", [])):
        part_max = part.get("max") if part.get("max") is not None else PART_MAXIMA.get(regime, {}).get(part["code"])
        parent = CriteriaPart.objects.create(
            criteria_set=criteria_set, code=part["code"], name=nfc(part["name"]), max_points=part_max,
            is_bonus=bool(part.get("bonus")), order=part_order * 100,
        )  # fmt: skip
        for section_order, section in enumerate(part.get("sections", [])):
            node = parent
            if section["code"] != part["code"]:
                node = CriteriaPart.objects.create(
                    criteria_set=criteria_set, parent=parent, code=section["code"], name=nfc(section["name"]),
                    max_points=section.get("max"), order=part_order * 100 + section_order + 1,
                )  # fmt: skip
            _store_criteria(criteria_set, node, section.get("criteria", []), None, counter)
    return criteria_set, True


def _store_criteria(criteria_set: CriteriaSet, section: CriteriaPart, items: list[dict], parent, counter) -> None:
    for item in items:
        counter[0] += 1
        required = item.get("required") or {}
        criterion = Criterion.objects.create(
            criteria_set=criteria_set, section=section, parent=parent, code=item["code"], name=nfc(item["name"]),
            max_points=_criterion_max(item), required_points=required.get("points"),
            required_from_stars=required.get("from_stars", 1), order=counter[0],
        )  # fmt: skip
        if item.get("children"):
            _store_criteria(criteria_set, section, item["children"], criterion, counter)
        else:
            CriterionOption.objects.bulk_create(
                CriterionOption(criterion=criterion, label=nfc(label), points=_decimal(points), order=index)
                for index, (label, points) in enumerate(item["options"])
            )


def _category_regime(regime: str) -> str:
    return Regime.D148_2023 if regime == Regime.D1489_2025 else regime


def criteria_set_for(*, category: Category, regime: str, training: bool = False) -> CriteriaSet | None:
    """The newest complete official set for a product group under a regime (1489 scores with 148's sets); for a
    training round, when the group has none yet, the training set (never used by a real round)."""
    regimes = [regime, Regime.D148_2023] if regime == Regime.D1489_2025 else [regime]
    official = (
        CriteriaSet.objects.filter(category=category, regime__in=regimes, complete=True, training=False)
        .order_by("-version")
        .first()
    )
    if official is not None or not training:
        return official
    return CriteriaSet.objects.filter(training=True, complete=True).order_by("-version").first()


TRAINING_SET = Path(__file__).parent / "training_set.json"


def training_set_load(*, regime: str = Regime.D148_2023) -> CriteriaSet:
    """Store the shipped training set ("Bộ tiêu chí mẫu để tập huấn — không dùng để công nhận"): the demo's and
    training rounds' scoring when a group has no complete official set. Idempotent."""
    shipped = json.loads(TRAINING_SET.read_text(encoding="utf-8"))
    criteria_set, _created = criteria_set_store(data=shipped["set"], regime=regime, source=shipped["source"])
    return criteria_set
