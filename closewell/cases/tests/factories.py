"""Factories for the case register. Every default is valid; names are fictional (en_GB Faker)."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from closewell.accounts.tests.factories import TeamFactory, UserFactory
from closewell.cases.codes import (
    AssessmentFactor,
    CategoryOfAbuse,
    Dimension,
    ReasonForClosure,
    ReferralSource,
    Sex,
    UPNUnknown,
)
from closewell.cases.models import (
    Assessment,
    Child,
    ChildPerson,
    Contact,
    ContactType,
    CustodyStatus,
    DomesticAbuse,
    Episode,
    EpisodeStatus,
    LookedAfterPeriod,
    Person,
    Plan,
    PlannedAction,
    PlanType,
    Relationship,
    Responsible,
    Section47,
)

REFERRAL_DATE = dt.date(2026, 3, 2)


def at_ten(day: dt.date) -> dt.datetime:
    """10:00 local time on a day, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


class ChildFactory(DjangoModelFactory):
    """A child with a date of birth and a reason the UPN is unknown (`with_upn` gives a UPN)."""

    class Meta:
        model = Child

    class Params:
        with_upn = factory.Trait(upn=factory.Sequence(lambda n: f"A{n:012d}"), upn_unknown="")

    la_child_id = factory.Sequence(lambda n: f"LA{n:06d}")
    upn = ""
    upn_unknown = UPNUnknown.UN5
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker(
        "date_between", start_date=dt.date(2010, 1, 1), end_date=dt.date(2024, 12, 31)
    )
    sex = Sex.FEMALE


class LookedAfterPeriodFactory(DjangoModelFactory):
    class Meta:
        model = LookedAfterPeriod

    child = factory.SubFactory(ChildFactory)
    start_date = dt.date(2025, 1, 6)
    end_date = None
    legal_status = "C2"


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")


class ChildPersonFactory(DjangoModelFactory):
    class Meta:
        model = ChildPerson

    child = factory.SubFactory(ChildFactory)
    person = factory.SubFactory(PersonFactory)
    relationship = Relationship.MOTHER
    has_parental_responsibility = True
    lives_with_child = True


class EpisodeFactory(DjangoModelFactory):
    """An open episode in a team, allocated to a worker of that team. `closed` closes it."""

    class Meta:
        model = Episode

    class Params:
        closed = factory.Trait(
            status=EpisodeStatus.CLOSED,
            closure_date=factory.LazyAttribute(lambda e: e.referral_date + dt.timedelta(days=90)),
            closed_at=factory.LazyAttribute(lambda e: at_ten(e.closure_date)),
            reason_for_closure=ReasonForClosure.RC7,
        )

    child = factory.SubFactory(ChildFactory)
    referral_date = REFERRAL_DATE
    referral_source = ReferralSource.SCHOOLS
    team = factory.SubFactory(TeamFactory)
    worker = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..team"))


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = Assessment

    episode = factory.SubFactory(EpisodeFactory)
    start_date = factory.LazyAttribute(lambda a: a.episode.referral_date)
    authorisation_date = factory.LazyAttribute(lambda a: a.start_date + dt.timedelta(days=30))
    factors = factory.LazyFunction(lambda: [AssessmentFactor.MH_PARENT])
    summary = "Needs identified around the parent's mental health."


class Section47Factory(DjangoModelFactory):
    class Meta:
        model = Section47

    episode = factory.SubFactory(EpisodeFactory)
    start_date = factory.LazyAttribute(lambda s: s.episode.referral_date)
    icpc_not_required = True


class PlanFactory(DjangoModelFactory):
    """A child in need plan; `cp` gives a child protection plan with its categories."""

    class Meta:
        model = Plan

    class Params:
        cp = factory.Trait(
            kind=PlanType.CP, initial_category=CategoryOfAbuse.NEG, latest_category=CategoryOfAbuse.NEG
        )

    episode = factory.SubFactory(EpisodeFactory)
    kind = PlanType.CIN
    start_date = factory.LazyAttribute(lambda p: p.episode.referral_date + dt.timedelta(days=35))


class PlannedActionFactory(DjangoModelFactory):
    """An action in a plan of its episode; `unplanned` gives an unplanned service."""

    class Meta:
        model = PlannedAction

    class Params:
        unplanned = factory.Trait(is_unplanned=True, plan=None, impact="Helped the family settle.")

    episode = factory.SubFactory(EpisodeFactory)
    plan = factory.SubFactory(PlanFactory, episode=factory.SelfAttribute("..episode"))
    dimension = Dimension.HEALTH
    description = "Attend the health review with the school nurse"
    responsible = Responsible.SERVICE
    planned_level = "Once"


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    episode = factory.SubFactory(EpisodeFactory)
    occurred_at = factory.LazyAttribute(lambda c: at_ten(c.episode.referral_date + dt.timedelta(days=3)))
    kind = ContactType.HOME_VISIT
    child_seen = True
    child_seen_alone = False
    note = "Visited at home; the child showed me their room."
    worker = factory.LazyAttribute(lambda c: c.episode.worker or UserFactory(team=c.episode.team))


class DomesticAbuseFactory(DjangoModelFactory):
    class Meta:
        model = DomesticAbuse

    episode = factory.SubFactory(EpisodeFactory)
    perpetrator = factory.SubFactory(PersonFactory)
    victim = factory.SubFactory(PersonFactory)
    custody_status = CustodyStatus.IN_COMMUNITY
