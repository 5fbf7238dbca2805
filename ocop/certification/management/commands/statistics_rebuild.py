"""Rebuild the statistics projection — certified spans, producers' and channels' spans, the monthly rollup —
from the certificates and channels, or (`--check`) only compare what is kept with a fresh computation.

The services keep all of it in step in their own transactions; this is for after a restore of part of the
data, a change made outside the application, or to verify (`--check` writes nothing and exits 1 on a
difference).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ocop.certification.models import CertifiedCount
from ocop.certification.projection import spans_rebuild_all


def _rollup() -> set[tuple]:
    return set(
        CertifiedCount.objects.exclude(n=0).values_list(
            "grain", "period", "facet", "province_id", "legacy_province_id", "key", "n"
        )
    )


class Command(BaseCommand):
    help = "Rebuild the statistics projection and rollup, or check them (--check) without writing."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Compare only; change nothing.")

    def handle(self, *args, check: bool, **options):
        with transaction.atomic():
            kept = _rollup()
            spans = spans_rebuild_all()
            fresh = _rollup()
            if check:
                transaction.set_rollback(True)
        differing = len(kept ^ fresh)
        if check:
            if differing:
                raise CommandError(f"The rollup differs from a fresh computation in {differing} rows.")
            self.stdout.write(f"The rollup agrees with a fresh computation ({len(fresh)} rows, {spans} spans).")
            return
        self.stdout.write(f"Rebuilt: {spans} spans, {len(fresh)} rollup rows ({differing} rows changed).")
