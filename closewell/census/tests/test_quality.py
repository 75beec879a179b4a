"""The data quality page's checks on records: a clean child has no problem; each problem says where it
is. Each rule's own test is in test_rules.py."""

import datetime as dt

from closewell.census.quality import check_child
from closewell.census.writer import (
    AssessmentRecord,
    ChildRecord,
    EpisodeRecord,
)

D = dt.date
REF = D(2026, 5, 4)
CLOSED = D(2026, 6, 1)


def child(**episode):
    extra = episode.pop("child", {})
    base = {
        "referral_date": REF,
        "referral_source": "1A",
        "primary_need": "N1",
        "assessments": [AssessmentRecord(REF, REF + dt.timedelta(10), ["4B"])],
    }
    fields = {
        "la_child_id": "C1",
        "sex": "F",
        "upn_unknown": "UN5",
        "date_of_birth": D(2015, 1, 1),
        "disabilities": ["NONE"],
        **extra,
    }
    return ChildRecord(episodes=[EpisodeRecord(**{**base, **episode})], **fields)


def codes(record) -> set[str]:
    return {i.code for i in check_child(record, 2027)}


def test_a_clean_child_has_no_problem():
    assert codes(child()) == set()


def test_problems_carry_the_child_and_episode_for_links():
    record = child(primary_need="")
    record.pk, record.episodes[0].pk, record.episodes[0].team_id = 7, 11, 3
    [problem] = check_child(record, 2027)
    assert (problem.child_pk, problem.episode_pk, problem.team_id, problem.is_query) == (7, 11, 3, False)
