"""Factories for teams and users: one user factory, a trait per role, fictional names only."""

import factory
from factory.django import DjangoModelFactory

from closewell.accounts.models import Role, Team, User


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Assessment Team {n}")


class UserFactory(DjangoModelFactory):
    """A social worker in a team by default; `manager`, `data_officer`, `administrator` and
    `inactive` traits give the other roles. A manager manages `managed_teams=[...]`, or a new team."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    class Params:
        manager = factory.Trait(role=Role.TEAM_MANAGER, team=None)
        data_officer = factory.Trait(role=Role.DATA_OFFICER, team=None)
        administrator = factory.Trait(role=Role.ADMINISTRATOR, team=None)
        inactive = factory.Trait(is_active=False)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    role = Role.SOCIAL_WORKER
    team = factory.SubFactory(TeamFactory)
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def managed_teams(self, create, extracted, **kwargs):
        if not create or self.role != Role.TEAM_MANAGER:
            return
        teams = extracted if extracted is not None else [TeamFactory()]
        self.managed_teams.set(teams)


class SocialWorkerFactory(UserFactory):
    pass


class TeamManagerFactory(UserFactory):
    manager = True


class DataOfficerFactory(UserFactory):
    data_officer = True


class AdministratorFactory(UserFactory):
    administrator = True
