"""The API against its own OpenAPI schema (schemathesis, in-process through WSGI, bounded examples):
no server error, and every status code, content type and body as the schema documents them."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from ocop.accounts.services import api_token_create
from ocop.certification.services import products_sync_certification
from ocop.dashboards.tests.helpers import holding, registrations
from ocop.geo.models import Province

EXAMPLES = 25  # per operation: about 450 calls in all, a few seconds
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """As Django's test client does: a request must not close the connection holding the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, cao_bang, wsgi_keeps_the_test_connection):
    products = holding(cao_bang, products=6, producers=3, levels={3: 4, 4: 1, 5: 1}, on=timezone.localdate())
    products_sync_certification([p.pk for p in products])
    registrations(Province.objects.get(code="04"), timezone.localdate().year, {"new": 2})
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def token(central_officer) -> str:
    return api_token_create(user=central_officer, name="schemathesis")[1]


def test_every_operation_conforms_to_the_schema(api_schema, token):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 14
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def conforms(case):
            cache.clear()  # the per-IP throttle would otherwise answer 429 to most generated calls
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

        conforms()
