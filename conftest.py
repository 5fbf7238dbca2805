"""Shared fixtures: reference data loaded once per test database, one user fixture per role."""

from __future__ import annotations

import secrets
import socket
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import call_command
from factory.random import reseed_random

from config.storages import s3_storages
from ocop.accounts.models import User
from ocop.accounts.tests.factories import PASSWORD, UserFactory
from ocop.geo.models import Commune, Province


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load provinces, communes and the classification once; each test runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture(autouse=True)
def _deterministic_factories():
    reseed_random(20250701)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached facets and figures never leak from one test into another (nor the search vocabulary each process
    keeps under the catalog version, which starts again at 1 once the cache is empty)."""
    from ocop.catalog import search, selectors

    cache.clear()
    search._memo.clear()
    selectors._CATEGORY_NAMES.clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def cao_bang(db) -> Province:
    return Province.objects.get(code="04")


@pytest.fixture
def ha_noi(db) -> Province:
    return Province.objects.get(code="01")


@pytest.fixture
def commune(db, cao_bang) -> Commune:
    return Commune.objects.filter(province=cao_bang).order_by("code").first()


@pytest.fixture
def other_commune(db, cao_bang, commune) -> Commune:
    return Commune.objects.filter(province=cao_bang).exclude(pk=commune.pk).order_by("code").first()


@pytest.fixture
def producer_user(db):
    return UserFactory(username="producer", role=User.Role.PRODUCER)


@pytest.fixture
def buyer(db):
    return UserFactory(username="buyer", role=User.Role.BUYER, organisation="Siêu thị Xanh")


@pytest.fixture
def commune_officer(db, commune):
    return UserFactory(username="commune", role=User.Role.COMMUNE_OFFICER, commune=commune, province=commune.province)


@pytest.fixture
def province_officer(db, cao_bang):
    return UserFactory(username="province", role=User.Role.PROVINCE_OFFICER, province=cao_bang)


@pytest.fixture
def council_member(db, cao_bang):
    return UserFactory(username="council", role=User.Role.COUNCIL_MEMBER, province=cao_bang)


@pytest.fixture
def central_officer(db):
    return UserFactory(username="central", role=User.Role.CENTRAL_OFFICER)


@pytest.fixture
def site_admin(db):
    return UserFactory(username="admin", role=User.Role.SITE_ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture(scope="session")
def s3_server():
    """A local S3-compatible server (moto's server mode) on 127.0.0.1, for the MEDIA_STORAGE=s3 profile."""
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_media(s3_server, settings):
    """The storages MEDIA_STORAGE=s3 sets up (config.storages), on a fresh bucket of the local S3 server."""
    import boto3

    bucket = f"ocop-test-{secrets.token_hex(4)}"
    keys = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **keys)
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        **s3_storages(
            bucket=bucket,
            endpoint_url=s3_server,
            region="us-east-1",
            access_key="test",
            secret_key="test",
            private_url_seconds=settings.OCOP_PRIVATE_URL_SECONDS,
        ),
    }
    return SimpleNamespace(client=client, bucket=bucket, endpoint=s3_server)


@pytest.fixture
def work(monkeypatch):
    """Run the queued background tasks (imports, e-mail) with `manage.py db_worker`, as in production.

    The worker recycles its database connection between tasks; inside a test the connection holds the
    test's transaction, so only that recycling is turned off.
    """
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
