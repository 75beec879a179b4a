"""Child search and the case lists read only the rows they show. Search: the name prefixes and LA
child IDs it matches are answered from the indexes of cases/0005 on both databases, and the order
does not depend on one (upper-case names, so the same on SQLite and PostgreSQL). The team case lists:
a team's open cases from their index (cases/0006). Timings are make bench's (bench/search.py)."""

import pytest
from django.db import connection

from closewell.accounts.tests.factories import DataOfficerFactory, TeamFactory, TeamManagerFactory
from closewell.cases.selectors import children_search, episodes_for_user
from closewell.cases.tests.factories import ChildFactory, EpisodeFactory

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


def test_a_two_word_search_reads_only_the_children_matching_both_words():
    """PostgreSQL reads the children table once, through the words' index lookups; the set of ids
    SQLite needs (the longest word's matches) made it read every child matching that word as well."""
    for first, last in (("Olivia", "Smith"), ("Olivia", "Jones"), ("Jack", "Smith")):
        ChildFactory(first_name=first, last_name=last)
    shown = plan(children_search(DataOfficerFactory(), "Olivia Smith")[:20])
    if connection.vendor == "postgresql":
        assert "SubPlan" not in shown and shown.count(" on cases_child ") == 1, shown
    else:
        assert "LIST SUBQUERY" in shown, shown  # the longest word's ids, through the indexes
    assert any(index in shown for index in PREFIX_INDEXES), shown


def test_a_team_case_list_reads_the_teams_open_cases_from_their_index():
    """Not every open case in the council through one_open_episode_per_child, kept by team."""
    team, other = TeamFactory(), TeamFactory()
    for n in range(12):
        EpisodeFactory(team=team if n % 2 else other, closed=n % 3 == 0)
    manager = TeamManagerFactory(managed_teams=[team])
    shown = plan(episodes_for_user(manager, own=False)[:25])
    assert "open_episodes_by_team" in shown, shown
    assert "one_open_episode_per_child" not in shown, shown
