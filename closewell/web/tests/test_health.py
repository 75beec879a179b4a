"""GET /healthz: open to load balancers without signing in; 503 when the database fails."""

from unittest import mock

import pytest
from django.db import DatabaseError, OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthy_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["database"] == "ok"
    assert response.json() == {"status": "ok", "database": "ok"}


def test_named_url():
    assert reverse("healthz") == "/healthz"


@pytest.mark.parametrize("error", [DatabaseError, OperationalError])
def test_503_when_the_database_errors(client, error):
    with mock.patch("closewell.web.health.connection.cursor", side_effect=error("server closed")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_503_when_the_query_fails(client):
    cursor = mock.MagicMock()
    cursor.__enter__.return_value.execute.side_effect = DatabaseError("terminating connection")
    with mock.patch("closewell.web.health.connection.cursor", return_value=cursor):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_only_get(client):
    assert client.post("/healthz").status_code == 405
