"""The production profile's parts that run on one machine: readiness, the shared Redis cache and sessions,
the PostgreSQL connection pool, JSON logs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.urls import reverse


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OCOP_", "DATABASE_URL", "DB_"))}
    clean.update(DJANGO_DEBUG="true", DJANGO_SETTINGS_MODULE="config.settings", **env)
    script = "import django; django.setup()\n" + code
    return subprocess.run([sys.executable, "-c", script], env=clean, capture_output=True, text=True, check=False)  # noqa: S603


@pytest.mark.django_db
def test_readyz_reports_each_dependency(client):
    response = client.get(reverse("core:readyz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "storage": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_with_redis_the_cache_and_sessions_are_shared_between_processes():
    env = {"OCOP_CACHE": "redis", "REDIS_URL": "redis://127.0.0.1:6379/15", "OCOP_CACHE_PREFIX": "ocop-test"}
    writer = _run("from django.core.cache import cache; cache.set('shared-key', 'xin chào', 30)", **env)
    assert writer.returncode == 0, writer.stderr
    reader = _run(
        "from django.conf import settings; from django.core.cache import cache\n"
        "print(cache.get('shared-key'), settings.SESSION_ENGINE)",
        **env,
    )
    assert reader.stdout.split() == ["xin", "chào", "django.contrib.sessions.backends.cached_db"], reader.stderr


def test_the_postgresql_pool_serves_queries():
    url = os.environ.get("CI_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    done = _run(
        "from django.db import connection\n"
        "with connection.cursor() as c: c.execute('SELECT 41 + 1'); print(c.fetchone()[0])\n"
        "print(type(connection.pool).__name__)",
        DATABASE_URL=url, DB_POOL="true", DB_POOL_MIN="1", DB_POOL_MAX="3",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["42", "ConnectionPool"]


def test_json_logs_are_one_object_a_line():
    done = _run("import logging; logging.getLogger('ocop.test').warning('Đã nhập %s dòng', 3, extra={'rows': 3})",
                DJANGO_LOG_FORMAT="json")  # fmt: skip
    entry = json.loads(done.stderr.strip().splitlines()[-1])
    assert entry["message"] == "Đã nhập 3 dòng" and entry["level"] == "WARNING" and entry["rows"] == 3
