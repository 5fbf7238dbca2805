"""With `make run` as it is — a web server and a task worker in separate processes, on the embedded defaults
(SQLite, the file cache) — a visitor's figures change as soon as the worker's import commits."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from ocop.core.tests.test_faults import _database_url, _published_list

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own server on localhost
        return response.read().decode()


@pytest.mark.django_db(transaction=True)
def test_the_page_a_visitor_sees_changes_right_after_the_workers_import(tmp_path, settings):
    import json

    from ocop.geo.models import Province
    from ocop.spreadsheets.models import ImportSession
    from ocop.spreadsheets.services import import_session_create, import_validate
    from ocop.spreadsheets.tasks import import_start

    call_command("load_reference", verbosity=0)
    cao_bang = Province.objects.get(code="04")
    settings.VAR_DIR = tmp_path / "var"  # the uploaded file where the worker looks for it
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "OCOP_", "DJANGO_"))}
    env.update(DATABASE_URL=_database_url(), OCOP_VAR_DIR=str(settings.VAR_DIR), DJANGO_DEBUG="true",
               DJANGO_SETTINGS_MODULE="config.settings")  # fmt: skip  # make run's settings: file cache, no OCOP_CACHE
    port = _free_port()
    web = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = None
    try:
        api = f"http://127.0.0.1:{port}/api/v1/statistics?scope=province&code=04"
        page = f"http://127.0.0.1:{port}/thong-ke/tinh/{cao_bang.slug}/"
        deadline = time.monotonic() + 60
        while True:
            try:
                before = json.loads(_get(api))["products"]
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert before == 0
        assert "Cao Bằng" in _get(page)  # the web process has now cached its figures

        path = _published_list(tmp_path / "danh-sach.csv", 40, cao_bang)
        session = import_session_create(path=path, filename=path.name)
        session = import_validate(session=session)
        new = session.counts["new"]
        assert new >= 30, session.counts
        import_start(session=session, action="commit")
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.1"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while ImportSession.objects.get(pk=session.pk).status != ImportSession.Status.COMMITTED:
            assert time.monotonic() < deadline, ImportSession.objects.get(pk=session.pk).message
            time.sleep(0.1)
        new = ImportSession.objects.get(pk=session.pk).counts["new"]  # as the worker counted them
        # Right after the commit, with no wait: the web process's figures are the new ones.
        assert json.loads(_get(api))["products"] == new
        assert f"{new} sản phẩm" in _get(page)
    finally:
        for process in (web, worker):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
