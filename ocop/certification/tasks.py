"""Background work of certificates: the daily run (expiry and reminders), queued by the scheduler."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from ocop.certification.services import certificates_expire_due, certificates_remind_expiring


@task()
def certificates_daily_task() -> dict[str, int]:
    """Expire what is due today and remind about what expires within the warning window (idempotent)."""
    day = timezone.localdate()
    expired = certificates_expire_due(today=day)
    reminded = certificates_remind_expiring(
        today=day, within_days=settings.OCOP_EXPIRY_WARNING_DAYS, site_url=settings.OCOP_SITE_URL
    )
    return {"expired": expired, "reminded": reminded}
