"""The periodic jobs and the scheduler that queues them, safe to run on several machines at once.

Each job has a daily time (Vietnam time). A scheduler tick computes each job's latest due time and claims it
by inserting a ScheduledRun row: the unique (job, due_at) constraint lets exactly one scheduler win, whichever
machine it runs on; the winner queues the task for the workers. A scheduler that was down at the due time
catches up at its next tick (once), so nothing is skipped and nothing runs twice.
"""

from __future__ import annotations

import datetime as dt
import socket
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from ocop.core.models import ScheduledRun


@dataclass(frozen=True)
class Job:
    name: str
    at: dt.time  # local time, every day
    task: str  # dotted path of a django-tasks task


JOBS = [
    Job("certificates_daily", dt.time(1, 15), "ocop.certification.tasks.certificates_daily_task"),
    Job("opendata_dump", dt.time(1, 30), "ocop.site.tasks.opendata_dump_task"),
    Job("search_vocabulary", dt.time(1, 45), "ocop.catalog.tasks.search_vocabulary_task"),
]


def due_at(job: Job, now: dt.datetime) -> dt.datetime:
    """The latest time the job was due at or before `now` (today's time, or yesterday's before it)."""
    local = timezone.localtime(now)
    today = timezone.make_aware(dt.datetime.combine(local.date(), job.at), local.tzinfo)
    return today if today <= local else today - dt.timedelta(days=1)


def scheduler_tick(now: dt.datetime | None = None, jobs: list[Job] | None = None) -> list[str]:
    """Claim and queue every job whose due time has no run yet; returns the jobs this call queued."""
    now = now or timezone.now()
    queued = []
    for job in jobs or JOBS:
        due = due_at(job, now)
        if ScheduledRun.objects.filter(job=job.name, due_at=due).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, due_at=due, host=socket.gethostname()[:200])
                result = import_string(job.task).enqueue()
                run.task_id = str(result.id)[:64]
                run.save(update_fields=["task_id"])
        except IntegrityError:  # another scheduler claimed this run first
            continue
        queued.append(job.name)
    return queued
