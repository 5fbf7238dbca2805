"""Queue the periodic jobs when they are due (certificate expiry and reminders, the open-data dump).

Run one per machine, or several: a run is claimed in the database, so each happens once.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from ocop.core.scheduler import JOBS, scheduler_tick


class Command(BaseCommand):
    help = "Queue the periodic jobs when due; safe to run on several machines at once."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One tick, then exit (for cron or tests).")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between ticks (default 30).")

    def handle(self, *args, once, interval, **options):
        if interval <= 0:
            raise CommandError(f"--interval must be a positive number of seconds, not {interval}.")
        names = ", ".join(f"{job.name} {job.at:%H:%M}" for job in JOBS)
        self.stdout.write(f"Scheduler: {names} (Vietnam time).")
        while True:
            for name in scheduler_tick():
                self.stdout.write(f"Queued {name}.")
            if once:
                return
            time.sleep(interval)
