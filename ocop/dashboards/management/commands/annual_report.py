"""Write "Báo cáo kết quả thực hiện Chương trình OCOP năm N" for the nation, a province or a former province."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ocop.dashboards.annual import annual_docx, annual_pdf, annual_report
from ocop.geo.models import LegacyProvince, Province
from ocop.geo.scope import Scope


class Command(BaseCommand):
    help = "Write the annual OCOP report (.docx or PDF) of a year, from the stored records."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True)
        place = parser.add_mutually_exclusive_group()
        place.add_argument("--province", help="Today's province: its code (e.g. 04) or slug (e.g. cao-bang).")
        place.add_argument("--former", help="A former province (until 2025): its code (e.g. 06).")
        parser.add_argument("--format", choices=["docx", "pdf"], default="docx")
        parser.add_argument("--language", choices=["vi", "en"], default="vi")
        parser.add_argument("--output", "-o", help="The file to write (default: its name in the current folder).")

    def handle(self, *args, **options) -> None:
        scope = Scope.nation()
        if options["province"]:
            key = options["province"]
            unit = Province.objects.filter(code=key).first() or Province.objects.filter(slug=key).first()
            if unit is None:
                raise CommandError(f"No province has the code or slug {key!r}.")
            scope = Scope.of(unit)
        elif options["former"]:
            former = LegacyProvince.objects.filter(code=options["former"]).first()
            if former is None:
                raise CommandError(f"No former province has the code {options['former']!r}.")
            scope = Scope.of(former)
        if not 2018 <= options["year"] <= 2100:
            raise CommandError("The year must lie between 2018 and 2100.")
        with translation.override(options["language"]):
            report = annual_report(scope=scope, year=options["year"])
            content = annual_docx(report) if options["format"] == "docx" else annual_pdf(report)
            path = Path(options["output"] or report.filename(options["format"]))
        path.write_bytes(content)
        self.stdout.write(f"{path} ({len(content):,} bytes)")
