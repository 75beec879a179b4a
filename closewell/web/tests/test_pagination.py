"""OneQueryPaginator: on a database server a list page reads its rows and how many there are in all
in one statement (on SQLite, in this process, Django's COUNT and page are cheaper), and pages like
Django's Paginator (past the end, the last page; not a number, the first). `window=True` tests the
one statement on SQLite too."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closewell.accounts.models import Role, Team, User
from closewell.web.pagination import OneQueryPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams():
    Team.objects.bulk_create(Team(name=f"Team {n:02d}") for n in range(1, 8))
    return Team.objects.order_by("name")


def names(page) -> list[str]:
    return [team.name for team in page]


def test_a_page_and_the_count_come_from_one_statement(teams):
    with CaptureQueriesContext(connection) as captured:
        page = OneQueryPaginator(teams, 3, window=True).get_page("2")
        assert names(page) == ["Team 04", "Team 05", "Team 06"]
        assert (page.paginator.count, page.paginator.num_pages) == (7, 3)
        assert page.has_next() and page.has_previous()
    assert len(captured) == 1, [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("number", ["1", "2", "3", "9", "0", "-1", "x", None])
def test_it_pages_as_django_does(teams, number):
    ours, django = (
        OneQueryPaginator(teams, 3, window=True).get_page(number),
        Paginator(teams, 3).get_page(number),
    )
    assert (ours.number, names(ours), ours.paginator.count) == (
        django.number,
        names(django),
        django.paginator.count,
    )


def test_an_empty_list_is_one_statement_too(teams):
    with CaptureQueriesContext(connection) as captured:
        page = OneQueryPaginator(teams.filter(name="None such"), 3, window=True).get_page(1)
        assert (list(page), page.paginator.count, page.paginator.num_pages) == ([], 0, 1)
    assert len(captured) == 1


def test_a_distinct_query_is_counted_as_django_does(teams):
    """COUNT(*) OVER () would count the rows before DISTINCT (or UNION) removes the repeated ones."""
    two = Team.objects.filter(name__in=["Team 01", "Team 02"]).order_by()
    union = two.union(Team.objects.filter(name="Team 01").order_by()).order_by("name")
    assert OneQueryPaginator(union, 5, window=True).get_page(1).paginator.count == 2
    first = teams.first()
    for username in ("a", "b", "c"):
        User.objects.create_user(username, role=Role.SOCIAL_WORKER, team=first)
    with_members = Team.objects.filter(members__isnull=False)
    assert with_members.count() == 3
    assert OneQueryPaginator(with_members.distinct(), 5, window=True).get_page(1).paginator.count == 1


def test_one_statement_on_a_database_server_two_on_sqlite(teams):
    with CaptureQueriesContext(connection) as captured:
        page = OneQueryPaginator(teams, 3).get_page(1)
        assert (names(page), page.paginator.count) == (["Team 01", "Team 02", "Team 03"], 7)
    assert len(captured) == (2 if connection.vendor == "sqlite" else 1)
