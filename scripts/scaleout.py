"""Scale-out check: two app servers, two task workers and two schedulers against one PostgreSQL, one Redis and
one S3-compatible server, all on 127.0.0.1 — the production profile of docs/deploy.md, for real.

    make scaleout        (or: .venv/bin/python scripts/scaleout.py)

Each "machine" (A and B) has its own OCOP_VAR_DIR, so nothing is shared through the local disk: sessions and
cache go through Redis, files through the S3 server (moto's server mode), data through PostgreSQL (with
DATABASE_REPLICA_URL pointing at it too, so the replica routing runs). Checks:

1. A login on A holds on B (shared sessions).
2. Evidence uploaded on A downloads on B (through a signed, expiring S3 address), byte for byte.
3. 200 tasks queued at once run exactly once each, spread over both workers.
4. A change through A (a certificate revoked) shows through B at once (versioned cache keys in Redis).
5. Both schedulers ticking together queue each daily run once.
6. /readyz answers on both (database, cache, storage).

Exit status 0 only if every check holds. Needs PostgreSQL and Redis on 127.0.0.1 (this machine kind has both).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import redis
import requests

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "scaleout"
PG = os.environ.get("SCALEOUT_PG", "postgres://postgres@127.0.0.1:5432")
DB = "ocop_scaleout"
REDIS_URL = os.environ.get("SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/9")
BUCKET = "ocop-scaleout"
PASSWORD = "ocop-demo-2025"  # noqa: S105 (seed_demo's documented demo accounts, in a throw-away database)
PROBES = 200

SETUP = """
import datetime as dt, json
from django.utils import timezone
from ocop.accounts.models import User
from ocop.catalog.models import Category, Regime
from ocop.evaluation import services
from ocop.evaluation.tests.helpers import complete_test_set
criteria_set = complete_test_set()  # the published 1489 criteria are not complete for every group yet
chuthe, tinh = User.objects.get(username="chuthe"), User.objects.get(username="tinh")
producer = chuthe.memberships.get().producer
today = timezone.localdate()
evaluation_round = services.round_open(province=producer.province, year=today.year, number=7, opens_on=today,
    submission_deadline=today + dt.timedelta(days=30), scoring_deadline=today + dt.timedelta(days=60),
    regime=criteria_set.regime, by=tinh)
category = Category.objects.get(regime=Regime.D148_2023, code="I.1.a")
dossier = services.dossier_create(evaluation_round=evaluation_round, producer=producer,
    product_name="Mật ong hoa nhãn Hưng Yên", category=category, by=chuthe)
print(json.dumps({"dossier": dossier.pk}))
"""

ENQUEUE = """
import json, sys
from ocop.core.tasks import probe
run = sys.argv[1]
print(json.dumps([str(probe.enqueue(run, n).id) for n in range(int(sys.argv[2]))]))
"""

JOBS = """
from ocop.core.scheduler import JOBS
print(" ".join(job.name for job in JOBS))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def say(text: str) -> None:
    print(text, flush=True)


class Fleet:
    """The processes started for the check, stopped together at the end whatever happens."""

    def __init__(self) -> None:
        self.processes: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = open(VAR / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append((name, process))
        return process

    def stop(self) -> None:
        for _name, process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for _name, process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    def check_alive(self) -> None:
        for name, process in self.processes:
            if process.poll() is not None:
                raise SystemExit(f"FAIL: {name} stopped (exit {process.returncode}); see {VAR / (name + '.log')}")


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"FAIL: {url} did not answer within {seconds:.0f} s")


def csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def query(sql: str, *params) -> list[tuple]:
    with psycopg.connect(f"{PG}/{DB}") as conn:
        return conn.execute(sql, params).fetchall()


def main() -> int:
    started = time.monotonic()
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    fleet = Fleet()
    results: list[tuple[str, bool, str]] = []

    def check(name: str, ok: bool, detail: str) -> None:
        results.append((name, ok, detail))
        say(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")

    s3_port = free_port()
    s3_url = f"http://127.0.0.1:{s3_port}"
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OCOP_", "DATABASE_", "AWS_"))}
    base_env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="scaleout-" + secrets.token_hex(24),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_COOKIES="false",  # plain HTTP on the loopback; TLS is the reverse proxy's (docs/deploy.md)
        DJANGO_SSL_REDIRECT="false",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_LOG_FORMAT="json",
        DATABASE_URL=f"{PG}/{DB}",
        DATABASE_REPLICA_URL=f"{PG}/{DB}?application_name=ocop-replica",
        DB_POOL="true",
        OCOP_CACHE="redis",
        REDIS_URL=REDIS_URL,
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=s3_url,
        AWS_S3_REGION_NAME="us-east-1",
        AWS_ACCESS_KEY_ID="scaleout",
        AWS_SECRET_ACCESS_KEY="scaleout-secret",  # noqa: S106 (the local S3 server checks no credentials)
        GUNICORN_WORKERS="2",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",  # mails land in <var>/mail/
    )
    machine = {name: {**base_env, "OCOP_VAR_DIR": str(VAR / name)} for name in ("A", "B")}

    def manage(*args: str, env: dict[str, str], stdin: str | None = None) -> str:
        out = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin, text=True,
                             capture_output=True)  # fmt: skip
        if out.returncode:
            raise SystemExit(f"FAIL: manage.py {' '.join(args)}\n{out.stdout}\n{out.stderr}")
        return out.stdout

    try:
        say(f"== local S3 server (moto) on {s3_url}, PostgreSQL database {DB}, Redis {REDIS_URL}")
        fleet.start("s3", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)], base_env)
        wait_for(s3_url)
        import boto3

        boto3.client("s3", endpoint_url=s3_url, region_name="us-east-1", aws_access_key_id="scaleout",
                     aws_secret_access_key="scaleout-secret").create_bucket(Bucket=BUCKET)  # noqa: S106  # fmt: skip
        redis.Redis.from_url(REDIS_URL).flushdb()
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{DB}"')

        say("== migrate, reference data, demo data (once, from A)")
        manage("migrate", "--no-input", "-v0", env=machine["A"])
        manage("load_reference", env=machine["A"])
        manage("load_criteria", env=machine["A"])
        manage("seed_demo", "--products", "80", "--seed", "5", env=machine["A"])
        dossier = json.loads(manage("shell", "-c", SETUP, env=machine["A"]).strip().splitlines()[-1])["dossier"]
        for name in ("A", "B"):
            manage("collectstatic", "--no-input", "-v0", env=machine[name])

        say("== two app servers, two task workers, two schedulers")
        ports = {"A": free_port(), "B": free_port()}
        for name in ("A", "B"):
            env = {**machine[name], "GUNICORN_BIND": f"127.0.0.1:{ports[name]}"}
            fleet.start(f"web-{name}", [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], env)
            fleet.start(f"worker-{name}", [sys.executable, "manage.py", "db_worker", "--interval", "0.2"],
                        machine[name])  # fmt: skip
            fleet.start(f"scheduler-{name}", [sys.executable, "manage.py", "scheduler", "--interval", "1"],
                        machine[name])  # fmt: skip
        a, b = (f"http://127.0.0.1:{ports[n]}" for n in ("A", "B"))
        wait_for(f"{a}/healthz")
        wait_for(f"{b}/healthz")
        fleet.check_alive()

        # 1. Sessions: sign in on A, carry on on B.
        browser = requests.Session()
        page = browser.get(f"{a}/tai-khoan/dang-nhap/").text
        browser.post(f"{a}/tai-khoan/dang-nhap/", data={"csrfmiddlewaretoken": csrf(page), "username": "chuthe",
                     "password": PASSWORD}, headers={"Referer": a}, allow_redirects=False)  # fmt: skip
        profile = browser.get(f"{b}/tai-khoan/ho-so/", allow_redirects=False)
        check("session", profile.status_code == 200 and "chuthe" in profile.text,
              f"signed in on A, profile on B answered {profile.status_code}")  # fmt: skip

        # 2. Files: evidence uploaded on A, downloaded on B through a signed S3 address.
        content = b"%PDF-1.4\n% scale-out " + secrets.token_hex(16).encode() + b"\n%%EOF\n"
        detail = browser.get(f"{a}/ho-so/{dossier}/").text
        browser.post(f"{a}/ho-so/{dossier}/minh-chung/", data={"csrfmiddlewaretoken": csrf(detail),
                     "title": "Phiếu kiểm nghiệm"}, files={"file": ("kiểm nghiệm.pdf", content, "application/pdf")},
                     headers={"Referer": a})  # fmt: skip
        evidence = query("SELECT id, file FROM evaluation_evidence WHERE dossier_id = %s", dossier)
        redirect = browser.get(f"{b}/ho-so/{dossier}/minh-chung/{evidence[0][0]}/", allow_redirects=False)
        location = redirect.headers.get("Location", "")
        download = requests.get(location, timeout=10) if location.startswith(s3_url) else None
        check("files", bool(download is not None and download.content == content and "X-Amz-Expires" in location),
              f"uploaded on A as {evidence[0][1]!r}; B redirected to the S3 server with a signed address "
              f"({'X-Amz-Expires' in location}) and the {len(content)} bytes came back identical")  # fmt: skip

        # 3. Tasks: 200 at once, each exactly once, on both workers.
        run = secrets.token_hex(4)
        ids = json.loads(manage("shell", "-c", ENQUEUE.replace("sys.argv[1]", repr(run)).replace(
            "int(sys.argv[2])", str(PROBES)), env=machine["A"]).strip().splitlines()[-1])  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            done = query("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE id = ANY(%s::uuid[])"
                         " AND status IN ('SUCCESSFUL', 'FAILED')", ids)[0][0]  # fmt: skip
            if done == PROBES:
                break
            time.sleep(0.5)
        rows = query("SELECT status, return_value FROM django_tasks_database_dbtaskresult"
                     " WHERE id = ANY(%s::uuid[])", ids)  # fmt: skip
        counts = redis.Redis.from_url(REDIS_URL).mget([f"ocop:1:probe:{run}:{n}" for n in range(PROBES)])
        executions = [int(c) if c is not None else 0 for c in counts]
        pids = {value for _status, value in rows}
        check("tasks", len(rows) == PROBES and all(s == "SUCCESSFUL" for s, _ in rows)
              and executions == [1] * PROBES and len(pids) == 2,
              f"{len(rows)} queued, {sum(s == 'SUCCESSFUL' for s, _ in rows)} successful, executions per task "
              f"{sorted(set(executions))}, run by {len(pids)} worker processes")  # fmt: skip

        # 4. Cache: a certificate revoked through A is seen through B at once.
        def certified_through_b() -> int:
            text = requests.get(f"{b}/thong-ke/", timeout=30).text
            return int(re.search(r"duy trì ([\d.]+) sản phẩm", text).group(1).replace(".", ""))

        before = certified_through_b()
        for _ in range(8):  # every worker process of B has read (and, without a shared cache, kept) the figure
            certified_through_b()
        code = query(
            "SELECT c.verification_code FROM certification_certificate c JOIN catalog_product p ON p.id = c.product_id"
            " JOIN producers_producer r ON r.id = p.producer_id JOIN accounts_user u ON u.username = 'tinh'"
            " WHERE r.province_id = u.province_id AND c.status = 'valid' AND c.revoked_on IS NULL"
            " AND c.expires_on > CURRENT_DATE AND NOT EXISTS (SELECT 1 FROM certification_certificate o"
            " WHERE o.product_id = c.product_id AND o.id <> c.id AND o.status = 'valid') ORDER BY c.id LIMIT 1"
        )[0][0]  # fmt: skip
        officer = requests.Session()
        page = officer.get(f"{a}/tai-khoan/dang-nhap/").text
        officer.post(f"{a}/tai-khoan/dang-nhap/", data={"csrfmiddlewaretoken": csrf(page), "username": "tinh",
                     "password": PASSWORD}, headers={"Referer": a})  # fmt: skip
        form = officer.get(f"{a}/verify/{code}/thu-hoi/").text
        revoked = officer.post(f"{a}/verify/{code}/thu-hoi/", data={
            "csrfmiddlewaretoken": csrf(form), "decision_number": "99/QĐ-UBND",
            "revoked_on": time.strftime("%d/%m/%Y"), "reason": "Kiểm tra mở rộng quy mô"},
            headers={"Referer": a}, allow_redirects=False)  # fmt: skip
        after = certified_through_b()
        check(
            "cache",
            revoked.status_code == 302 and after == before - 1,
            f"certified products through B: {before} before, {after} after revoking {code} through A",
        )

        # 5. Schedulers: both ticked every second all along; each daily run was queued once and ran once.
        runs = query("SELECT job, COUNT(*) FROM core_scheduledrun GROUP BY job ORDER BY job")
        jobs = manage("shell", "-v0", env=machine["A"], stdin=JOBS).split()
        expected_runs = sorted((job, 1) for job in jobs)
        daily = query("SELECT status FROM django_tasks_database_dbtaskresult"
                      " WHERE task_path = 'ocop.certification.tasks.certificates_daily_task'")  # fmt: skip
        check(
            "scheduler",
            runs == expected_runs and daily == [("SUCCESSFUL",)],
            f"runs claimed {runs} (expected {expected_runs}); certificate run tasks {[s for (s,) in daily]}",
        )

        # 6. Ready on both; the replica connection in use.
        ready = [requests.get(f"{url}/readyz", timeout=10).json() for url in (a, b)]
        replica = query("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'ocop-replica'")[0][0]
        check(
            "ready",
            all(r["status"] == "ok" for r in ready) and replica > 0,
            f"/readyz {ready[0]['checks']} on A and B; {replica} replica connection(s) open",
        )
        fleet.check_alive()
    finally:
        fleet.stop()
    failed = [name for name, ok, _ in results if not ok]
    say(f"== {len(results) - len(failed)}/{len(results)} checks passed in {time.monotonic() - started:.0f} s"
        + (f"; failed: {', '.join(failed)} (logs in {VAR})" if failed else ""))  # fmt: skip
    return 1 if failed or len(results) < 6 else 0


if __name__ == "__main__":
    sys.exit(main())
