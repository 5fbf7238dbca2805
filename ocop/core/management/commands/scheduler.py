"""Queue the periodic jobs when they are due (certificate expiry and reminders, the open-data dump).

Run one per machine, or several: a run is claimed in the database, so each happens once.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError, connections

from ocop.core.flood import flood_forget
from ocop.core.notifications import notifications_forget
from ocop.core.scheduler import JOBS, scheduler_tick
from ocop.core.tasks import tasks_fail_stale


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
        delay = interval
        while True:
            try:
                for name in scheduler_tick():
                    self.stdout.write(f"Queued {name}.")
                tasks_fail_stale()
                flood_forget()  # counters of windows long past
                notifications_forget()  # notifications read more than a year ago
                delay = interval
            except (OperationalError, InterfaceError) as exc:  # a dropped database: reconnect and go on
                for connection in connections.all(initialized_only=True):
                    connection.close()
                self.stderr.write(f"Database connection lost ({exc}); trying again in {delay:.0f} s.")
                if once:
                    raise
                delay = min(max(delay, 1.0) * 2, 60.0)
            if once:
                return
            time.sleep(delay)
