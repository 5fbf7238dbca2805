"""The production profile as docs/deploy.md describes it: Debian's nginx (deploy/nginx/ocop-locations.conf, as
shipped) in front of gunicorn with DEBUG off. Public media are served by the proxy; the lockout counts the real
client behind it; a client writing X-Forwarded-For itself is not believed."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.core.management import call_command

from deploy.nginx import NGINX, nginx_start
from ocop.core.tests.test_faults import _database_url

ROOT = Path(__file__).resolve().parents[3]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A client from one loopback address (127.0.0.2, 127.0.0.3 …: another machine as far as nginx knows),
    keeping its cookies."""

    def __init__(self, port: int, source: str) -> None:
        self.port, self.source = port, source
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=(self.source, 0))
        sent = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, dict(response.getheaders()), content

    def login(self, username: str, password: str) -> int:
        status, _headers, page = self.request("GET", "/tai-khoan/dang-nhap/")
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, (status, page[:3000])
        token = found.group(1).decode()
        status, _headers, _page = self.request(
            "POST", "/tai-khoan/dang-nhap/", {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        return status


@pytest.fixture
def site(tmp_path, settings):
    """gunicorn (DEBUG off) behind nginx, on the test database; yields the proxy's port and the media folder."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is installed by `make test` (Debian's nginx-light)")
    call_command("load_reference", verbosity=0)
    media = tmp_path / "var" / "media"
    media.mkdir(parents=True)
    app_port, proxy_port = _port(), _port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "OCOP_", "DJANGO_"))}
    env.update(
        DATABASE_URL=_database_url(), OCOP_VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_BEHIND_PROXY="true",
        DJANGO_SSL_REDIRECT="false", DJANGO_SECURE_COOKIES="false", OCOP_TRUSTED_PROXIES="127.0.0.1",
        GUNICORN_BIND=f"127.0.0.1:{app_port}", GUNICORN_WORKERS="2",
    )  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    nginx = nginx_start(tmp_path / "nginx", port=proxy_port, upstream=f"127.0.0.1:{app_port}", media_root=media)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if Browser(proxy_port, "127.0.0.1").request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert gunicorn.poll() is None, gunicorn.stderr.read().decode()[-3000:] if gunicorn.stderr else ""
            assert nginx.poll() is None, nginx.stderr.read().decode()[-3000:] if nginx.stderr else ""
            assert time.monotonic() < deadline, "the site did not come up behind nginx"
            time.sleep(0.3)
        yield {"port": proxy_port, "app_port": app_port, "media": media}
    finally:
        for process in (nginx, gunicorn):
            process.terminate()
            process.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_public_media_are_served_by_the_proxy(site):
    picture = site["media"] / "products" / "2026" / "12" / "anh.png"
    picture.parent.mkdir(parents=True)
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    status, headers, body = Browser(site["port"], "127.0.0.2").request("GET", "/media/products/2026/12/anh.png")
    assert status == 200 and body == picture.read_bytes()
    assert headers.get("Content-Type") == "image/png" and headers.get("X-Content-Type-Options") == "nosniff"
    assert Browser(site["port"], "127.0.0.2").request("GET", "/media/products/khong-co.png")[0] == 404
    # The app itself does not serve them in production (DEBUG off): the proxy's job.
    assert Browser(site["app_port"], "127.0.0.1").request("GET", "/media/products/2026/12/anh.png")[0] == 404


@pytest.mark.django_db(transaction=True)
def test_failures_from_one_machine_behind_the_proxy_do_not_lock_out_another(site, password):
    from ocop.accounts.models import User
    from ocop.accounts.tests.factories import UserFactory
    from ocop.geo.models import Province

    UserFactory(username="tinh-nginx", role=User.Role.PROVINCE_OFFICER, province=Province.objects.get(code="04"))
    attacker = Browser(site["port"], "127.0.0.2")
    for _ in range(6):  # also claiming, in vain, to be someone else
        attacker.request("GET", "/healthz")
        attacker.login("tinh-nginx", "sai-mat-khau")
    owner = Browser(site["port"], "127.0.0.3")
    assert owner.login("tinh-nginx", password) == 302  # signed in: the lockout is the attacker's machine's
    assert attacker.login("tinh-nginx", password) != 302  # still locked out there
