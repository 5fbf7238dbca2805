"""django-tasks' database worker that outlives a dropped database connection (a restarted PostgreSQL, a
terminated backend, a failover): it logs the fault, drops its connections, waits (1 s, doubling up to 30 s)
and goes on with the queue. The command, its options and its behaviour are otherwise the library's."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker as library

from ocop.core.tasks import TaskMemoryExceeded, memory_cap, tasks_fail_stale

logger = logging.getLogger("ocop.worker")


class ResilientWorker(library.Worker):
    def run_task(self, db_task_result) -> None:
        """Run one task within `OCOP_TASK_MEMORY_MB`: a task that needs more fails with that reason, and the
        worker, its memory given back, goes on with the queue."""
        limit = settings.OCOP_TASK_MEMORY_MB
        record_failure = db_task_result.set_failed
        cap = memory_cap(limit)

        def set_failed(exc: BaseException) -> None:
            cap.lift()  # the failure is recorded with the limit lifted (the task's frames still hold its memory)
            if isinstance(exc, MemoryError):
                exc = TaskMemoryExceeded(limit)
            record_failure(exc)

        db_task_result.set_failed = set_failed
        with cap:
            super().run_task(db_task_result)

    def run(self) -> None:
        delay = 1.0
        while True:
            try:
                tasks_fail_stale()  # what a killed worker left RUNNING is failed, with the reason
                super().run()
                return
            except (OperationalError, InterfaceError):
                logger.exception("The database connection was lost; reconnecting in %.0f s.", delay)
                for connection in connections.all(initialized_only=True):
                    connection.close()
                if not self.running:
                    return
                time.sleep(delay)
                delay = min(delay * 2, 30.0)


class Command(library.Command):
    help = library.Command.help + " (reconnecting after a dropped database connection)"

    def handle(self, **options):
        # The library's handle builds its module's `Worker`: in this process, that is the resilient one.
        library.Worker = ResilientWorker  # type: ignore[misc]
        return super().handle(**options)
