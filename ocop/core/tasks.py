"""Background work of the platform itself."""

from __future__ import annotations

import os

from django.core.cache import cache
from django_tasks import task


@task()
def probe(run: str, number: int) -> int:
    """Count one execution of (run, number) in the shared cache and return the worker's process id: the
    scale-out check queues many and verifies that each ran exactly once, on whichever machine took it."""
    key = f"probe:{run}:{number}"
    cache.add(key, 0, timeout=3600)
    cache.incr(key)
    return os.getpid()


def tasks_fail_stale() -> int:
    """Fail the tasks a dead worker left RUNNING (killed, its machine gone) once they have run longer than
    `OCOP_TASK_STALE_MINUTES`: their status says what happened instead of "running" forever. Work that must
    complete (an import) is claimed by its own record and can be started again once its claim is stale."""
    import datetime as dt

    from django.conf import settings
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    limit = timezone.now() - dt.timedelta(minutes=settings.OCOP_TASK_STALE_MINUTES)
    return DBTaskResult.objects.filter(status="RUNNING", started_at__lt=limit).update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="ocop.core.tasks.WorkerLost",
        traceback=f"The worker running this task stopped (no result after {settings.OCOP_TASK_STALE_MINUTES} min).",
    )


class WorkerLost(Exception):
    """A task's worker stopped before the task finished."""
