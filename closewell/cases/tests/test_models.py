"""The case register's rules as the database enforces them, and the models' own behaviour."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from closewell.cases.codes import AssessmentFactor, ReasonForClosure
from closewell.cases.models import Child, EpisodeStatus, PlanType
from closewell.cases.tests.factories import (
    AssessmentFactory,
    ChildFactory,
    ChildPersonFactory,
    ContactFactory,
    DomesticAbuseFactory,
    EpisodeFactory,
    LookedAfterPeriodFactory,
    PersonFactory,
    PlanFactory,
    PlannedActionFactory,
    Section47Factory,
    at_ten,
)

pytestmark = pytest.mark.django_db

D = dt.date
CLOSED = {
    "status": EpisodeStatus.CLOSED,
    "closure_date": D(2026, 6, 1),
    "closed_at": at_ten(D(2026, 6, 1)),
    "reason_for_closure": ReasonForClosure.RC7,
}


def refused(make, constraint: str | None = None):
    """The database refuses the row (IntegrityError), without spoiling the test's transaction.

    A check constraint is named in the error on SQLite and PostgreSQL alike: it must be this one."""
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        make()
    if constraint:
        assert constraint in str(error.value)


def _same_victim_and_perpetrator():
    person = PersonFactory()
    return DomesticAbuseFactory(perpetrator=person, victim=person)


def _linked_twice():
    link = ChildPersonFactory()
    return ChildPersonFactory(child=link.child, person=link.person, relationship="carer")


def _twice(factory):
    """Two rows imported with the same source system ID."""
    return lambda: [factory(source_id="SSD:row:1"), factory(source_id="SSD:row:1")]


# Each row: the constraint, whether the database names it in its error (check constraints), and a
# row that breaks it. The database must refuse every one.
BROKEN_ROWS = {
    "child: neither UPN nor reason": (
        "child_upn_or_reason",
        True,
        lambda: ChildFactory(upn="", upn_unknown=""),
    ),
    "child: both UPN and reason": (
        "child_upn_or_reason",
        True,
        lambda: ChildFactory(upn="A123456789012", upn_unknown="UN1"),
    ),
    "child: no birth or expected birth": (
        "child_birth_or_expected",
        True,
        lambda: ChildFactory(date_of_birth=None, expected_date_of_birth=None),
    ),
    "child: death before birth": (
        "child_death_after_birth",
        True,
        lambda: ChildFactory(date_of_birth=D(2015, 5, 1), date_of_death=D(2015, 4, 30)),
    ),
    "child: LA child ID twice": (
        "la_child_id",
        False,
        lambda: [ChildFactory(la_child_id="X1"), ChildFactory(la_child_id="X1")],
    ),
    "looked-after period ends before it starts": (
        "lac_period_ends_after_start",
        True,
        lambda: LookedAfterPeriodFactory(start_date=D(2025, 1, 6), end_date=D(2025, 1, 5)),
    ),
    "person: sensitive without a reason": (
        "person_sensitive_has_reason",
        True,
        lambda: PersonFactory(contact_details_sensitive=True, sensitivity_reason=""),
    ),
    "episode 8805: closure date without reason": (
        "episode_closure_date_and_reason_together",
        True,
        lambda: EpisodeFactory(**{**CLOSED, "reason_for_closure": ""}),
    ),
    "episode 8810: reason without closure date": (
        "episode_closure_date_and_reason_together",
        True,
        lambda: EpisodeFactory(reason_for_closure=ReasonForClosure.RC7),
    ),
    "episode 8630: closure before referral": (
        "episode_closure_not_before_referral",
        True,
        lambda: EpisodeFactory(referral_date=D(2026, 6, 2), **CLOSED),
    ),
    "episode: closed without closure date": (
        "episode_closed_iff_closure_date",
        True,
        lambda: EpisodeFactory(status=EpisodeStatus.CLOSED, closed_at=at_ten(D(2026, 6, 1))),
    ),
    "episode: closed without the moment of closing": (
        "episode_closed_iff_closure_date",
        True,
        lambda: EpisodeFactory(**{**CLOSED, "closed_at": None}),
    ),
    "episode: open with a closure date": (
        "episode_closed_iff_closure_date",
        True,
        lambda: EpisodeFactory(**{**CLOSED, "status": EpisodeStatus.OPEN}),
    ),
    "episode: closing with a closure date": (
        "episode_closed_iff_closure_date",
        True,
        lambda: EpisodeFactory(**{**CLOSED, "status": EpisodeStatus.CLOSING}),
    ),
    "episode: open with the moment of closing": (
        "episode_closed_iff_closure_date",
        True,
        lambda: EpisodeFactory(closed_at=at_ten(D(2026, 6, 1))),
    ),
    "assessment authorised before it starts": (
        "assessment_authorised_after_start",
        True,
        lambda: AssessmentFactory(start_date=D(2026, 4, 1), authorisation_date=D(2026, 3, 31)),
    ),
    "section 47: conference before the enquiry": (
        "s47_icpc_after_start",
        True,
        lambda: Section47Factory(start_date=D(2026, 4, 1), icpc_date=D(2026, 3, 31)),
    ),
    "plan ends before it starts": (
        "plan_ends_after_start",
        True,
        lambda: PlanFactory(start_date=D(2026, 4, 1), end_date=D(2026, 3, 31)),
    ),
    "CP plan without any category": ("cp_plan_has_category", True, lambda: PlanFactory(kind=PlanType.CP)),
    "CP plan without initial category": (
        "cp_plan_has_category",
        True,
        lambda: PlanFactory(kind=PlanType.CP, latest_category="NEG"),
    ),
    "CP plan without latest category": (
        "cp_plan_has_category",
        True,
        lambda: PlanFactory(kind=PlanType.CP, initial_category="NEG"),
    ),
    "planned action outside a plan": (
        "action_in_plan_unless_unplanned",
        True,
        lambda: PlannedActionFactory(plan=None, is_unplanned=False),
    ),
    "action ends before it starts": (
        "action_ends_after_start",
        True,
        lambda: PlannedActionFactory(start_date=D(2026, 4, 1), end_date=D(2026, 3, 31)),
    ),
    "contact: seen alone but not seen": (
        "contact_seen_alone_only_if_seen",
        True,
        lambda: ContactFactory(child_seen=False, child_seen_alone=True),
    ),
    "domestic abuse: victim is the perpetrator": (
        "abuse_victim_not_perpetrator",
        True,
        _same_victim_and_perpetrator,
    ),
    "a person linked to a child twice": ("child_person_once", False, _linked_twice),
    "source ID twice: looked-after period": (
        "lookedafterperiod_source_id_once",
        False,
        _twice(LookedAfterPeriodFactory),
    ),
    "source ID twice: person": ("person_source_id_once", False, _twice(PersonFactory)),
    "source ID twice: episode": ("episode_source_id_once", False, _twice(EpisodeFactory)),
    "source ID twice: assessment": ("assessment_source_id_once", False, _twice(AssessmentFactory)),
    "source ID twice: section 47": ("section47_source_id_once", False, _twice(Section47Factory)),
    "source ID twice: plan": ("plan_source_id_once", False, _twice(PlanFactory)),
    "source ID twice: contact": ("contact_source_id_once", False, _twice(ContactFactory)),
}


@pytest.mark.parametrize(("constraint", "named", "make"), BROKEN_ROWS.values(), ids=BROKEN_ROWS.keys())
def test_database_refuses_a_row_that_breaks_a_rule(constraint, named, make):
    refused(make, constraint if named else None)


def test_every_constraint_of_the_case_register_is_tested():
    """A constraint added to a model needs a row above that breaks it."""
    declared = {
        c.name for model in apps.get_app_config("cases").get_models() for c in model._meta.constraints
    }
    tested = {constraint for constraint, _, _ in BROKEN_ROWS.values()} | {"one_open_episode_per_child"}
    assert declared <= tested, declared - tested


@pytest.mark.parametrize(
    "factory",
    [
        LookedAfterPeriodFactory,
        PersonFactory,
        EpisodeFactory,
        AssessmentFactory,
        Section47Factory,
        PlanFactory,
        ContactFactory,
    ],
)
def test_rows_entered_here_need_no_source_id(factory):
    factory.create_batch(2, source_id="")


# The same rules' other side: rows just inside them are accepted.
VALID_ROWS = {
    "child with a UPN": lambda: ChildFactory(with_upn=True),
    "unborn child with an expected date": lambda: ChildFactory(
        date_of_birth=None, expected_date_of_birth=D(2027, 1, 10)
    ),
    "child died on the day of birth": lambda: ChildFactory(
        date_of_birth=D(2026, 1, 1), date_of_death=D(2026, 1, 1)
    ),
    "one-day looked-after period": lambda: LookedAfterPeriodFactory(
        start_date=D(2025, 1, 6), end_date=D(2025, 1, 6)
    ),
    "sensitive with a reason": lambda: PersonFactory(
        contact_details_sensitive=True, sensitivity_reason="Victim of domestic abuse"
    ),
    "closed on the day of referral": lambda: EpisodeFactory(referral_date=D(2026, 6, 1), **CLOSED),
    "closing without a closure date": lambda: EpisodeFactory(status=EpisodeStatus.CLOSING),
    "CP plan with categories": lambda: PlanFactory(cp=True),
    "unplanned service without a plan": lambda: PlannedActionFactory(unplanned=True),
    "child seen alone": lambda: ContactFactory(child_seen=True, child_seen_alone=True),
    "abuse with no known victim": lambda: DomesticAbuseFactory(victim=None),
    "assessment authorised on its first day": lambda: AssessmentFactory(
        start_date=D(2026, 4, 1), authorisation_date=D(2026, 4, 1)
    ),
    "section 47 conference on its first day": lambda: Section47Factory(
        start_date=D(2026, 4, 1), icpc_date=D(2026, 4, 1)
    ),
}


@pytest.mark.parametrize("make", VALID_ROWS.values(), ids=VALID_ROWS.keys())
def test_database_accepts_a_row_within_the_rules(make):
    obj = make()
    assert obj.pk is not None
    obj.full_clean()


class TestOneOpenEpisodePerChild:
    """CIN rules 8815, 8816, 8820: a child has at most one episode that is not closed."""

    def test_second_open_episode_is_refused(self):
        first = EpisodeFactory()
        refused(lambda: EpisodeFactory(child=first.child, team=first.team))

    def test_closing_episode_counts_as_open(self):
        first = EpisodeFactory(status=EpisodeStatus.CLOSING)
        refused(lambda: EpisodeFactory(child=first.child, team=first.team))

    def test_reopening_a_closed_episode_beside_an_open_one_is_refused(self):
        closed = EpisodeFactory(referral_date=D(2025, 1, 6), closed=True)
        EpisodeFactory(child=closed.child, team=closed.team, referral_date=D(2026, 1, 5))
        closed.status, closed.closure_date, closed.closed_at = EpisodeStatus.OPEN, None, None
        closed.reason_for_closure = ""
        refused(closed.save)

    def test_closed_episodes_and_one_open_are_allowed(self):
        child = ChildFactory()
        EpisodeFactory(child=child, referral_date=D(2024, 1, 8), closed=True)
        EpisodeFactory(child=child, referral_date=D(2025, 1, 6), closed=True)
        EpisodeFactory(child=child, referral_date=D(2026, 1, 5))
        assert child.episodes.count() == 3

    def test_other_children_each_have_their_own(self):
        EpisodeFactory()
        EpisodeFactory()

    def test_full_clean_gives_the_message(self):
        first = EpisodeFactory()
        second = EpisodeFactory.build(child=first.child, team=first.team, worker=first.worker)
        with pytest.raises(ValidationError, match="already has an open episode"):
            second.full_clean()


def test_full_clean_reports_a_check_constraint_in_words():
    child = ChildFactory.build(upn="", upn_unknown="")
    with pytest.raises(ValidationError, match="Enter the UPN or the reason it is unknown"):
        child.full_clean()


def test_models_and_migrations_agree():
    """A rule removed or changed in a model without its migration would not reach the database."""
    call_command(
        "makemigrations", "core", "accounts", "cases", "audit", check=True, dry_run=True, verbosity=0
    )


class TestValidateCodes:
    @pytest.mark.parametrize("codes", [[], ["NONE"], ["MOB", "AUT", "HEAR"]])
    def test_child_disabilities_from_the_census_list(self, codes):
        ChildFactory.build(disabilities=codes).full_clean()

    @pytest.mark.parametrize("codes", [["MOB", "WHEELCHAIR"], ["mob"], "MOB", None, [1]])
    def test_child_disabilities_refused_otherwise(self, codes):
        with pytest.raises(ValidationError, match="Disabilities must be a list of codes"):
            ChildFactory.build(disabilities=codes).full_clean()

    @pytest.mark.parametrize("codes", [[], ["1B", "3A", "21"], ["24A"]])
    def test_assessment_factors_from_the_census_list(self, codes):
        AssessmentFactory(factors=codes).full_clean()

    @pytest.mark.parametrize("codes", [["3D"], ["1b"], "3A", {"3A": True}])
    def test_assessment_factors_refused_otherwise(self, codes):
        assessment = AssessmentFactory()
        assessment.factors = codes
        with pytest.raises(ValidationError, match="Factors must be a list of codes"):
            assessment.full_clean()


class TestIdentifiedDomesticAbuse:
    @pytest.mark.parametrize("factors", [["3A"], ["3B"], ["3C"], ["1B", "3C", "4B"]])
    def test_any_domestic_abuse_factor(self, factors):
        assert AssessmentFactory.build(factors=factors).identified_domestic_abuse

    @pytest.mark.parametrize("factors", [[], ["21"], ["1B", "2B", "4B", "18C"]])
    def test_no_domestic_abuse_factor(self, factors):
        assert not AssessmentFactory.build(factors=factors).identified_domestic_abuse

    def test_read_back_from_the_database(self):
        assessment = AssessmentFactory(factors=[AssessmentFactor.DV_PARENT])
        assessment.refresh_from_db()
        assert assessment.identified_domestic_abuse


class TestCareLeaverUnder19:
    """Up to their 19th birthday a care leaver's Closure Record lists every contact."""

    def leaver(self, born, status="former_relevant"):
        return ChildFactory.build(date_of_birth=born, care_leaver_status=status)

    def test_day_before_19th_birthday(self):
        assert self.leaver(D(2008, 5, 10)).is_care_leaver_under_19(on=D(2027, 5, 9))

    def test_on_19th_birthday_no_longer(self):
        assert not self.leaver(D(2008, 5, 10)).is_care_leaver_under_19(on=D(2027, 5, 10))

    def test_29_february_birthday_counts_from_1_march(self):
        child = self.leaver(D(2008, 2, 29))
        assert child.is_care_leaver_under_19(on=D(2027, 2, 28))
        assert not child.is_care_leaver_under_19(on=D(2027, 3, 1))

    @pytest.mark.parametrize("status", ["eligible", "relevant", "former_relevant"])
    def test_every_care_leaver_status(self, status):
        assert self.leaver(D(2009, 1, 1), status).is_care_leaver_under_19(on=D(2026, 1, 1))

    def test_not_a_care_leaver(self):
        assert not self.leaver(D(2009, 1, 1), "").is_care_leaver_under_19(on=D(2026, 1, 1))

    def test_without_date_of_birth(self):
        child = ChildFactory.build(
            date_of_birth=None, expected_date_of_birth=D(2027, 1, 1), care_leaver_status="eligible"
        )
        assert not child.is_care_leaver_under_19(on=D(2026, 1, 1))


class TestIsLookedAfter:
    def test_within_a_period_including_its_first_and_last_day(self):
        period = LookedAfterPeriodFactory(start_date=D(2025, 1, 6), end_date=D(2025, 6, 30))
        child = period.child
        assert not child.is_looked_after(on=D(2025, 1, 5))
        assert child.is_looked_after(on=D(2025, 1, 6))
        assert child.is_looked_after(on=D(2025, 6, 30))
        assert not child.is_looked_after(on=D(2025, 7, 1))

    def test_open_period(self):
        period = LookedAfterPeriodFactory(start_date=D(2025, 1, 6), end_date=None)
        assert period.child.is_looked_after(on=D(2030, 1, 1))

    def test_between_two_periods(self):
        period = LookedAfterPeriodFactory(start_date=D(2024, 1, 1), end_date=D(2024, 3, 31))
        LookedAfterPeriodFactory(child=period.child, start_date=D(2025, 1, 1), end_date=None)
        assert not period.child.is_looked_after(on=D(2024, 6, 1))
        assert period.child.is_looked_after(on=D(2025, 2, 1))

    def test_never_looked_after(self):
        assert not ChildFactory().is_looked_after(on=D(2026, 1, 1))


def test_child_age_and_name():
    child = ChildFactory.build(first_name="Poppy", last_name="Ashdown", date_of_birth=D(2014, 3, 14))
    assert child.age(on=D(2026, 3, 13)) == 11
    assert child.age(on=D(2026, 3, 14)) == 12
    assert str(child) == "Poppy Ashdown"
    assert ChildFactory.build(date_of_birth=None).age() is None


def test_action_plan_must_belong_to_the_same_episode():
    action = PlannedActionFactory()
    action.plan = PlanFactory()
    with pytest.raises(ValidationError, match="another episode"):
        action.full_clean()


def test_action_domain_follows_its_dimension():
    action = PlannedActionFactory.build(dimension="housing")
    assert action.domain == "family_environment"
    assert action.get_domain_display() == "Family and environmental factors"


def test_child_default_factory_is_valid():
    child = ChildFactory()
    child.full_clean()
    assert Child.objects.count() == 1


class TestUpnFormat:
    """The CIN census UPN: a check letter, 11 digits, then a digit or a letter."""

    @pytest.mark.parametrize("upn", ["A12345678901B", "z123456789012"])
    def test_valid(self, upn):
        ChildFactory.build(upn=upn, upn_unknown="").full_clean(validate_unique=False)

    @pytest.mark.parametrize("upn", ["999150112345", "A1234567890", "1123456789012", "A12345678901-"])
    def test_invalid_is_refused_naming_the_field(self, upn):
        with pytest.raises(ValidationError) as refused:
            ChildFactory.build(upn=upn, upn_unknown="").full_clean(validate_unique=False)
        assert "upn" in refused.value.message_dict
