"""The annual report as provinces write it: "Báo cáo kết quả thực hiện Chương trình OCOP năm N" for a province, a
former province or the nation, as .docx (python-docx) and PDF (reportlab), from the stored records only — the
report of any past year can be produced again and says the same.

The content is built once as a list of blocks (headings, paragraphs, numbered items, tables) from the same
selectors as the statistics pages (`dashboard_stats`, the programme office's plans, support and inspections)
and the same narrative sentences; each format only draws the blocks.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ocop.certification.pdf import register_fonts
from ocop.dashboards.narrative import narrative_sections, period_words, plan_sentence
from ocop.dashboards.reports import ReportTable, cell_text, plan_table, report_tables, target_label
from ocop.dashboards.selectors import Dashboard, dashboard_stats
from ocop.geo.scope import NATION, Scope
from ocop.office.selectors import plan_reports, plans_in_force, target_rows

HEADING, PARAGRAPH, ITEM, TABLE = "heading", "paragraph", "item", "table"


@dataclass
class Block:
    kind: str
    text: str = ""
    table: ReportTable | None = None
    level: int = 1


@dataclass
class AnnualReport:
    scope: Scope
    year: int
    on: dt.date
    title: str
    subtitle: str
    blocks: list[Block] = field(default_factory=list)

    def text(self) -> str:
        """Everything written, as plain text (for search, tests and the page's preview)."""
        lines = [self.title, self.subtitle]
        for block in self.blocks:
            if block.table is not None:
                lines.append(block.table.title)
            else:
                lines.append(block.text)
        return "\n".join(lines)

    def filename(self, extension: str) -> str:
        from ocop.core.text import slugify_vn

        return f"bao-cao-ocop-{self.year}-{slugify_vn(self.scope.name)}.{extension}"


def _plan_title(plan: Any) -> str:
    kind = plan.get_kind_display()
    if plan.number and plan.signed_on:
        return _("%(kind)s No. %(number)s of %(date)s on %(name)s") % {
            "kind": kind,
            "number": plan.number,
            "date": plan.signed_on.strftime("%d/%m/%Y"),
            "name": plan.name,
        }
    if plan.number:
        return _("%(kind)s No. %(number)s on %(name)s") % {"kind": kind, "number": plan.number, "name": plan.name}
    return plan.name  # fmt: skip


def annual_report(*, scope: Scope, year: int, today: dt.date | None = None) -> AnnualReport:
    """The report of `year` (as of its 31 December, or today for the current year)."""
    today = today or timezone.localdate()
    on = min(dt.date(year, 12, 31), today)
    d: Dashboard = dashboard_stats(scope=scope, on=on, year=year)
    sections = narrative_sections(d, today=today)
    tables = {t.sheet: t for t in report_tables(d)}
    where = scope.title if scope.kind != NATION else _("nationwide")
    report = AnnualReport(
        scope=scope, year=year, on=on,
        title=_("Report on the results of the OCOP Programme in %(year)s") % {"year": year},
        subtitle=_("%(where)s — figures as of %(date)s") % {"where": where, "date": on.strftime("%d/%m/%Y")},
    )  # fmt: skip
    add = report.blocks.append

    add(Block(HEADING, _("I. RESULTS")))
    plans = plans_in_force(scope, year=year)
    add(Block(HEADING, _("1. Direction and plans"), level=2))
    if plans:
        for plan in plans:
            period = period_words(plan.start_year, plan.end_year)
            add(Block(PARAGRAPH, _("Implementing %(plan)s for %(period)s, with these tasks:")
                      % {"plan": _plan_title(plan), "period": period}))  # fmt: skip
            for index, task in enumerate(plan.tasks.all(), start=1):
                add(Block(ITEM, f"{index}. {task.title}"))
            if plan.legal_basis:
                add(Block(PARAGRAPH, _("Legal basis: %(basis)s") % {"basis": plan.legal_basis}))
    else:
        add(Block(PARAGRAPH, _("No programme or plan of this scope is recorded for %(year)s.") % {"year": year}))

    add(Block(HEADING, _("2. Evaluation and ranking of products"), level=2))
    for sentence in sections["certified"]:
        add(Block(PARAGRAPH, sentence))
    for key in (_("Stars"), _("Per year"), _("Certificates")):
        if key in tables:
            add(Block(TABLE, table=tables[key]))

    add(Block(HEADING, _("3. Plan targets"), level=2))
    reports = plan_reports(plans, on=on)
    rows = [row for r in reports for row in r.rows]
    if rows:
        for row in rows:
            add(Block(PARAGRAPH, plan_sentence(row)))
        add(Block(TABLE, table=plan_table(rows)))
    else:
        add(Block(PARAGRAPH, _("No target is set for %(year)s.") % {"year": year}))

    add(Block(HEADING, _("4. Support to producers"), level=2))
    add(Block(PARAGRAPH, " ".join(sections["support"]) or _("No support is recorded for %(year)s.") % {"year": year}))
    for key in (_("Support"), _("Budget")):
        if key in tables:
            add(Block(TABLE, table=tables[key]))

    add(Block(HEADING, _("5. Trade promotion and connection"), level=2))
    for sentence in sections["trade"] or [_("No sales channel is recorded.")]:
        add(Block(PARAGRAPH, sentence))
    if _("Channels") in tables:
        add(Block(TABLE, table=tables[_("Channels")]))

    add(Block(HEADING, _("6. Inspection and supervision"), level=2))
    add(Block(PARAGRAPH, " ".join(sections["inspections"])
              or _("No inspection after certification is recorded for %(year)s.") % {"year": year}))  # fmt: skip
    if _("Inspections") in tables:
        add(Block(TABLE, table=tables[_("Inspections")]))

    following = plans_in_force(scope, year=year + 1)
    next_rows = target_rows([t for p in following for t in p.targets.all() if t.year in (year + 1, None)],
                            on=dt.date(year + 1, 12, 31))  # fmt: skip
    add(Block(HEADING, _("II. TASKS FOR %(year)s") % {"year": year + 1}))
    if next_rows:
        for row in next_rows:
            add(Block(ITEM, _("%(indicator)s: %(target)s (%(plan)s)") % {
                "indicator": target_label(row), "target": formats.number_format(row.target.value, force_grouping=True),
                "plan": str(row.target.plan)}))  # fmt: skip
    else:
        add(Block(PARAGRAPH, _("No target is set for %(year)s yet.") % {"year": year + 1}))
    return report


def annual_docx(report: AnnualReport) -> bytes:
    """The report as a Word document (A4, Times New Roman 13 as administrative documents are set)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin, section.top_margin, section.bottom_margin = Cm(3), Cm(2), Cm(2), Cm(2)
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    document.core_properties.title = report.title
    document.core_properties.author = "OCOP Connect"
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(report.title.upper())
    run.bold, run.font.size = True, Pt(14)
    sub = document.add_paragraph(report.subtitle)
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.runs[0].italic = True
    for block in report.blocks:
        if block.kind == HEADING:
            paragraph = document.add_paragraph()
            run = paragraph.add_run(block.text)
            run.bold = True
            if block.level == 1:
                run.font.size = Pt(13.5)
        elif block.kind in (PARAGRAPH, ITEM):
            paragraph = document.add_paragraph(block.text)
            paragraph.paragraph_format.first_line_indent = Cm(1) if block.kind == PARAGRAPH else None
            paragraph.paragraph_format.left_indent = Cm(1) if block.kind == ITEM else None
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        elif block.table is not None:
            caption = document.add_paragraph()
            caption.add_run(block.table.title).italic = True
            grid = document.add_table(rows=1, cols=len(block.table.header))
            grid.style = "Table Grid"
            for cell, text in zip(grid.rows[0].cells, block.table.header, strict=True):
                cell.text = text
                cell.paragraphs[0].runs[0].bold = True
            for values in block.table.rows:
                cells = grid.add_row().cells
                for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
                    cell.text = cell_text(value)
                    if index and isinstance(value, int | Decimal):
                        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for row in grid.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        for run in paragraph.runs:
                            run.font.size = Pt(11)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def annual_pdf(report: AnnualReport) -> bytes:
    """The same report as an A4 PDF, DejaVu fonts embedded (Vietnamese intact in any reader and in pdftotext)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=report.title, author="OCOP Connect")  # fmt: skip
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=10, leading=14.5, alignment=TA_JUSTIFY,
                          firstLineIndent=8 * mm, spaceAfter=3)  # fmt: skip
    item = ParagraphStyle("item", parent=body, firstLineIndent=0, leftIndent=8 * mm)
    h1 = ParagraphStyle("h1", parent=body, fontName="DejaVuSans-Bold", fontSize=11.5, firstLineIndent=0,
                        spaceBefore=8, spaceAfter=4)  # fmt: skip
    h2 = ParagraphStyle("h2", parent=h1, fontSize=10.5, spaceBefore=6)
    title = ParagraphStyle("title", parent=h1, fontSize=14, leading=19, alignment=TA_CENTER)
    subtitle = ParagraphStyle("subtitle", parent=body, alignment=TA_CENTER, firstLineIndent=0)
    story: list[Any] = [Paragraph(escape(report.title.upper()), title), Paragraph(escape(report.subtitle), subtitle),
                        Spacer(1, 4 * mm)]  # fmt: skip
    for block in report.blocks:
        if block.kind == HEADING:
            story.append(Paragraph(escape(block.text), h1 if block.level == 1 else h2))
        elif block.kind in (PARAGRAPH, ITEM):
            story.append(Paragraph(escape(block.text), body if block.kind == PARAGRAPH else item))
        elif block.table is not None:
            table = block.table
            cell = ParagraphStyle("cell", fontName="DejaVuSans", fontSize=8, leading=10)
            data = [[Paragraph(escape(h), cell) for h in table.header]]
            data += [[Paragraph(escape(cell_text(v)), cell) for v in row] for row in table.rows]
            first = doc.width * 0.36
            rest = (doc.width - first) / max(len(table.header) - 1, 1)
            grid = Table(data, colWidths=[first, *[rest] * (len(table.header) - 1)], repeatRows=1)
            grid.setStyle(TableStyle([
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3efe9")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b8b0a6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]))  # fmt: skip
            story += [Paragraph(escape(table.title), item), grid, Spacer(1, 3 * mm)]
    doc.build(story)
    return buffer.getvalue()
