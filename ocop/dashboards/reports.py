"""A dashboard as a report: an .xlsx workbook (one sheet per table) and a PDF, from the same figures.

Both are written in the active language (the page's), with the narrative paragraph first, as an officer
pastes it into a report. Tables are defined once (`report_tables`) and written by both formats.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ocop.certification.pdf import register_fonts
from ocop.core.exporting import WORKBOOK_OPTIONS
from ocop.dashboards.charts import STAR_COLOURS
from ocop.dashboards.narrative import narrative_sentences
from ocop.dashboards.selectors import STARS, Dashboard, percent
from ocop.office.models import Inspection, Target
from ocop.office.selectors import Inspections, Support, TargetRow


@dataclass
class ReportTable:
    """A titled table: header and rows of plain values (text, int, Decimal percent or None)."""

    sheet: str
    title: str
    header: list[str]
    rows: list[list[Any]]


def _stars_header() -> list[str]:
    return [_("%(stars)s stars") % {"stars": s} for s in sorted(STARS)]


def target_label(row: TargetRow) -> str:
    target = row.target
    label = target.get_indicator_display()
    if target.indicator == Target.Indicator.CERTIFIED:
        label = f"{label} ({target.stars}★)" if target.stars else f"{label} ({_('3★ and up')})"
    return label


def plan_table(rows: list[TargetRow]) -> ReportTable:
    return ReportTable(
        _("Plan"),
        _("Plan targets and results"),
        [_("Plan"), _("Period"), _("Indicator"), _("Target"), _("Done"), _("Difference"), _("Reached (%)")],
        [
            [
                str(r.target.plan),
                str(r.target.year) if r.target.year else r.target.plan.period,
                target_label(r),
                r.target.value,
                r.actual,
                r.difference,
                r.percent,
            ]
            for r in rows
        ],
    )


def support_table(support: Support) -> ReportTable:
    rows: list[list[Any]] = [
        [k.label, k.activities, k.participants or None, k.producers, k.products, k.budget] for k in support.kinds
    ]
    rows.append([_("Total"), support.activities, None, support.producers, None, support.total_budget])
    return ReportTable(
        _("Support"),
        _("Support given"),
        [_("Kind of support"), _("Activities"), _("Participants"), _("Producers"), _("Products"), _("Budget (VND)")],
        rows,
    )


def budget_table(support: Support) -> ReportTable:
    labels = {
        "budget_central": _("Central budget"),
        "budget_province": _("Provincial budget"),
        "budget_local": _("District and commune budget"),
        "budget_other": _("Other sources"),
    }
    return ReportTable(
        _("Budget"),
        _("Support budget by source"),
        [_("Source"), _("Budget (VND)"), _("Share (%)")],
        [[labels[s], v, percent(v, support.total_budget)] for s, v in support.budget.items()]
        + [[_("Total"), support.total_budget, None]],
    )


def inspection_table(inspections: Inspections) -> ReportTable:
    labels = dict(Inspection.Outcome.choices)
    return ReportTable(
        _("Inspections"),
        _("Inspections after certification"),
        [_("Outcome"), _("Inspections")],
        [[str(labels[o]), n] for o, n in inspections.outcomes.items()]
        + [[_("Planned"), inspections.planned], [_("Unplanned"), inspections.unplanned],
           [_("Certificates revoked"), inspections.revoked], [_("Total"), inspections.total]],
    )  # fmt: skip


def report_tables(d: Dashboard) -> list[ReportTable]:
    """Every table of the dashboard, in the order the report shows them."""
    c = d.certified
    tables = [
        ReportTable(
            _("Stars"),
            _("Products with a valid certificate by stars"),
            [_("Stars"), _("Products"), _("Share (%)")],
            [[f"{s}★", c.stars[s], c.star_percent(s)] for s in sorted(STARS)] + [[_("Total"), c.products, None]],
        )
    ]
    if c.areas:
        tables.append(
            ReportTable(
                _("By area"),
                _("By area"),
                [_("Area"), _("Products"), _("Producers"), *_stars_header()],
                [[a.name, a.products, a.producers, *(a.stars.get(s, 0) for s in sorted(STARS))] for a in c.areas],
            )
        )
    tables += [
        ReportTable(
            _("Groups"),
            _("By product group"),
            [_("Group"), _("Products"), _("Share (%)")],
            [[g.label, g.products, g.percent] for g in c.groups],
        ),
        ReportTable(
            _("Subgroups"),
            _("By product subgroup"),
            [_("Subgroup"), _("Products"), _("Share (%)")],
            [[g.label, g.products, g.percent] for g in c.subgroups],
        ),
        ReportTable(
            _("Producer types"),
            _("By producer type"),
            [_("Type"), _("Products"), _("Producers"), _("Share (%)")],
            [[k.label, k.products, k.producers, k.percent] for k in c.kinds],
        ),
        ReportTable(
            _("Per year"),
            _("Certificates issued per year"),
            [_("Year"), *_stars_header(), _("Total")],
            [[str(y.year), *(y.stars[s] for s in sorted(STARS)), y.total] for y in d.by_year],
        ),
    ]
    r = d.registrations
    tables.append(
        ReportTable(
            _("Registrations"),
            _("Registrations in %(year)s") % {"year": d.year},
            [_("Round"), _("Registered"), _("New"), _("Upgrade"), _("Re-evaluation"), _("Recognised")],
            [
                [str(x["number"]), x["total"], x["new"], x["upgrade"], x["reevaluation"], x["recognised"]]
                for x in r.rounds
            ]
            + [[_("Total"), r.total, r.kinds["new"], r.kinds["upgrade"], r.kinds["reevaluation"], r.recognised]],
        )
    )
    tables.append(
        ReportTable(
            _("Certificates"),
            _("Certificates in %(year)s") % {"year": d.year},
            [_("Figure"), _("Number")],
            [
                [_("Issued"), d.lapsed.issued],
                [_("Expired"), d.lapsed.expired],
                [_("Revoked"), d.lapsed.revoked],
                [_("Products whose certification ends within 90 days"), c.expiring],
            ],
        )
    )
    if d.plans:
        tables.append(plan_table(d.plans))
    if d.support.kinds:
        tables += [support_table(d.support), budget_table(d.support)]
    if d.inspections.total:
        tables.append(inspection_table(d.inspections))
    ch = d.channels
    channel_rows = [[_("E-commerce platforms"), "", ch.ecommerce]]
    channel_rows += [["", s.label, s.products] for s in ch.platforms]
    channel_rows += [[_("Retail chains"), "", ch.retail]] + [["", s.label, s.products] for s in ch.chains]
    channel_rows += [[_("Export"), "", ch.export]] + [["", s.label, s.products] for s in ch.markets]
    channel_rows += [[_("Display-and-sale points open"), "", ch.sale_points], [_("Fairs held"), str(d.year), ch.fairs]]
    tables.append(
        ReportTable(_("Channels"), _("Sales channels"), [_("Channel"), _("Name"), _("Products")], channel_rows)
    )
    return tables


def report_title(d: Dashboard) -> str:
    return _("OCOP statistics — %(scope)s — as of %(date)s") % {
        "scope": d.scope.title,
        "date": d.on.strftime("%d/%m/%Y"),
    }


def report_xlsx(d: Dashboard) -> bytes:
    """The workbook: a summary sheet (title, narrative) then one sheet per table."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS | {"in_memory": True})
    bold = book.add_format({"bold": True, "border": 1, "bg_color": "#f3efe9", "text_wrap": True, "valign": "top"})
    title = book.add_format({"bold": True, "font_size": 14})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    pct = book.add_format({"num_format": "0.0"})
    summary = book.add_worksheet(_("Summary")[:31])
    summary.set_column(0, 0, 110)
    summary.write_string(0, 0, report_title(d), title)
    for row, sentence in enumerate(narrative_sentences(d), start=2):
        summary.write_string(row, 0, sentence, wrap)
    used = {_("Summary")[:31]}
    for table in report_tables(d):
        name = table.sheet[:31]
        while name in used:
            name = name[:29] + "_2"
        used.add(name)
        sheet = book.add_worksheet(name)
        sheet.write_string(0, 0, table.title, title)
        for col, header in enumerate(table.header):
            sheet.set_column(col, col, 42 if col == 0 else 14)
            sheet.write_string(2, col, header, bold)
        for r, values in enumerate(table.rows, start=3):
            for col, value in enumerate(values):
                if value is None or value == "":
                    continue
                if isinstance(value, Decimal):
                    sheet.write_number(r, col, float(value), pct)
                elif isinstance(value, int):
                    sheet.write_number(r, col, value)
                else:
                    sheet.write_string(r, col, str(value))
        sheet.freeze_panes(3, 0)
    book.close()
    return buffer.getvalue()


def cell_text(value: Any) -> str:
    """A table value as the report prints it: numbers in the active language's format (1.649; 77,4)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return formats.number_format(value, 1)
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    return str(value)


def _year_chart(d: Dashboard, width: float) -> Drawing:
    """Certificates per year, stacked by stars (reportlab's own chart: vector, fonts embedded)."""
    drawing = Drawing(width, 60 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, width - 20 * mm, 42 * mm
    chart.data = [[y.stars[s] for y in d.by_year] for s in sorted(STARS)]
    chart.categoryAxis.categoryNames = [str(y.year) for y in d.by_year]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = "DejaVuSans"
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    for index, stars in enumerate(sorted(STARS)):
        chart.bars[index].fillColor = colors.HexColor(STAR_COLOURS[stars])
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend_x = 12 * mm
    for stars in sorted(STARS):
        drawing.add(String(legend_x, 55 * mm, f"■ {stars}★", fontName="DejaVuSans", fontSize=8,
                           fillColor=colors.HexColor(STAR_COLOURS[stars])))  # fmt: skip
        legend_x += 18 * mm
    return drawing


def report_pdf(d: Dashboard) -> bytes:
    """An A4 report: title, the narrative, the certificates-per-year chart and every table."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=14 * mm, bottomMargin=14 * mm,
        title=report_title(d), author="OCOP Connect",
    )  # fmt: skip
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=9.5, leading=13.5)
    heading = ParagraphStyle(
        "heading", parent=body, fontName="DejaVuSans-Bold", fontSize=11.5, leading=15, spaceBefore=8
    )
    title = ParagraphStyle("title", parent=body, fontName="DejaVuSans-Bold", fontSize=14, leading=18)
    story: list[Any] = [Paragraph(report_title(d), title), Spacer(1, 4 * mm)]
    story += [Paragraph(" ".join(narrative_sentences(d)), body), Spacer(1, 4 * mm)]
    story += [Paragraph(_("Certificates issued per year"), heading), _year_chart(d, doc.width)]
    for table in report_tables(d):
        story.append(Paragraph(table.title, heading))
        data = [table.header, *([cell_text(v) for v in row] for row in table.rows)]
        first = doc.width * 0.42
        rest = (doc.width - first) / max(len(table.header) - 1, 1)
        grid = Table(data, colWidths=[first, *[rest] * (len(table.header) - 1)], repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), "DejaVuSans", 8),
                    ("FONT", (0, 0), (-1, 0), "DejaVuSans-Bold", 8),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3efe9")),
                    ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d8d2ca")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(grid)
    doc.build(story)
    return buffer.getvalue()
