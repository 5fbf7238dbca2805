"""Load (or only validate, with --check) every shipped criteria set, one line per set."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ocop.evaluation.criteria import criteria_set_store, read_files, validate_set


class Command(BaseCommand):
    help = "Load the criteria sets in ocop/evaluation/criteria/ (a changed set becomes a new version)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Validate only; write nothing.")

    def handle(self, *args, check: bool, **options):
        failed = 0
        for regime, source, data in read_files():
            result = validate_set(data, regime)
            points = " / ".join(f"{code} {value:g}" for code, value in result.part_points.items())
            state = "complete" if result.complete else "INCOMPLETE"
            version = "-"
            if result.errors:
                failed += 1
                state = "INVALID: " + "; ".join(result.errors)
            elif not check:
                stored, _created = criteria_set_store(data=data, regime=regime, source=source)
                version = f"v{stored.version}"
            self.stdout.write(f"{data['code']}\t{data['name']}\t{regime}\t{version}\t{points}\t{state}")
        if failed:
            raise CommandError(f"{failed} criteria set(s) are invalid; nothing of them was loaded.")
