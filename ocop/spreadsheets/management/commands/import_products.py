"""Import a published OCOP product list (.xlsx, .xls or .csv) from the command line."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ocop.core.errors import ApplicationError
from ocop.geo.models import Province
from ocop.spreadsheets.headers import FIELDS
from ocop.spreadsheets.services import import_commit, import_session_create, import_validate


class Command(BaseCommand):
    help = "Import a province's OCOP product list; --dry-run checks and counts without writing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--province", help="Province code for rows without a province (e.g. 04).")
        parser.add_argument("--year", type=int, help="Year of the list, if the rows do not say.")
        parser.add_argument("--decision", default="", help="Decision number for rows without one.")
        parser.add_argument("--decision-date", help="Decision date dd/mm/yyyy for rows without one.")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, write nothing.")

    def handle(self, *args, file: Path, province, year, decision, decision_date, dry_run, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        place = None
        if province:
            place = Province.objects.filter(code=province.zfill(2)).first()
            if place is None:
                raise CommandError(f"Unknown province code {province!r}.")
        day = None
        if decision_date:
            try:
                day = dt.datetime.strptime(decision_date, "%d/%m/%Y").date()
            except ValueError:
                raise CommandError(f"--decision-date {decision_date!r} is not dd/mm/yyyy.") from None
        try:
            session = import_session_create(
                path=file, filename=file.name, province=place, year=year, decision_number=decision, decision_date=day
            )
            columns = ", ".join(
                f"{session.headers[int(i)] or '#' + str(int(i) + 1)} → {FIELDS[name][0]}"
                for i, name in sorted(session.mapping.items(), key=lambda kv: int(kv[0]))
            )
            self.stdout.write(f"Header on row {session.header_row + 1}; columns: {columns}")
            progress = self._progress()
            session = (
                import_validate(session=session, progress=progress)
                if dry_run
                else import_commit(session=session, progress=progress)
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        if sys.stdout.isatty():
            self.stdout.write("")
        counts = session.counts
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged, "
                f"{counts['rejected']} rejected, {counts['review']} to review (import #{session.pk})."
            )
        )
        for item in session.rejected[:20]:
            self.stdout.write(f"  {item['reason']}")

    def _progress(self):
        tty = sys.stdout.isatty()
        last = {"step": -1}

        def report(fraction: float) -> None:
            step = int(fraction * 20)
            if step == last["step"]:
                return
            last["step"] = step
            if tty:
                self.stdout.write(f"\r[{'#' * step}{'.' * (20 - step)}] {int(fraction * 100):3d}%", ending="")
                self.stdout.flush()
            elif step % 5 == 0:
                self.stdout.write(f"progress {int(fraction * 100)}%")

        return report
