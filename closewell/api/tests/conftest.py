"""The API's scenario: the Closure Record tests' case (a domestic-abuse case ready to close), with a
token for each of its users. Anything more belongs beside its tests."""

import pytest
from rest_framework.test import APIClient

from closewell.api.services import token_create
from closewell.closures.tests.conftest import COMPLETE, case, complete_record, people  # noqa: F401

ROLES = ("worker", "other_worker", "manager", "other_manager", "data")


@pytest.fixture
def client_for():
    """client_for(user) → an API client sending a new token of that user (None: no token)."""

    def make(user):
        client = APIClient()
        if user is not None:
            _, key = token_create(actor=None, user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    return make


@pytest.fixture
def as_role(case, client_for):  # noqa: F811 (the fixture imported above)
    """as_role(name) → a client acting as that user of the scenario ("anonymous": no token)."""
    return lambda role: client_for(None if role == "anonymous" else getattr(case, role))


def jsonable(data: dict) -> dict:
    """A section's data as JSON would carry it (dates as ISO strings)."""
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in data.items()}


COMPLETE_JSON = {section: jsonable(data) for section, data in COMPLETE.items()}
