"""The daily certificate run: expire what is due, remind about what expires within the warning window.

Run it once a day (cron or a systemd timer: `manage.py certificates_daily`); running it twice is harmless.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ocop.certification.services import certificates_expire_due, certificates_remind_expiring


class Command(BaseCommand):
    help = "Expire certificates whose date has come and e-mail reminders for those expiring soon."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were this date (dd/mm/yyyy).")

    def handle(self, *args, today, **options):
        day = timezone.localdate()
        if today:
            try:
                day = dt.datetime.strptime(today, "%d/%m/%Y").date()
            except ValueError:
                raise CommandError(f"--today {today!r} is not dd/mm/yyyy.") from None
        expired = certificates_expire_due(today=day)
        reminded = certificates_remind_expiring(
            today=day, within_days=settings.OCOP_EXPIRY_WARNING_DAYS, site_url=settings.OCOP_SITE_URL
        )
        self.stdout.write(f"{day:%d/%m/%Y}: {expired} certificate(s) expired, {reminded} expiry reminder(s) sent.")
