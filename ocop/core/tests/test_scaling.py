"""Several machines: the scheduler claims each run once; public reads are routed to the replica."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import RequestFactory

from ocop.core import db as routing
from ocop.core.models import ScheduledRun
from ocop.core.scheduler import JOBS, due_at, scheduler_tick

VN = dt.timezone(dt.timedelta(hours=7))


def test_a_job_is_due_at_its_time_today_and_before_it_yesterdays():
    job = JOBS[0]  # certificates_daily, 01:15
    assert due_at(job, dt.datetime(2026, 12, 2, 9, 0, tzinfo=VN)) == dt.datetime(2026, 12, 2, 1, 15, tzinfo=VN)
    assert due_at(job, dt.datetime(2026, 12, 2, 1, 0, tzinfo=VN)) == dt.datetime(2026, 12, 1, 1, 15, tzinfo=VN)


@pytest.mark.django_db(transaction=True)
def test_schedulers_started_on_two_machines_at_once_queue_each_run_exactly_once():
    from django_tasks_db.models import DBTaskResult

    now = dt.datetime(2026, 12, 2, 9, 0, tzinfo=VN)
    barrier = threading.Barrier(4)
    queued: list[str] = []

    def machine() -> None:
        try:
            barrier.wait()
            queued.extend(scheduler_tick(now))
        finally:
            connection.close()

    threads = [threading.Thread(target=machine) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(queued) == sorted(job.name for job in JOBS)
    assert ScheduledRun.objects.count() == len(JOBS)
    tasks = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert tasks == sorted(job.task for job in JOBS)
    assert scheduler_tick(now + dt.timedelta(hours=3)) == []  # later the same day: already done
    assert scheduler_tick(now + dt.timedelta(days=1)) == [job.name for job in JOBS]  # the next day's runs
    # A scheduler that was down for two days catches up once, not once per missed day.
    assert scheduler_tick(now + dt.timedelta(days=3, hours=1)) == [job.name for job in JOBS]
    assert ScheduledRun.objects.count() == 3 * len(JOBS)


@pytest.mark.django_db
def test_the_scheduler_command_queues_the_daily_jobs_and_the_queued_expiry_task_runs():
    from django_tasks_db.models import DBTaskResult

    call_command("scheduler", "--once", verbosity=0)
    assert set(ScheduledRun.objects.values_list("job", flat=True)) == {job.name for job in JOBS}
    assert DBTaskResult.objects.filter(task_path="ocop.certification.tasks.certificates_daily_task").count() == 1
    from ocop.certification.tasks import certificates_daily_task

    with pytest.raises(CommandError, match="positive"):
        call_command("scheduler", "--interval", "0")
    assert certificates_daily_task.call() == {"expired": 0, "reminded": 0}


@pytest.mark.parametrize(
    ("method", "path", "cookies", "replica"),
    [
        ("GET", "/san-pham/?q=mat+ong", {}, True),
        ("HEAD", "/verify/ABC123/", {}, True),
        ("GET", "/thong-ke/tinh/cao-bang/", {}, True),
        ("GET", "/api/v1/products", {}, True),
        ("POST", "/san-pham/", {}, False),  # writes and their reads: the primary
        ("GET", "/san-pham/", {"sessionid": "x"}, False),  # someone signed in reads what they just saved
        ("GET", "/thong-ke/bang-dieu-khien/", {}, False),
        ("GET", "/api/v1/me", {}, False),
        ("GET", "/ho-so/", {}, False),
        ("GET", "/", {}, False),
    ],
)
def test_only_visitors_public_reads_go_to_the_replica(method, path, cookies, replica):
    request = RequestFactory().generic(method, path)
    request.COOKIES.update(cookies)
    seen: list[str | None] = []
    router = routing.PrimaryReplicaRouter()

    def view(request):
        seen.append(router.db_for_read(ScheduledRun))
        return None

    routing.ReplicaReadsMiddleware(view)(request)
    assert seen == [routing.REPLICA if replica else None]
    assert router.db_for_read(ScheduledRun) is None  # outside the request: the primary
    assert router.db_for_write(ScheduledRun) == "default"
    assert router.allow_migrate("replica", "core") is False
