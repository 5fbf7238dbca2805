"""Shared fixtures: reference data loaded once per test database, one user fixture per role."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from factory.random import reseed_random

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
    """Cached facets and figures never leak from one test into another."""
    cache.clear()


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
