"""Everything a statistics page shows for a scope and a date, gathered (and cached) in one call."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.cache import cache

from ocop.catalog.versioning import catalog_version
from ocop.certification.rollup import nation_events
from ocop.dashboards.selectors.activity import (
    Channels,
    Registrations,
    channel_stats,
    plan_stats,
    registration_stats,
    trade_stats,
    year_span,
)
from ocop.dashboards.selectors.certified import (
    STARS,
    Certified,
    Lapsed,
    YearRow,
    certificates_stats_by_year,
    certificates_stats_lapsed,
    certified_stats,
)
from ocop.geo.scope import NATION, Scope
from ocop.office.selectors import Inspections, Support, TargetRow, inspection_stats, support_stats


@dataclass
class Dashboard:
    """Everything a dashboard, a report and the narrative need, for one scope and date."""

    scope: Scope
    on: dt.date
    year: int
    certified: Certified
    by_year: list[YearRow]
    lapsed: Lapsed
    registrations: Registrations
    plans: list[TargetRow]
    channels: Channels
    support: Support
    inspections: Inspections

    @property
    def star_percents(self) -> dict[int, Decimal | None]:
        return {s: self.certified.star_percent(s) for s in STARS}


CACHE_SECONDS = 600


def dashboard_stats(*, scope: Scope, on: dt.date, year: int | None = None, use_cache: bool = True) -> Dashboard:
    """The figures of a dashboard: a fixed, small number of queries whatever the amount of data.

    The figures over certificates, products and channels are cached under the catalog version, which every
    service that changes them bumps, so a cached figure is never stale; registrations, plan targets, support,
    inspections, sale points and fairs are cheap indexed counts and always read live.
    """
    year = year or on.year
    key = f"stats:{catalog_version()}:{scope.key}:{on.isoformat()}:{year}"
    heavy = cache.get(key) if use_cache else None
    if heavy is None:
        events = nation_events(on) if scope.kind == NATION else None  # read once for the three
        heavy = (
            certified_stats(scope=scope, on=on, events=events),
            certificates_stats_by_year(scope=scope, on=on, events=events),
            certificates_stats_lapsed(scope=scope, on=on, year=year, events=events),
            channel_stats(scope=scope, on=on, events=events),
        )
        if use_cache:
            cache.set(key, heavy, CACHE_SECONDS)
    certified, by_year, lapsed, channels = heavy
    channels = replace(channels)  # the cached object stays as cached
    trade_stats(scope=scope, on=on, year=year, channels=channels)
    start, end = year_span(on=on, year=year)
    return Dashboard(
        scope=scope,
        on=on,
        year=year,
        certified=certified,
        by_year=by_year,
        lapsed=lapsed,
        registrations=registration_stats(scope=scope, year=year),
        plans=plan_stats(scope=scope, on=on),
        channels=channels,
        support=support_stats(scope=scope, start=start, end=end),
        inspections=inspection_stats(scope=scope, start=start, end=end),
    )
