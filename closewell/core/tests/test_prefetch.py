"""A relation read once a page: core.prefetch.hold and sorted_rows, as related() and the relation see it."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closewell.cases.tests.factories import AssessmentFactory, EpisodeFactory
from closewell.core.prefetch import hold, related, sorted_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode():
    episode = EpisodeFactory()
    start = episode.referral_date
    # Made out of order, two on one date: their key settles the tie.
    for days in (20, 0, 20, 10):
        AssessmentFactory(episode=episode, start_date=start + dt.timedelta(days=days))
    return episode


def dates(assessments) -> list:
    return [(a.start_date, a.pk) for a in assessments]


def test_sorted_rows_sorts_by_the_fields_and_then_the_key(episode):
    expected = dates(episode.assessments.order_by("start_date", "pk"))
    assert dates(sorted_rows(episode.assessments.all(), "start_date")) == expected
    assert dates(sorted_rows(episode.assessments.all())) == sorted(expected, key=lambda row: row[1])


def test_a_held_relation_answers_from_its_rows_without_a_query(episode):
    hold(episode, "assessments", episode.assessments.all(), sort=("start_date",))
    with CaptureQueriesContext(connection) as queries:
        through_related = related(episode, "assessments", episode.assessments.none())
        through_all = list(episode.assessments.all())
        # Each row knows its episode, as after a prefetch.
        assert all(assessment.episode is episode for assessment in through_all)
    assert not queries.captured_queries
    assert (
        dates(through_related)
        == dates(through_all)
        == dates(episode.assessments.order_by("start_date", "pk"))
    )


def test_anything_else_asked_of_a_held_relation_queries_afresh_for_the_right_rows(episode):
    other = AssessmentFactory()  # another episode's
    hold(episode, "assessments", episode.assessments.all(), sort=())
    with CaptureQueriesContext(connection) as queries:
        later = list(episode.assessments.filter(start_date__gt=episode.referral_date))
    assert len(queries.captured_queries) == 1
    assert len(later) == 3 and other.pk not in {a.pk for a in later}


def test_without_a_sort_the_rows_come_in_the_querys_order(episode):
    hold(episode, "assessments", episode.assessments.order_by("-start_date", "-pk"))
    expected = dates(episode.assessments.order_by("-start_date", "-pk"))
    with CaptureQueriesContext(connection) as queries:
        assert dates(episode.assessments.all()) == expected
    assert not queries.captured_queries
