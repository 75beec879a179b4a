"""Users and teams: the rules the database holds for them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from closewell.accounts.models import Role
from closewell.accounts.tests.factories import (
    AdministratorFactory,
    DataOfficerFactory,
    TeamFactory,
    TeamManagerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_social_worker_without_a_team_is_refused_by_the_database():
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        UserFactory(team=None)
    assert "social_worker_has_team" in str(error.value)


def test_social_worker_moved_out_of_every_team_is_refused():
    worker = UserFactory()
    worker.team = None
    with pytest.raises(IntegrityError), transaction.atomic():
        worker.save()


def test_full_clean_says_a_social_worker_needs_a_team():
    with pytest.raises(ValidationError, match="A social worker must belong to a team"):
        UserFactory.build(team=None).full_clean()


@pytest.mark.parametrize("factory", [TeamManagerFactory, DataOfficerFactory, AdministratorFactory])
def test_other_roles_need_no_team(factory):
    user = factory(team=None)
    assert user.team is None


def test_team_names_are_unique():
    TeamFactory(name="Edge Team")
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamFactory._meta.model.objects.create(name="Edge Team")


def test_manager_manages_the_teams_given():
    teams = TeamFactory.create_batch(2)
    manager = TeamManagerFactory(managed_teams=teams)
    assert set(manager.managed_teams.all()) == set(teams)
    assert manager.is_team_manager and not manager.is_social_worker


def test_role_properties():
    assert UserFactory().is_social_worker
    assert DataOfficerFactory().is_data_officer
    assert AdministratorFactory().is_administrator
    assert UserFactory.build().role == Role.SOCIAL_WORKER


def test_str_is_the_full_name_or_the_username():
    assert str(UserFactory.build(first_name="Dora", last_name="Pemberton")) == "Dora Pemberton"
    assert str(UserFactory.build(username="dpem", first_name="", last_name="")) == "dpem"
