"""Statistics of the OCOP programme for any scope and date, computed in SQL (GROUP BY), never row by row.

"As of a date" (`on`): a product counts when it held a valid certificate on that date — issued on or
before it, expiring after it, not revoked on or before it — at the highest level among its valid
certificates (an upgraded product counts once, at its new level). A year's figures (registrations, new,
expired and revoked certificates, fairs) cover 1 January of that year up to `on`."""

from ocop.dashboards.selectors.activity import (  # noqa: F401
    Channels,
    Registrations,
    channel_stats,
    dossier_scope_q,
    dossier_stats_by_status,
    plan_stats,
    registration_stats,
    trade_stats,
    year_span,
)
from ocop.dashboards.selectors.certified import (  # noqa: F401
    EXPIRING_WITHIN_DAYS,
    STARS,
    Area,
    Certified,
    Lapsed,
    Share,
    YearRow,
    certificates_stats_by_year,
    certificates_stats_lapsed,
    certified_product_ids,
    certified_stats,
    percent,
)
from ocop.dashboards.selectors.dashboard import (  # noqa: F401
    CACHE_SECONDS,
    Dashboard,
    dashboard_stats,
)
