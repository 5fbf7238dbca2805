"""Background work of the platform itself."""

from __future__ import annotations

import os
import resource

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


class TaskMemoryExceeded(MemoryError):
    """A task needed more memory than `OCOP_TASK_MEMORY_MB` allows."""

    def __init__(self, limit_mb: int) -> None:
        super().__init__(
            f"The task needed more than {limit_mb} MB of memory (OCOP_TASK_MEMORY_MB) and was stopped; "
            "nothing it was writing was kept. Split the work (a list into smaller files) or raise the limit."
        )


class memory_cap:
    """Cap the process's data segment (heap and anonymous mappings: what a task allocates) at what it uses now plus
    `limit_mb`, for the time of one task; Python then raises MemoryError in the task instead of the machine
    swapping or the kernel killing the worker. `lift` restores the previous limit (also on exit)."""

    def __init__(self, limit_mb: int) -> None:
        self.limit_mb = limit_mb
        self.previous: tuple[int, int] | None = None

    def __enter__(self) -> memory_cap:
        if self.limit_mb > 0:
            self.previous = resource.getrlimit(resource.RLIMIT_DATA)
            hard = self.previous[1]
            wanted = _data_bytes() + self.limit_mb * 1024 * 1024
            if hard != resource.RLIM_INFINITY:
                wanted = min(wanted, hard)
            resource.setrlimit(resource.RLIMIT_DATA, (wanted, hard))
        return self

    def lift(self) -> None:
        if self.previous is not None:
            resource.setrlimit(resource.RLIMIT_DATA, self.previous)
            self.previous = None

    def __exit__(self, *exc: object) -> None:
        self.lift()


def _data_bytes() -> int:
    """The process's data segment now (VmData: what RLIMIT_DATA counts)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0  # pragma: no cover - Linux always says
