"""The figures of a dashboard written up as provinces write them, in Vietnamese (and English).

"Đến nay, toàn tỉnh duy trì 97 sản phẩm của 67 chủ thể được đánh giá, phân hạng, trong đó có 9 sản phẩm
đạt hạng 4 sao, 88 sản phẩm đạt hạng 3 sao." Every sentence comes from the same `Dashboard` the page shows;
a clause whose figure is zero is left out, and a sentence with nothing to say is not written. Wording is
English msgids with the Vietnamese in the catalogue, so each language reads naturally (Vietnamese has no
plural; English gets one through ngettext). Numbers use the active language's format: 1.649; 77,4%.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ocop.dashboards.selectors import STARS, Dashboard
from ocop.dashboards.selectors.certified import percent
from ocop.geo.scope import COMMUNE, NATION
from ocop.office.models import Inspection, SupportActivity, Target
from ocop.office.selectors import Inspections, Support, TargetRow

CHANNEL_NAMES_SHOWN = 4


def _n(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


def _pct(value: Decimal | None) -> str:
    if value is None:
        return ""
    # 100,0% reads as 100%; other shares keep one decimal, as reports write them (77,4%).
    return formats.number_format(value, 0 if value == value.to_integral() else 1) + "%"


def _date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _products(n: int) -> str:
    return ngettext("%(n)s product", "%(n)s products", n) % {"n": _n(n)}


def _join_and(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _name_in_sentence(dashboard: Dashboard) -> str:
    scope = dashboard.scope
    if scope.kind == NATION:
        return scope.whole
    name = scope.unit.name
    return name[:1].lower() + name[1:] if scope.kind == COMMUNE else name


def _holding(d: Dashboard, today: dt.date) -> str:
    c = d.certified
    when = _("To date") if d.on >= today else _("As of %(date)s") % {"date": _date(d.on)}
    if not c.products:
        return _("%(when)s, %(whole)s has no product with a valid OCOP certificate.") % {
            "when": when,
            "whole": d.scope.whole,
        }
    levels = [
        ngettext("%(n)s product ranked %(stars)s stars", "%(n)s products ranked %(stars)s stars", c.stars[s])
        % {"n": _n(c.stars[s]), "stars": s}
        for s in STARS
        if c.stars[s]
    ]
    return _("%(when)s, %(whole)s holds %(products)s of %(producers)s evaluated and ranked, of which %(levels)s.") % {
        "when": when,
        "whole": d.scope.whole,
        "products": _products(c.products),
        "producers": ngettext("%(n)s producer", "%(n)s producers", c.producers) % {"n": _n(c.producers)},
        "levels": ", ".join(levels),
    }


def _shares(d: Dashboard, today: dt.date) -> str:
    c = d.certified
    if not c.products:
        return ""
    shares = [
        _("%(percent)s of products at %(stars)s stars") % {"percent": _pct(c.star_percent(s)), "stars": s}
        for s in sorted(STARS)
        if c.stars[s]
    ]
    values = {"name": _name_in_sentence(d), "products": _n(c.products), "shares": _join_and(shares)}
    if d.on >= today:
        return _("Currently %(name)s has %(products)s OCOP products of 3 stars and up (%(shares)s).") % values
    return _("On %(date)s, %(name)s had %(products)s OCOP products of 3 stars and up (%(shares)s).") % {
        **values,
        "date": _date(d.on),
    }


def _registrations(d: Dashboard) -> list[str]:
    r = d.registrations
    if not r.total:
        return []
    kinds = [
        text % {"n": _n(r.kinds.get(kind, 0))}
        for kind, text in (
            (
                "new",
                ngettext("%(n)s product registered as new", "%(n)s products registered as new", r.kinds.get("new", 0)),
            ),
            (
                "upgrade",
                ngettext(
                    "%(n)s product registered for an upgrade",
                    "%(n)s products registered for an upgrade",
                    r.kinds.get("upgrade", 0),
                ),
            ),
            (
                "reevaluation",
                ngettext("%(n)s product re-evaluated", "%(n)s products re-evaluated", r.kinds.get("reevaluation", 0)),
            ),
        )
        if r.kinds.get(kind, 0)
    ]
    sentences = [
        _("In %(year)s, %(whole)s had %(products)s registered in the OCOP programme; of which %(kinds)s.")
        % {"year": r.year, "whole": d.scope.whole, "products": _products(r.total), "kinds": ", ".join(kinds)}
    ]
    outcomes = [
        text
        for n, text in (
            (r.recognised, _recognised(r)),
            (r.not_recognised, ngettext("%(n)s was not recognised", "%(n)s were not recognised", r.not_recognised)),
            (
                r.in_progress,
                ngettext("%(n)s is still being evaluated", "%(n)s are still being evaluated", r.in_progress),
            ),
        )
        if n
        for text in [text % {"n": _n(n)}]
    ]
    if r.recognised or r.not_recognised:
        sentences.append(_("Results: %(outcomes)s.") % {"outcomes": ", ".join(outcomes)})
    return sentences


def _recognised(r) -> str:
    """ "97 sản phẩm của 67 chủ thể được công nhận, trong đó có 9 sản phẩm đạt hạng 4 sao, 88 sản phẩm đạt hạng 3
    sao"."""
    if not r.recognised_producers:
        return ngettext("%(n)s was recognised", "%(n)s were recognised", r.recognised)
    text = ngettext(
        "%(n)s product of %(producers)s was recognised",
        "%(n)s products of %(producers)s were recognised",
        r.recognised,
    ) % {
        "n": "%(n)s",
        "producers": ngettext("%(n)s producer", "%(n)s producers", r.recognised_producers)
        % {"n": _n(r.recognised_producers)},
    }
    levels = _levels(r.recognised_stars)
    return _("%(recognised)s, of which %(levels)s") % {"recognised": text, "levels": levels} if levels else text


def _levels(stars: dict[int, int]) -> str:
    """ "9 sản phẩm đạt hạng 4 sao, 88 sản phẩm đạt hạng 3 sao" (highest first, zeros left out)."""
    return ", ".join(
        ngettext("%(n)s product ranked %(stars)s stars", "%(n)s products ranked %(stars)s stars", stars[s])
        % {"n": _n(stars[s]), "stars": s}
        for s in STARS
        if stars.get(s)
    )


def _recognised_year(d: Dashboard) -> str:
    """ "Năm 2021, tỉnh Nghệ An có 115 sản phẩm được công nhận OCOP (77,4% sản phẩm đạt 3 sao và 22,6% …)"."""
    lapsed = d.lapsed
    if not lapsed.issued or not lapsed.issued_stars:
        return ""
    total = sum(lapsed.issued_stars.values())
    shares = [
        _("%(percent)s of products at %(stars)s stars")
        % {"percent": _pct(percent(lapsed.issued_stars[s], total)), "stars": s}
        for s in sorted(lapsed.issued_stars)
    ]
    return _("In %(year)s, %(whole)s had %(products)s recognised as OCOP products (%(shares)s).") % {
        "year": d.year,
        "whole": d.scope.whole,
        "products": _products(total),
        "shares": _join_and(shares),
    }


def _certificates_year(d: Dashboard) -> str:
    lapsed = d.lapsed
    clauses = [
        text % {"n": _n(n)}
        for n, text in (
            (lapsed.issued, ngettext("%(n)s certificate was issued", "%(n)s certificates were issued", lapsed.issued)),
            (lapsed.expired, ngettext("%(n)s expired", "%(n)s expired", lapsed.expired)),
            (lapsed.revoked, ngettext("%(n)s was revoked", "%(n)s were revoked", lapsed.revoked)),
        )
        if n
    ]
    if not clauses:
        return ""
    return _("In %(year)s, %(clauses)s.") % {"year": d.year, "clauses": "; ".join(clauses)}


def _expiring(d: Dashboard, today: dt.date) -> str:
    n = d.certified.expiring
    if not n:
        return ""
    if d.on >= today:
        return ngettext(
            "%(n)s product's certificate ends within the next 90 days.",
            "%(n)s products' certificates end within the next 90 days.",
            n,
        ) % {"n": _n(n)}
    return ngettext(
        "%(n)s product's certificate ended within 90 days of %(date)s.",
        "%(n)s products' certificates ended within 90 days of %(date)s.",
        n,
    ) % {"n": _n(n), "date": _date(d.on)}


def period_words(start: int, end: int) -> str:
    if start == end:
        return _("the year %(year)s") % {"year": start}
    return _("the period %(start)s–%(end)s") % {"start": start, "end": end}


def _gap(row: TargetRow, unit) -> str:
    if row.difference > 0:
        return _("%(n)s above target") % {"n": unit(row.difference)}
    if row.difference < 0:
        return _("%(n)s short of target") % {"n": unit(-row.difference)}
    return _("exactly on target")


def plan_sentence(row: TargetRow) -> str:
    """One target against what was done, as reports write it ("… vượt 67 sản phẩm, đạt 267,5% kế hoạch")."""
    target = row.target
    plan = target.plan
    period = period_words(target.year or plan.start_year, target.year or plan.end_year)
    if target.indicator == Target.Indicator.CERTIFIED:
        if target.stars:
            goal = _("the target of %(stars)s-star products for %(period)s") % {"stars": target.stars, "period": period}
        else:
            goal = _("the target for %(period)s") % {"period": period}
        return _(
            "Against %(goal)s (%(target)s), %(actual)s were certified, %(gap)s, reaching %(percent)s of the plan."
        ) % {
            "goal": goal,
            "target": _products(target.value),
            "actual": _products(row.actual),
            "gap": _gap(row, _products),
            "percent": _pct(row.percent),
        }
    return _(
        "%(indicator)s in %(period)s: %(actual)s against a target of %(target)s, reaching %(percent)s of the plan."
    ) % {
        "indicator": target.get_indicator_display(),
        "period": period,
        "actual": _n(row.actual),
        "target": _n(target.value),
        "percent": _pct(row.percent),
    }


def _plans(d: Dashboard) -> list[str]:
    return [plan_sentence(row) for row in d.plans]


def _vnd(amount: int) -> str:
    return _("%(amount)s VND") % {"amount": _n(amount)}


def support_clauses(support: Support) -> list[str]:
    """What was supported, kind by kind ("xây dựng 10 video quảng bá")."""
    clauses = []
    for k in support.kinds:
        Kind = SupportActivity.Kind
        if k.kind == Kind.TRAINING:
            clause = ngettext("%(n)s training course", "%(n)s training courses", k.activities) % {"n": _n(k.activities)}
            if k.participants:
                clause = _("%(courses)s for %(people)s participants") % {
                    "courses": clause,
                    "people": _n(k.participants),
                }
        elif k.kind == Kind.PACKAGING:
            clause = _("packaging and label design for %(n)s") % {"n": _products(k.products or k.activities)}
        elif k.kind == Kind.VIDEO:
            clause = ngettext("building %(n)s promotion video", "building %(n)s promotion videos", k.activities) % {
                "n": _n(k.activities)
            }
        elif k.kind == Kind.FAIR:
            clause = ngettext("%(n)s place at fairs", "%(n)s places at fairs", max(k.producers, k.activities)) % {
                "n": _n(max(k.producers, k.activities))
            }
        else:
            producers = ngettext("%(n)s producer", "%(n)s producers", max(k.producers, 1)) % {
                "n": _n(max(k.producers, 1))
            }
            words: dict[str, str] = {
                Kind.FEES: _("certification and testing fees for %(producers)s"),
                Kind.EQUIPMENT: _("equipment for %(producers)s"),
                Kind.CONSULTING: _("consulting for %(producers)s"),
            }
            clause = words[k.kind] % {"producers": producers}
        clauses.append(clause)
    return clauses


def support_sentence(support: Support, *, year: int, whole: str) -> str:
    if not support.kinds:
        return ""
    sentence = _("In %(year)s, %(whole)s supported %(clauses)s") % {
        "year": year,
        "whole": whole,
        "clauses": "; ".join(support_clauses(support)),
    }
    if support.total_budget:
        labels = {
            "budget_central": _("central budget"),
            "budget_province": _("provincial budget"),
            "budget_local": _("district and commune budget"),
            "budget_other": _("other sources"),
        }
        sources = [f"{labels[s]} {_vnd(v)}" for s, v in support.budget.items() if v]
        sentence = _("%(sentence)s, with a total budget of %(total)s (%(sources)s)") % {
            "sentence": sentence,
            "total": _vnd(support.total_budget),
            "sources": ", ".join(sources),
        }
    return sentence + "."


def inspection_sentence(inspections: Inspections, *, year: int) -> str:
    i = inspections
    if not i.total:
        return ""
    outcomes = [
        (Inspection.Outcome.PASSED, _("%(n)s passed")),
        (Inspection.Outcome.REMEDY, _("%(n)s required to remedy")),
        (Inspection.Outcome.REVOKE, _("%(n)s proposed for revocation")),
        (Inspection.Outcome.OPEN, _("%(n)s not concluded")),
    ]
    parts = [words % {"n": _n(i.outcomes[o])} for o, words in outcomes if i.outcomes[o]]
    sentence = ngettext(
        "In %(year)s, %(n)s certified product was inspected "
        "(%(planned)s planned, %(unplanned)s unplanned): %(outcomes)s",
        "In %(year)s, %(n)s certified products were inspected "
        "(%(planned)s planned, %(unplanned)s unplanned): %(outcomes)s",
        i.total,
    ) % {"year": year, "n": _n(i.total), "planned": _n(i.planned), "unplanned": _n(i.unplanned),
         "outcomes": ", ".join(parts)}  # fmt: skip
    if i.revoked:
        sentence += ngettext("; %(n)s certificate was revoked", "; %(n)s certificates were revoked", i.revoked) % {
            "n": _n(i.revoked)
        }
    return sentence + "."


def _names(shares) -> str:
    shown = shares[:CHANNEL_NAMES_SHOWN]
    text = ", ".join(f"{s.label} {_n(s.products)}" for s in shown)
    return text + (", …" if len(shares) > len(shown) else "")


def _channels(d: Dashboard) -> list[str]:
    ch = d.channels
    clauses = []
    if ch.ecommerce:
        clauses.append(
            ngettext(
                "%(n)s product listed on e-commerce platforms (%(names)s)",
                "%(n)s products listed on e-commerce platforms (%(names)s)",
                ch.ecommerce,
            )
            % {"n": _n(ch.ecommerce), "names": _names(ch.platforms)}
        )
    if ch.retail:
        clauses.append(
            ngettext(
                "%(n)s product under contract with retail chains (%(names)s)",
                "%(n)s products under contract with retail chains (%(names)s)",
                ch.retail,
            )
            % {"n": _n(ch.retail), "names": _names(ch.chains)}
        )
    if ch.export:
        clauses.append(
            ngettext("%(n)s product exported (%(names)s)", "%(n)s products exported (%(names)s)", ch.export)
            % {"n": _n(ch.export), "names": ", ".join(s.label for s in ch.markets[:CHANNEL_NAMES_SHOWN])}
        )
    sentences = []
    if clauses:
        sentences.append(_("So far, %(clauses)s.") % {"clauses": "; ".join(clauses)})
    trade = []
    if ch.sale_points:
        trade.append(
            ngettext(
                "%(n)s OCOP display-and-sale point is open",
                "%(n)s OCOP display-and-sale points are open",
                ch.sale_points,
            )
            % {"n": _n(ch.sale_points)}
        )
    if ch.fairs:
        trade.append(
            ngettext("%(n)s fair was held in %(year)s", "%(n)s fairs were held in %(year)s", ch.fairs)
            % {"n": _n(ch.fairs), "year": d.year}
        )
    if trade:
        sentences.append(_("%(clauses)s.") % {"clauses": "; ".join(trade)})
    return sentences


def narrative_sections(dashboard: Dashboard, *, today: dt.date | None = None) -> dict[str, list[str]]:
    """The summary's sentences by the part of a report they belong to, in the active language."""
    today = today or dt.date.today()
    d = dashboard
    sections = {
        "certified": [_holding(d, today), _shares(d, today), *_registrations(d), _recognised_year(d),
                      _certificates_year(d), _expiring(d, today)],
        "plans": _plans(d),
        "trade": _channels(d),
        "support": [support_sentence(d.support, year=d.year, whole=d.scope.whole)],
        "inspections": [inspection_sentence(d.inspections, year=d.year)],
    }  # fmt: skip
    return {key: [s[:1].upper() + s[1:] for s in sentences if s] for key, sentences in sections.items()}


def narrative_sentences(dashboard: Dashboard, *, today: dt.date | None = None) -> list[str]:
    """The summary as sentences, in the active language; empty clauses and sentences left out."""
    return [s for sentences in narrative_sections(dashboard, today=today).values() for s in sentences]


def narrative(dashboard: Dashboard, *, language: str | None = None, today: dt.date | None = None) -> str:
    """The summary as one paragraph, in `language` (the active one by default)."""
    if language:
        with translation.override(language):
            return " ".join(narrative_sentences(dashboard, today=today))
    return " ".join(narrative_sentences(dashboard, today=today))
