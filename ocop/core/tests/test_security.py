"""Web security: the Content-Security-Policy, lockout after repeated failed logins, deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from ocop.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def test_pages_carry_a_policy_without_inline_scripts_and_no_framing(client):
    response = client.get(reverse("site:home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and response["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()  # nothing inline for the policy to block


def test_the_docs_page_of_the_api_needs_nothing_inline_either(client):
    body = client.get("/api/v1/docs").content.decode()
    assert "<script>" not in body and "<style>" not in body


def test_five_wrong_passwords_lock_the_account_on_that_connection(client, province_officer):
    url = reverse("accounts:login")
    statuses = [
        client.post(url, {"username": "province", "password": "sai-mat-khau"}, REMOTE_ADDR="10.2.2.2").status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the form says "wrong password" four times, then locks
    locked = client.post(url, {"username": "province", "password": PASSWORD}, REMOTE_ADDR="10.2.2.2")
    assert locked.status_code == 429 and "Đăng nhập sai quá nhiều lần" in locked.content.decode()
    elsewhere = client.post(url, {"username": "province", "password": PASSWORD}, REMOTE_ADDR="10.3.3.3")
    assert elsewhere.status_code == 302  # another connection is not punished for the attacker's tries


SEVERAL_MACHINES = {  # the production profile of docs/deploy.md
    "DATABASE_URL": "postgres://ocop@db.internal:5432/ocop", "DATABASE_REPLICA_URL": "postgres://ocop@replica:5432/ocop",
    "DB_POOL": "true", "OCOP_CACHE": "redis", "REDIS_URL": "redis://cache.internal:6379/0", "MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "ocop-media", "AWS_S3_ENDPOINT_URL": "https://s3.internal", "AWS_ACCESS_KEY_ID": "k",
    "AWS_SECRET_ACCESS_KEY": "s", "DJANGO_BEHIND_PROXY": "true", "DJANGO_LOG_FORMAT": "json",
}  # fmt: skip


@pytest.mark.parametrize("profile", [{}, SEVERAL_MACHINES], ids=["one-machine", "several-machines"])
def test_the_deploy_checks_are_clean_in_production_mode(profile):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OCOP_", "DATABASE_", "AWS_"))}
    env.update(DJANGO_SECRET_KEY="a-long-random-production-secret-" + "x" * 40, DJANGO_ALLOWED_HOSTS="ocop.example.vn",
               DJANGO_SETTINGS_MODULE="config.settings", **profile)  # fmt: skip
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
