"""On PostgreSQL a query a connection runs again and again is prepared once and its plan kept
(settings: server-side binding and psycopg's prepare_threshold), instead of planned on every run."""

import pytest
from django.db import connection

from closewell.accounts.models import User
from closewell.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")


def prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_query_run_often_is_prepared_with_its_values_as_parameters(db):
    users = UserFactory.create_batch(7)
    for user in users:
        User.objects.filter(pk=user.pk).values_list("username", flat=True).get()
    statements = [s for s in prepared() if s.startswith('SELECT "accounts_user"."username" AS')]
    assert len(statements) == 1, prepared()
    assert "$1" in statements[0] and str(users[-1].pk) not in statements[0]
