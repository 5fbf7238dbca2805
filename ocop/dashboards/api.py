"""API: the dashboards' figures, from the same selectors as the statistics pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from ocop.api.schemas import ERRORS, choices_literal, form_errors
from ocop.core.programme import LAST_YEAR, PROGRAMME_FIRST_YEAR
from ocop.dashboards.forms import PeriodForm
from ocop.dashboards.narrative import narrative
from ocop.dashboards.selectors import STARS, dashboard_stats
from ocop.geo.models import Commune, LegacyProvince, Province
from ocop.geo.scope import COMMUNE, LEGACY_PROVINCE, NATION, PROVINCE, Scope

if TYPE_CHECKING:
    ScopeKind: TypeAlias = str
else:  # the kinds of statistics scope
    ScopeKind = choices_literal((NATION, PROVINCE, LEGACY_PROVINCE, COMMUNE))

router = Router(tags=["statistics"])


class StatisticsQuery(Schema):
    scope: ScopeKind = "nation"
    code: str | None = Field(None, max_length=5, description="The unit's code (not for the nation).")
    on: dt.date | None = Field(None, description="As of this date (default today).")
    year: int | None = Field(
        None, ge=PROGRAMME_FIRST_YEAR, le=LAST_YEAR, description="Year of the annual figures (default: the date's)."
    )
    former: bool = Field(False, description="Nation only: break down by the 63 former provinces.")


class AreaOut(Schema):
    code: str
    name: str
    products: int
    producers: int
    stars: dict[str, int]


class ShareOut(Schema):
    key: str
    label: str
    products: int
    producers: int | None
    percent: float | None


def _float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _share(share) -> dict:
    return {**vars(share), "percent": _float(share.percent)}


class PlanTargetOut(Schema):
    plan: str
    plan_id: int
    period: str
    indicator: str
    stars: int | None
    year: int | None
    target: int
    actual: int
    entered: bool = Field(description="True when the actual was entered from a report, not counted from records.")
    source: str
    difference: int
    percent: float | None


class SupportKindOut(Schema):
    kind: str
    label: str
    activities: int
    participants: int
    producers: int
    products: int
    budget: int


class SupportOut(Schema):
    activities: int
    producers: int
    budget: dict[str, int] = Field(description="VND by source: central, province, local (district/commune), other.")
    total_budget: int
    kinds: list[SupportKindOut]


class InspectionsOut(Schema):
    total: int
    planned: int
    unplanned: int
    outcomes: dict[str, int]
    revoked: int


class StatisticsOut(Schema):
    scope: str
    name: str
    on: dt.date
    year: int
    products: int
    producers: int
    stars: dict[str, int]
    star_percent: dict[str, float | None]
    ending_within_90_days: int
    areas: list[AreaOut]
    groups: list[ShareOut]
    producer_kinds: list[ShareOut]
    certificates_per_year: dict[str, dict[str, int]]
    year_certificates: dict[str, int]
    year_certificates_stars: dict[str, int] = Field(description="The year's certificates issued, by stars.")
    registrations: dict[str, int]
    channels: dict[str, int]
    plans: list[PlanTargetOut] = Field(description="Targets of the scope's plans against what was done.")
    support: SupportOut = Field(description="Support given in the year.")
    inspections: InspectionsOut = Field(description="Inspections after certification done in the year.")
    summary_vi: str
    summary_en: str


def _scope(params: StatisticsQuery) -> Scope:
    if params.scope == NATION:
        return Scope.nation(former=params.former)
    if not params.code:
        raise HttpError(422, _("Give the unit's code for this scope."))
    model: Any = {PROVINCE: Province, LEGACY_PROVINCE: LegacyProvince, COMMUNE: Commune}[params.scope]
    unit = model.objects.filter(code=params.code).first()
    if unit is None:
        raise Http404
    return Scope.of(unit)


@router.get("", response={200: StatisticsOut, **ERRORS}, summary="Statistics of a scope on a date")
def statistics(request: HttpRequest, params: Query[StatisticsQuery]):
    """The figures of the statistics pages: certified products by stars, area, group and producer type,
    certificates per year, the year's registrations and certificates, sales channels, plan targets against what
    was done, the year's support (by kind and budget source) and inspections, and the summary."""
    # The statistics pages' own period form checks the date and the year, with the same messages.
    period = PeriodForm({"ngay": params.on.isoformat() if params.on else "", "nam": params.year or ""})
    if not period.is_valid():
        raise form_errors(period, names={"ngay": "on", "nam": "year"})
    on = period.cleaned_data["ngay"]
    year = period.cleaned_data["nam"] or on.year
    d = dashboard_stats(scope=_scope(params), on=on, year=year)
    c = d.certified
    return {
        "scope": d.scope.kind, "name": d.scope.title, "on": on, "year": year,
        "products": c.products, "producers": c.producers,
        "stars": {str(s): c.stars[s] for s in STARS},
        "star_percent": {str(s): _float(c.star_percent(s)) for s in STARS},
        "ending_within_90_days": c.expiring,
        "areas": [{"code": a.code, "name": a.name, "products": a.products, "producers": a.producers,
                   "stars": {str(s): a.stars.get(s, 0) for s in STARS}} for a in c.areas if a.code],
        "groups": [_share(g) for g in c.groups],
        "producer_kinds": [_share(k) for k in c.kinds],
        "certificates_per_year": {str(y.year): {str(s): y.stars[s] for s in STARS} for y in d.by_year},
        "year_certificates": {k: v for k, v in vars(d.lapsed).items() if k != "issued_stars"},
        "year_certificates_stars": {str(s): d.lapsed.issued_stars.get(s, 0) for s in STARS},
        "registrations": {"total": d.registrations.total, **d.registrations.kinds,
                          "recognised": d.registrations.recognised,
                          "recognised_producers": d.registrations.recognised_producers,
                          "not_recognised": d.registrations.not_recognised,
                          "in_progress": d.registrations.in_progress},
        "channels": {"ecommerce": d.channels.ecommerce, "retail": d.channels.retail, "export": d.channels.export,
                     "sale_points": d.channels.sale_points, "fairs": d.channels.fairs},
        "plans": [{"plan": str(r.target.plan), "plan_id": r.target.plan_id, "period": r.target.plan.period,
                   "indicator": r.target.indicator, "stars": r.target.stars, "year": r.target.year,
                   "target": r.target.value, "actual": r.actual, "entered": r.entered,
                   "source": r.target.entered_source if r.entered else "", "difference": r.difference,
                   "percent": _float(r.percent)} for r in d.plans],
        "support": {"activities": d.support.activities, "producers": d.support.producers,
                    "budget": {k.removeprefix("budget_"): v for k, v in d.support.budget.items()},
                    "total_budget": d.support.total_budget, "kinds": [vars(k) for k in d.support.kinds]},
        "inspections": {"total": d.inspections.total, "planned": d.inspections.planned,
                        "unplanned": d.inspections.unplanned, "outcomes": d.inspections.outcomes,
                        "revoked": d.inspections.revoked},
        "summary_vi": narrative(d, language="vi"), "summary_en": narrative(d, language="en"),
    }  # fmt: skip
