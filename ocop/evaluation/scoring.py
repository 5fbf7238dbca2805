"""The arithmetic of OCOP scoring, as pure functions: star bands, a council's result, upgrade guidance."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")
MAX_TOTAL = Decimal(100)
DISCUSSION_SPREAD = Decimal(10)  # councils discuss and re-score when members' totals differ by more than this
# Half-open bands (ocop.md §3): 1★ < 30, 2★ 30–< 50, 3★ 50–< 70, 4★ 70–< 90, 5★ 90–100.
BANDS = [(Decimal(90), 5), (Decimal(70), 4), (Decimal(50), 3), (Decimal(30), 2), (Decimal(0), 1)]


def star_band(score: Decimal | float | int) -> int:
    """The stars a score earns on its own: 69.99 is 3★, 70.00 is 4★."""
    value = Decimal(str(score))
    return next(stars for floor, stars in BANDS if value >= floor)


def band_floor(stars: int) -> Decimal:
    return next(floor for floor, level in BANDS if level == stars)


def quantize(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CriterionInfo:
    """What scoring needs to know of a leaf criterion."""

    id: int
    code: str
    name: str
    part: str
    max_points: Decimal
    options: tuple[Decimal, ...] = ()
    required_points: Decimal | None = None
    required_from_stars: int = 1


@dataclass
class Result:
    mean_total: Decimal
    member_totals: dict[str, Decimal]
    part_means: dict[str, Decimal]
    band_stars: int
    stars: int
    failed_conditions: list[str] = field(default_factory=list)
    spread: Decimal = Decimal(0)
    needs_discussion: bool = False
    disputed_criteria: list[str] = field(default_factory=list)


def sheet_total(points: dict[int, Decimal]) -> Decimal:
    """A member's total: the sum of the chosen options, never above 100 (bonus points included)."""
    return min(MAX_TOTAL, sum(points.values(), Decimal(0)))


def council_result(criteria: list[CriterionInfo], sheets: dict[str, dict[int, Decimal]]) -> Result:
    """The result of a dossier from the members' final sheets (member → criterion id → points)."""
    if not sheets:
        raise ValueError("no sheets")
    totals = {member: quantize(sheet_total(points)) for member, points in sheets.items()}
    mean = quantize(sum(totals.values(), Decimal(0)) / len(totals))
    parts: dict[str, Decimal] = {}
    for criterion in criteria:
        parts.setdefault(criterion.part, Decimal(0))
        parts[criterion.part] += sum((s.get(criterion.id, Decimal(0)) for s in sheets.values()), Decimal(0))
    part_means = {part: quantize(value / len(sheets)) for part, value in parts.items()}
    band = star_band(mean)
    stars = band
    failed = []
    for criterion in criteria:
        if criterion.required_points is None:
            continue
        criterion_mean = sum((s.get(criterion.id, Decimal(0)) for s in sheets.values()), Decimal(0)) / len(sheets)
        if criterion_mean < criterion.required_points and band >= criterion.required_from_stars:
            failed.append(criterion.code)
            # A failed condition caps the stars below the level it guards.
            stars = min(stars, criterion.required_from_stars - 1)
    spread = max(totals.values()) - min(totals.values())
    ranges = []
    for criterion in criteria:
        given = [s.get(criterion.id, Decimal(0)) for s in sheets.values()]
        if max(given) != min(given):
            ranges.append((max(given) - min(given), criterion.code))
    ranges.sort(key=lambda pair: (-pair[0], pair[1]))
    return Result(
        mean_total=mean, member_totals=totals, part_means=part_means, band_stars=band, stars=max(stars, 0),
        failed_conditions=failed, spread=spread, needs_discussion=spread > DISCUSSION_SPREAD,
        disputed_criteria=[code for _gap, code in ranges[:5]],
    )  # fmt: skip


@dataclass(frozen=True)
class Improvement:
    criterion: CriterionInfo
    current: Decimal
    target: Decimal

    @property
    def gain(self) -> Decimal:
        return self.target - self.current


def upgrade_guidance(
    criteria: list[CriterionInfo], current: dict[int, Decimal], score: Decimal
) -> tuple[int, list[Improvement]]:
    """The fewest criteria to improve (and to which option) for the score to reach the next star band.

    `current` holds the council's mean points per criterion. Taking the largest possible gains first gives
    the smallest number of criteria; each chosen criterion is then lowered to the smallest option that
    still reaches the band, so the advice asks for no more than needed. Returns (next stars, steps);
    no steps when 5★ or when even every criterion at its best would not reach the band.
    """
    stars = star_band(score)
    if stars >= 5:
        return stars, []
    needed = band_floor(stars + 1) - score
    candidates = sorted(
        (
            Improvement(c, current.get(c.id, Decimal(0)), max(c.options or (c.max_points,)))
            for c in criteria
            if max(c.options or (c.max_points,)) > current.get(c.id, Decimal(0))
        ),
        key=lambda step: (-step.gain, step.criterion.code),
    )
    chosen: list[Improvement] = []
    gained = Decimal(0)
    for step in candidates:
        if gained >= needed:
            break
        chosen.append(step)
        gained += step.gain
    if gained < needed:
        return stars + 1, []
    # Ask for no more than needed: lower each step (smallest gains first) to the least option that suffices.
    trimmed = []
    for step in sorted(chosen, key=lambda s: (s.gain, s.criterion.code)):
        surplus = gained - needed
        options = sorted(o for o in (step.criterion.options or (step.target,)) if o > step.current)
        best = step.target
        for option in options:
            if step.target - option <= surplus:
                best = option
                break
        gained -= step.target - best
        trimmed.append(Improvement(step.criterion, step.current, best))
    trimmed.sort(key=lambda s: (-s.gain, s.criterion.code))
    return stars + 1, trimmed
