"""Fault tolerance with real faults: the database connection killed mid-request, the database busy past its
timeout, the task worker down or killed half-way through an import."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from ocop.catalog.models import Product
from ocop.catalog.tests.helpers import certified_product
from ocop.certification.models import Certificate
from ocop.core.errors import ApplicationError
from ocop.market.models import Inquiry
from ocop.producers.models import Producer

ROOT = Path(__file__).resolve().parents[3]


def _admin_connect():
    import psycopg

    base = connection.settings_dict
    return psycopg.connect(
        dbname=base["NAME"], host=base["HOST"] or "127.0.0.1", port=base["PORT"] or 5432,
        user=base["USER"] or "postgres", password=base["PASSWORD"] or None, autocommit=True,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_the_database_connection_killed_mid_request_gives_a_clean_page_and_the_next_request_recovers():
    if connection.vendor != "postgresql":
        pytest.skip("a server connection to kill exists on PostgreSQL; SQLite's fault is the busy database below")
    call_command("load_reference", verbosity=0)
    product = certified_product("Miến dong Nguyên Bình", stars=4)
    client = Client(raise_request_exception=False)  # as a server would: the error becomes a response
    queries = {"n": 0}

    def kill_on_the_second_query(execute, sql, params, many, context):
        queries["n"] += 1
        if queries["n"] == 2:  # the request has begun reading: its server process is terminated now
            pid = context["connection"].connection.info.backend_pid
            with _admin_connect() as other:
                assert other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone()[0]
        return execute(sql, params, many, context)

    for url, check in [
        (reverse("catalog:product-list"), lambda r: "Hệ thống tạm gián đoạn" in r.content.decode()),
        ("/api/v1/products", lambda r: r.json()["code"] == "unavailable"),
    ]:
        queries["n"] = 0
        with connection.execute_wrapper(kill_on_the_second_query):
            response = client.get(url)
        assert response.status_code == 503, url
        assert response["Retry-After"] == "30"
        assert check(response), response.content[:300]
        # The broken connection was dropped: the next request opens a new one and is served in full.
        response = client.get(url)
        assert response.status_code == 200
        assert product.name in response.content.decode()
    assert Product.objects.filter(pk=product.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_write_while_the_database_stays_locked_gets_a_clean_page_nothing_is_lost_and_it_succeeds_after():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's busy timeout; PostgreSQL's dropped connection is tested above")
    call_command("load_reference", verbosity=0)
    product = certified_product("Trà hoa vàng", stars=4)
    client = Client(raise_request_exception=False)
    url = reverse("market:inquiry-new", args=[product.pk])
    form = {"name": "Chị Lan", "email": "lan@example.vn", "quantity": "50", "unit": "hộp", "message": "Báo giá giúp"}
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")  # another process holds the write lock past the 5 s busy timeout
        page = reverse("site:product-detail", args=[product.pk, product.slug])
        assert client.get(page).status_code == 200  # readers go on (WAL)
        response = client.post(url, form)
        assert response.status_code == 503
        assert "Temporarily unavailable" in response.content.decode()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert Inquiry.objects.count() == 0
    response = client.post(url, form)  # the lock is gone: the same form goes through, once
    assert response.status_code == 302
    assert Inquiry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_site_serves_and_queues_work_while_no_task_worker_runs(client, django_user_model):
    """No worker is running in the suite: pages answer and background work waits in the queue."""
    from django_tasks_db.models import DBTaskResult

    from ocop.accounts.models import User
    from ocop.accounts.tests.factories import UserFactory

    call_command("load_reference", verbosity=0)
    product = certified_product("Gạo Séng Cù", stars=3)
    for url in [reverse("site:home"), reverse("catalog:product-list") + "?q=seng cu",
                reverse("site:product-detail", args=[product.pk, product.slug]),
                reverse("dashboards:nation"), "/api/v1/products"]:  # fmt: skip
        assert client.get(url).status_code == 200, url
    assert "Gạo Séng Cù" in client.get(reverse("catalog:product-list") + "?q=seng cu").content.decode()
    client.force_login(UserFactory(username="tu-trung-uong", role=User.Role.CENTRAL_OFFICER))
    response = client.post(reverse("site:opendata-refresh"))
    assert response.status_code == 302
    queued = DBTaskResult.objects.get(task_path__endswith="opendata_dump_task")
    assert queued.status == "READY"  # waiting for a worker, not lost
    assert client.get(reverse("site:home")).status_code == 200


def _database_url() -> str:
    base = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{base['NAME']}"
    user = base["USER"] or "postgres"
    return f"postgres://{user}@{base['HOST'] or '127.0.0.1'}:{base['PORT'] or 5432}/{base['NAME']}"


NAMES = ["Mật ong bạc hà", "Miến dong", "Chè Shan tuyết", "Bánh cuốn"]


def _published_list(path: Path, rows: int, province) -> Path:
    from ocop.spreadsheets.tests.files import write_csv

    communes = list(province.communes.order_by("code").values_list("name", flat=True)[:20])
    header = ["STT", "Tên sản phẩm", "Chủ thể sản xuất", "Địa chỉ", "Hạng sao", "Điểm", "Số quyết định"]
    body = [
        [i + 1, f"{NAMES[i % len(NAMES)]} lô thử {i}", f"Hợp tác xã gián đoạn {i % 400}",
         f"{communes[i % len(communes)]}, tỉnh {province.name}", f"{3 + i % 3} sao", 75,
         "2751/QĐ-UBND ngày 24/11/2024"]
        for i in range(rows)
    ]  # fmt: skip
    return write_csv(path, [header, *body])


def _holds_a_write_transaction() -> bool:
    """Whether another connection is inside a writing transaction right now (the worker's import)."""
    if connection.vendor == "sqlite":
        probe = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()
    with _admin_connect() as other:
        sql = ("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
               " AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()")  # fmt: skip
        return other.execute(sql).fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_an_import_whose_worker_is_killed_half_way_leaves_nothing_and_can_be_run_again(tmp_path, settings):
    """The real worker process (manage.py db_worker) is killed with SIGKILL while it writes: the database
    rolls the whole import back; once the claim is stale the officer starts it again and it completes once."""
    from django_tasks_db.models import DBTaskResult

    from ocop.geo.models import Province
    from ocop.spreadsheets.models import ImportSession
    from ocop.spreadsheets.services import import_session_create, import_validate
    from ocop.spreadsheets.tasks import import_start

    call_command("load_reference", verbosity=0)
    settings.VAR_DIR = tmp_path / "var"
    cao_bang = Province.objects.get(code="04")
    rows = 6000
    path = _published_list(tmp_path / "danh-sach.csv", rows, cao_bang)
    session = import_session_create(path=path, filename=path.name, province=cao_bang, year=2024)
    session = import_validate(session=session)
    assert session.counts["new"] >= rows * 0.9, session.counts
    before = (Product.objects.count(), Producer.objects.count(), Certificate.objects.count())
    session = import_start(session=session, action="commit")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "OCOP_"))}
    env.update(DATABASE_URL=_database_url(), OCOP_VAR_DIR=str(settings.VAR_DIR),
               DJANGO_SETTINGS_MODULE="config.settings", OCOP_TESTING="true")  # fmt: skip
    worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--interval", "0.1"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        deadline, writing_since = time.monotonic() + 120, None
        while time.monotonic() < deadline and worker.poll() is None:
            if _holds_a_write_transaction():
                writing_since = writing_since or time.monotonic()
                if time.monotonic() - writing_since > 0.3:  # well inside the writing of 6,000 rows
                    break
            else:
                writing_since = None
            time.sleep(0.02)
        assert writing_since, "the worker never began writing"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    session.refresh_from_db()
    assert session.status == ImportSession.Status.COMMITTING, "the kill came too late to interrupt the import"
    assert (Product.objects.count(), Producer.objects.count(), Certificate.objects.count()) == before

    # Until the claim is stale, nobody can start it twice; after, it runs again (here in-process) and completes.
    with pytest.raises(ApplicationError) as refused:
        import_start(session=session, action="commit")
    assert refused.value.code == "running"
    ImportSession.objects.filter(pk=session.pk).update(
        updated_at=session.updated_at - dt.timedelta(minutes=settings.OCOP_IMPORT_STALE_MINUTES + 1)
    )
    session.refresh_from_db()
    assert session.is_stale
    DBTaskResult.objects.all().delete()  # the dead worker's claim stays RUNNING; the queue is the new run's
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    session = import_start(session=session, action="commit")
    session.refresh_from_db()
    assert session.status == ImportSession.Status.COMMITTED, session.message
    assert Product.objects.count() == before[0] + session.counts["new"]
    assert Product.objects.filter(name__contains=" lô thử ").count() == session.counts["new"]


def _other_backends(select: str = "pid") -> list:
    """`select` over every connection to the test database but this process's own."""
    own = connection.cursor().connection.info.backend_pid
    with _admin_connect() as admin:
        sql = (f"SELECT {select} FROM pg_stat_activity WHERE datname = current_database()"  # noqa: S608
               " AND pid <> pg_backend_pid() AND pid <> %s")  # fmt: skip
        return admin.execute(sql, [own]).fetchall()


def _terminate_other_backends() -> int:
    """pg_terminate_backend on every connection to the test database but this process's own."""
    return len(_other_backends("pg_terminate_backend(pid)"))


def _wait_for_backends(count: int, *processes: subprocess.Popen, timeout: float = 90) -> None:
    """Until `count` other connections are open (the processes have started and polled), however loaded the
    machine: a fixed sleep was not enough while two test suites shared two cores."""
    deadline = time.monotonic() + timeout
    while len(_other_backends()) < count:
        for process in processes:
            assert process.poll() is None, process.stderr.read().decode()[-2000:] if process.stderr else ""
        assert time.monotonic() < deadline, f"fewer than {count} connections after {timeout} s"
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_a_worker_and_a_scheduler_survive_terminated_connections_and_finish_the_queued_import(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's; SQLite has no server connection to drop")
    from ocop.geo.models import Province
    from ocop.spreadsheets.models import ImportSession
    from ocop.spreadsheets.services import import_session_create, import_validate
    from ocop.spreadsheets.tasks import import_start

    call_command("load_reference", verbosity=0)
    settings.VAR_DIR = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "OCOP_", "DJANGO_"))}
    env.update(DATABASE_URL=_database_url(), OCOP_VAR_DIR=str(settings.VAR_DIR),
               DJANGO_SETTINGS_MODULE="config.settings", OCOP_TESTING="true")  # fmt: skip
    worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    scheduler = subprocess.Popen([sys.executable, "manage.py", "scheduler", "--interval", "0.5"],
                                 cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        _wait_for_backends(2, worker, scheduler)  # both have connected and polled
        time.sleep(1)
        assert _terminate_other_backends() >= 2
        time.sleep(3)
        assert worker.poll() is None, worker.stderr.read().decode()[-2000:] if worker.stderr else ""
        assert scheduler.poll() is None, scheduler.stderr.read().decode()[-2000:] if scheduler.stderr else ""
        cao_bang = Province.objects.get(code="04")
        path = _published_list(tmp_path / "danh-sach.csv", 30, cao_bang)
        session = import_validate(session=import_session_create(path=path, filename=path.name))
        import_start(session=session, action="commit")
        deadline = time.monotonic() + 120
        while ImportSession.objects.get(pk=session.pk).status != ImportSession.Status.COMMITTED:
            assert time.monotonic() < deadline, ImportSession.objects.get(pk=session.pk).message
            assert worker.poll() is None
            time.sleep(0.2)
        _terminate_other_backends()
        time.sleep(2)
        assert worker.poll() is None and scheduler.poll() is None
    finally:
        for process in (worker, scheduler):
            process.terminate()
            process.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_a_task_that_needs_more_memory_than_allowed_fails_with_that_reason_and_the_worker_goes_on(tmp_path, settings):
    """The real worker with OCOP_TASK_MEMORY_MB=40 reads a 40,000-row list (about 150 MB of cells): the import
    fails saying why, the task's error names the limit, and the same worker then reads a small list."""
    from django_tasks_db.models import DBTaskResult

    from ocop.geo.models import Province
    from ocop.spreadsheets.models import ImportSession
    from ocop.spreadsheets.services import import_session_store
    from ocop.spreadsheets.tasks import import_start

    call_command("load_reference", verbosity=0)
    settings.VAR_DIR = tmp_path / "var"
    cao_bang = Province.objects.get(code="04")
    big = _published_list(tmp_path / "lon.csv", 40_000, cao_bang)
    small = _published_list(tmp_path / "nho.csv", 5, cao_bang)
    sessions = [import_session_store(path=path, filename=path.name, province=cao_bang) for path in (big, small)]
    for session in sessions:
        import_start(session=session, action="read")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "OCOP_"))}
    env.update(DATABASE_URL=_database_url(), OCOP_VAR_DIR=str(settings.VAR_DIR), OCOP_TASK_MEMORY_MB="40",
               DJANGO_SETTINGS_MODULE="config.settings", OCOP_TESTING="true")  # fmt: skip
    done = subprocess.run([sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]

    big_session, small_session = (ImportSession.objects.get(pk=s.pk) for s in sessions)
    assert big_session.status == ImportSession.Status.FAILED and not big_session.headers
    assert "40 MB" in big_session.message and "tệp nhỏ hơn" in big_session.message
    failed = DBTaskResult.objects.get(status="FAILED")
    assert failed.exception_class_path == "ocop.core.tasks.TaskMemoryExceeded"
    assert "OCOP_TASK_MEMORY_MB" in failed.traceback and "40 MB" in failed.traceback
    assert small_session.status == ImportSession.Status.UPLOADED and small_session.headers  # the worker went on
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
