"""Reads of the programme office: each target against what was done, support given by kind and budget source,
inspections by outcome; a producer's and a product's support received. The statistics pages, the API and the
annual report read these same functions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet, Sum

from ocop.certification.models import CertifiedSpan
from ocop.geo.scope import COMMUNE, LEGACY_PROVINCE, NATION, PROVINCE, Scope
from ocop.market.models import BoothBooking, SalePoint, SalesChannel
from ocop.market.selectors import sale_points_open
from ocop.office.models import Inspection, Plan, SupportActivity, Target

BUDGET_SOURCES = ("budget_central", "budget_province", "budget_local", "budget_other")


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


def plan_scope(plan: Plan) -> Scope:
    """Where a plan's figures are counted: its province, its former province, or the nation."""
    if plan.legacy_province_id:
        return Scope.of(plan.legacy_province)  # type: ignore[arg-type]
    if plan.province_id:
        return Scope.of(plan.province)  # type: ignore[arg-type]
    return Scope.nation()


def plans_for(scope: Scope) -> QuerySet[Plan]:
    """The plans of a scope: the nation's own; a province's own and those of the former provinces it succeeds
    (their history up to 2025 rolls up into it); a former province's."""
    plans = Plan.objects.select_related("province", "legacy_province").prefetch_related("tasks")
    if scope.kind == NATION:
        return plans.filter(province__isnull=True, legacy_province__isnull=True)
    if scope.kind == PROVINCE:
        return plans.filter(owner_province_id=scope.unit_id)
    if scope.kind == LEGACY_PROVINCE:
        return plans.filter(legacy_province_id=scope.unit_id)
    return plans.none()


@dataclass
class TargetRow:
    """A target and what was done in its period up to the day asked: from the records, or entered."""

    target: Target
    actual: int
    counted: int | None  # from the records (None when the system does not hold the indicator for the place)
    percent: Decimal | None
    difference: int
    start: dt.date
    end: dt.date

    @property
    def entered(self) -> bool:
        return self.target.entered_actual is not None


def _period(target: Target, on: dt.date) -> tuple[dt.date, dt.date]:
    plan = target.plan
    first, last = (target.year, target.year) if target.year else (plan.start_year, plan.end_year)
    return dt.date(first, 1, 1), min(on, dt.date(last, 12, 31))


def _support_q(scope: Scope, prefix: str = "") -> Q:
    """Support placed in a scope: by the province that gave it; for a former province or a commune, by the
    producers it reached there."""
    if scope.kind == PROVINCE:
        return Q(**{f"{prefix}province_id": scope.unit_id})
    if scope.kind == LEGACY_PROVINCE:
        return Q(**{f"{prefix}producers__legacy_province_id": scope.unit_id})
    if scope.kind == COMMUNE:
        return Q(**{f"{prefix}producers__commune_id": scope.unit_id})
    return Q()


def _target_aggregate(target: Target, on: dt.date) -> tuple[Any, Any] | None:
    """The model whose rows count toward a target and the aggregate over them (None: not held for its place)."""
    Indicator = Target.Indicator
    scope, (start, end) = plan_scope(target.plan), _period(target, on)
    if target.indicator == Indicator.CERTIFIED:
        q = scope.product_q() & Q(is_first=True, issued_on__gte=start, issued_on__lte=end)
        if target.stars:
            q &= Q(stars=target.stars)
        return CertifiedSpan, Count("product_id", filter=q, distinct=True)
    if target.indicator == Indicator.PRODUCERS:  # producers whose first certificate falls in the period
        firsts = (
            CertifiedSpan.objects.filter(scope.product_q(), is_first=True)
            .values("producer_id")
            .annotate(first=Min("issued_on"))
            .filter(first__gte=start, first__lte=end)
            .values("producer_id")
        )
        return CertifiedSpan, Count("producer_id", filter=Q(producer_id__in=firsts), distinct=True)
    if target.indicator == Indicator.TRAINED:  # a course reaching two producers of the place counts once
        courses = SupportActivity.objects.filter(
            _support_q(scope), kind=SupportActivity.Kind.TRAINING, held_on__gte=start, held_on__lte=end
        ).values("pk")
        return SupportActivity, Sum("participants", filter=Q(pk__in=courses))
    if target.indicator == Indicator.FAIRS:
        return BoothBooking, Count(
            "pk",
            filter=scope.product_q("producer__")
            & Q(
                status=BoothBooking.Status.ACCEPTED,
                booth_type__fair__starts_on__gte=start,
                booth_type__fair__starts_on__lte=end,
            ),
        )
    if target.indicator == Indicator.ECOMMERCE:
        return SalesChannel, Count(
            "product_id",
            distinct=True,
            filter=scope.product_q("product__")
            & Q(
                Q(since__isnull=True) | Q(since__lte=end),
                Q(until__isnull=True) | Q(until__gte=end),
                kind=SalesChannel.Kind.ECOMMERCE,
            ),
        )
    if scope.kind == LEGACY_PROVINCE:  # sale points are placed by today's provinces only
        return None
    place = Q(province_id=scope.unit_id) if scope.kind == PROVINCE else Q()
    return SalePoint, Count("pk", filter=place & Q(pk__in=sale_points_open(on=end).values("pk")))


def _counted(targets: list[Target], on: dt.date) -> dict[int, int | None]:
    """The actual of every target from the records: one aggregate query per kind of record."""
    by_model: dict[Any, dict[str, Any]] = {}
    result: dict[int, int | None] = {}
    for target in targets:
        found = _target_aggregate(target, on)
        if found is None:
            result[target.pk] = None
        else:
            by_model.setdefault(found[0], {})[f"t{target.pk}"] = found[1]
    for model, aggregates in by_model.items():
        for key, value in model.objects.aggregate(**aggregates).items():
            result[int(key[1:])] = value or 0
    return result  # fmt: skip


def target_rows(targets: list[Target], *, on: dt.date) -> list[TargetRow]:
    """Each target against its actual (the entered one when given, else from the records)."""
    counted = _counted(targets, on)
    rows = []
    for target in targets:
        start, end = _period(target, on)
        actual = target.entered_actual if target.entered_actual is not None else (counted[target.pk] or 0)
        rows.append(TargetRow(target, actual, counted[target.pk], _percent(actual, target.value),
                              actual - target.value, start, end))  # fmt: skip
    return rows


@dataclass
class PlanReport:
    plan: Plan
    tasks: list[Any]
    rows: list[TargetRow]


def plan_reports(plans: list[Plan], *, on: dt.date) -> list[PlanReport]:
    """Plans with their tasks and every target's achievement; the targets of all plans in one pass."""
    targets = list(Target.objects.filter(plan__in=plans).select_related("plan__province", "plan__legacy_province")
                   .order_by("plan_id", F("year").asc(nulls_first=True), "indicator",
                             F("stars").asc(nulls_first=True)))  # fmt: skip
    rows = target_rows(targets, on=on)
    by_plan: dict[int, list[TargetRow]] = {}
    for row in rows:
        by_plan.setdefault(row.target.plan_id, []).append(row)
    return [PlanReport(plan, list(plan.tasks.all()), by_plan.get(plan.pk, [])) for plan in plans]


def plans_in_force(scope: Scope, *, year: int) -> list[Plan]:
    """The scope's plans whose period includes `year`."""
    return list(plans_for(scope).filter(start_year__lte=year, end_year__gte=year).order_by("start_year", "pk"))


@dataclass
class SupportKind:
    kind: str
    label: str
    activities: int = 0
    participants: int = 0
    producers: int = 0
    products: int = 0
    budget: int = 0


@dataclass
class Support:
    """Support given in a period: by kind, and the budget by source."""

    start: dt.date
    end: dt.date
    kinds: list[SupportKind] = field(default_factory=list)
    budget: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUDGET_SOURCES, 0))
    producers: int = 0

    @property
    def activities(self) -> int:
        return sum(k.activities for k in self.kinds)

    @property
    def total_budget(self) -> int:
        return sum(self.budget.values())

    def of(self, kind: str) -> SupportKind | None:
        return next((k for k in self.kinds if k.kind == kind), None)


def support_stats(*, scope: Scope, start: dt.date, end: dt.date) -> Support:
    """Support given in a scope between two days: three queries (activities by kind with their budgets, and the
    distinct producers and products reached by kind)."""
    activities = SupportActivity.objects.filter(held_on__gte=start, held_on__lte=end)
    if scope.kind in (LEGACY_PROVINCE, COMMUNE):
        activities = SupportActivity.objects.filter(pk__in=activities.filter(_support_q(scope)).values("pk"))
    else:
        activities = activities.filter(_support_q(scope))
    rows = (
        activities.values("kind")
        .annotate(n=Count("pk"), people=Sum("participants"), **{s: Sum(s) for s in BUDGET_SOURCES})
        .order_by()
    )
    result = Support(start=start, end=end)
    labels = dict(SupportActivity.Kind.choices)
    kinds: dict[str, SupportKind] = {}
    row: Any
    for row in rows:
        budget = sum(row[s] or 0 for s in BUDGET_SOURCES)
        kinds[row["kind"]] = SupportKind(row["kind"], str(labels[row["kind"]]), row["n"], row["people"] or 0,
                                         budget=budget)  # fmt: skip
        for source in BUDGET_SOURCES:
            result.budget[source] += row[source] or 0
    if kinds:
        ids = activities.values("pk")
        through_producers = SupportActivity.producers.through.objects.filter(supportactivity_id__in=ids)
        for row in through_producers.values("supportactivity__kind").annotate(
            n=Count("producer_id", distinct=True)
        ).order_by():  # fmt: skip
            kinds[row["supportactivity__kind"]].producers = row["n"]
        result.producers = through_producers.values("producer_id").distinct().count()
        through_products = SupportActivity.products.through.objects.filter(supportactivity_id__in=ids)
        for row in through_products.values("supportactivity__kind").annotate(
            n=Count("product_id", distinct=True)
        ).order_by():  # fmt: skip
            kinds[row["supportactivity__kind"]].products = row["n"]
    order = list(labels)
    result.kinds = sorted(kinds.values(), key=lambda k: order.index(k.kind))
    return result


@dataclass
class Inspections:
    """Inspections done in a period, by kind and outcome, and revocations they led to."""

    start: dt.date
    end: dt.date
    total: int = 0
    planned: int = 0
    unplanned: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Inspection.Outcome.values, 0))
    revoked: int = 0
    scheduled: int = 0  # planned in the period, not yet done

    @property
    def products(self) -> int:
        return self.total


def inspection_stats(*, scope: Scope, start: dt.date, end: dt.date) -> Inspections:
    """Inspections of a scope's certified products done (or planned and not done) between two days: two queries."""
    mine = Inspection.objects.filter(scope.product_q("certificate__product__"))
    rows = (mine.filter(inspected_on__gte=start, inspected_on__lte=end)
            .values("kind", "outcome", "revocation_decided").annotate(n=Count("pk")).order_by())  # fmt: skip
    result = Inspections(start=start, end=end)
    for row in rows:
        n = row["n"]
        result.total += n
        setattr(result, row["kind"], getattr(result, row["kind"]) + n)
        result.outcomes[row["outcome"]] += n
        result.revoked += n if row["revocation_decided"] else 0
    result.scheduled = mine.filter(inspected_on__isnull=True, planned_on__gte=start, planned_on__lte=end).count()
    return result


def support_received(*, producer: Any = None, product: Any = None) -> QuerySet[SupportActivity]:
    """What a producer (or a product) received, newest first (officers only)."""
    activities = SupportActivity.objects.select_related("province").order_by("-held_on", "-pk")
    if product is not None:
        return activities.filter(Q(products=product) | Q(producers=product.producer_id)).distinct()
    return activities.filter(producers=producer)


def support_shown_to(user: Any, *, producer: Any = None, product: Any = None) -> list[SupportActivity] | None:
    """What a producer's or product's page shows of its support received: to officers, the support of their area
    (None for everyone else, who see nothing of it)."""
    if not user.has_perm("office.view_office"):
        return None
    mine = SupportActivity.objects.restrict(user).values("pk")
    return list(support_received(producer=producer, product=product).filter(pk__in=mine)[:20])


def inspections_of_producers(producer_ids: list[int]) -> list[Inspection]:
    """What a producer is told of the inspections of its products: the concluded ones, newest first, with their
    findings and any deadline to remedy (the public never sees them)."""
    return list(
        Inspection.objects.filter(certificate__product__producer_id__in=producer_ids, inspected_on__isnull=False)
        .exclude(outcome=Inspection.Outcome.OPEN)
        .select_related("certificate__product")
        .order_by("-inspected_on", "-pk")[:20]
    )
