"""Schemathesis against /api/v1/openapi.json, in-process through the WSGI app, with a worker's
token: no response is a server error, and every response (status, content type, body) is the one the
schema documents. Bounded to a few examples an operation, so it runs in well under two minutes."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def keep_connection():
    """Calling the WSGI app directly would close the test's database connection after each request
    (and so its transaction); Django's test client disconnects the same signals."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def auth(keep_connection, case, client_for, complete_record):  # noqa: F811 (the scenario's fixture)
    """A worker's token, on a case with a record in progress, so reads find something."""
    client = client_for(case.worker)
    return {"Authorization": client._credentials["HTTP_AUTHORIZATION"]}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_schema(case, auth):
    case.call_and_validate(headers=auth, checks=CHECKS)
