"""Who may see and change which case: every role against a case of their team, of another team,
and a closed case."""

import pytest
from django.contrib.auth.models import AnonymousUser

from closewell.accounts.permissions import (
    can_edit_case,
    can_search_children,
    can_view_case,
    my_cases_filter,
    scope_children,
    scope_episodes,
    team_ids_for,
)
from closewell.accounts.tests.factories import (
    AdministratorFactory,
    DataOfficerFactory,
    TeamFactory,
    TeamManagerFactory,
    UserFactory,
)
from closewell.cases.models import Child, Episode
from closewell.cases.tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    """Team A with an open and a closed case, team B with an open case, and one user per role."""
    a, b = TeamFactory(name="Team A"), TeamFactory(name="Team B")
    users = {
        "worker of the team": UserFactory(team=a),
        "colleague in the team": UserFactory(team=a),
        "worker of another team": UserFactory(team=b),
        "manager of the team": TeamManagerFactory(managed_teams=[a]),
        "manager of another team": TeamManagerFactory(managed_teams=[b]),
        "manager of both teams": TeamManagerFactory(managed_teams=[a, b]),
        "data officer": DataOfficerFactory(),
        "administrator": AdministratorFactory(),
        "inactive worker of the team": UserFactory(team=a, inactive=True),
        "inactive manager of the team": TeamManagerFactory(managed_teams=[a], inactive=True),
        "inactive data officer": DataOfficerFactory(inactive=True),
    }
    open_a = EpisodeFactory(team=a, worker=users["worker of the team"])
    closed_a = EpisodeFactory(team=a, worker=users["worker of the team"], closed=True)
    open_b = EpisodeFactory(team=b, worker=users["worker of another team"])
    return {"a": a, "b": b, "users": users, "open": open_a, "closed": closed_a, "other": open_b}


# role -> (can view team A's case, can edit team A's open case)
MATRIX = {
    "worker of the team": (True, True),
    "colleague in the team": (True, True),
    "worker of another team": (False, False),
    "manager of the team": (True, True),
    "manager of another team": (False, False),
    "manager of both teams": (True, True),
    "data officer": (True, False),
    "administrator": (False, False),
    "inactive worker of the team": (False, False),
    "inactive manager of the team": (False, False),
    "inactive data officer": (False, False),
}


@pytest.mark.parametrize(("who", "expected"), MATRIX.items(), ids=MATRIX.keys())
def test_view_and_edit_an_open_case_of_team_a(world, who, expected):
    user = world["users"][who]
    can_view, can_edit = expected
    assert can_view_case(user, world["open"]) is can_view
    assert can_edit_case(user, world["open"]) is can_edit


@pytest.mark.parametrize(("who", "expected"), MATRIX.items(), ids=MATRIX.keys())
def test_a_closed_case_is_never_edited_rule_8565(world, who, expected):
    user = world["users"][who]
    can_view, _ = expected
    assert can_view_case(user, world["closed"]) is can_view
    assert can_edit_case(user, world["closed"]) is False


@pytest.mark.parametrize(("who", "expected"), MATRIX.items(), ids=MATRIX.keys())
def test_scope_children_and_episodes(world, who, expected):
    user = world["users"][who]
    can_view, _ = expected
    children = set(scope_children(user, Child.objects.all()))
    episodes = set(scope_episodes(user, Episode.objects.all()))
    team_a_children = {world["open"].child, world["closed"].child}
    assert (team_a_children <= children) is can_view
    assert ({world["open"], world["closed"]} <= episodes) is can_view
    sees_b = who in (
        "worker of another team",
        "manager of another team",
        "manager of both teams",
        "data officer",
    )
    assert (world["other"].child in children) is sees_b
    assert (world["other"] in episodes) is sees_b
    assert can_view_case(user, world["other"]) is sees_b


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("worker of the team", ["a"]),
        ("worker of another team", ["b"]),
        ("manager of the team", ["a"]),
        ("manager of both teams", ["a", "b"]),
        ("data officer", None),
        ("administrator", []),
        ("inactive worker of the team", []),
        ("inactive manager of the team", []),
        ("inactive data officer", []),
    ],
)
def test_team_ids_for(world, who, expected):
    ids = team_ids_for(world["users"][who])
    if expected is None:
        assert ids is None
    else:
        assert sorted(ids) == sorted(world[key].pk for key in expected)


def test_anonymous_user_sees_nothing(world):
    anonymous = AnonymousUser()
    assert team_ids_for(anonymous) == []
    assert not can_view_case(anonymous, world["open"])
    assert not scope_children(anonymous, Child.objects.all()).exists()
    assert not can_search_children(anonymous)


def test_a_child_known_to_two_teams_is_listed_once(world):
    child = world["other"].child
    EpisodeFactory(
        child=child,
        team=world["a"],
        closed=True,
        referral_date=world["open"].referral_date.replace(year=2024),
    )
    manager = world["users"]["manager of both teams"]
    assert list(scope_children(manager, Child.objects.filter(pk=child.pk))) == [child]
    assert child in scope_children(world["users"]["worker of the team"], Child.objects.all())


def test_a_team_can_see_a_child_whose_past_episode_it_held(world):
    """The child's later episode is with team B; team A still reads its own past work."""
    closed = world["closed"]
    EpisodeFactory(child=closed.child, team=world["b"], referral_date=closed.closure_date)
    assert closed.child in scope_children(world["users"]["worker of the team"], Child.objects.all())


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("worker of the team", True),
        ("manager of the team", True),
        ("data officer", True),
        ("administrator", False),
    ],
)
def test_can_search_children(world, who, allowed):
    assert can_search_children(world["users"][who]) is allowed


def test_my_cases_are_my_allocations_for_a_worker_and_my_teams_for_a_manager(world):
    colleague_case = EpisodeFactory(team=world["a"], worker=world["users"]["colleague in the team"])
    mine = Episode.objects.filter(my_cases_filter(world["users"]["worker of the team"]))
    assert set(mine) == {world["open"], world["closed"]}
    managed = Episode.objects.filter(my_cases_filter(world["users"]["manager of the team"]))
    assert set(managed) == {world["open"], world["closed"], colleague_case}
    assert not Episode.objects.filter(my_cases_filter(world["users"]["administrator"])).exists()
