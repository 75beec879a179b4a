"""Shared fixtures: two teams with a case in the first. Anything more belongs beside its tests."""

import pytest

from closewell.accounts.tests.factories import TeamFactory, UserFactory
from closewell.cases.tests.factories import EpisodeFactory


@pytest.fixture
def team(db):
    return TeamFactory(name="Northmoor Assessment Team")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Southvale Family Support Team")


@pytest.fixture
def worker(team):
    return UserFactory(team=team)


@pytest.fixture
def episode(team, worker):
    """An open episode of the first team, allocated to `worker`."""
    return EpisodeFactory(team=team, worker=worker)
