"""Child search reads only the matching children: the name prefixes and LA child IDs it matches are
answered from the indexes of cases/0005 on both databases, and the order does not depend on one
(upper-case names, so the same on SQLite and PostgreSQL). Timings are make bench's (bench/search.py)."""

import pytest
from django.db import connection

from closewell.accounts.tests.factories import DataOfficerFactory
from closewell.cases.selectors import children_search
from closewell.cases.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

PREFIX_INDEXES = {f"cases_child_{column}_prefix" for column in ("first_name", "last_name", "preferred_name")}


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A test table is tiny, where reading it all is cheapest: ask whether the indexes *can*
            # answer the search, as they do on a council's caseload (make bench shows the plans' times).
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.parametrize("query", ["Smith", "smi", "Olivia Smith", "GEN0000123"])
def test_a_search_by_name_or_id_reads_through_the_prefix_indexes(query):
    for first, last in (("Olivia", "Smith"), ("Jack", "Jones"), ("Ava", "Smithson"), ("Noah", "Brown")):
        ChildFactory(first_name=first, last_name=last)
    shown = plan(children_search(DataOfficerFactory(), query)[:20])
    assert any(index in shown for index in PREFIX_INDEXES), shown
    assert "cases_child_last_na_6bcacc_idx" not in shown  # not walking every name in order


def test_names_are_listed_alphabetically_whatever_their_case():
    for last in ("de Souza", "Dean", "Delaney", "DEWAR"):
        ChildFactory(first_name="Ann", last_name=last)
    found = [child.last_name for child in children_search(DataOfficerFactory(), "Ann")]
    assert found == ["de Souza", "Dean", "Delaney", "DEWAR"]
