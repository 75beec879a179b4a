"""The data-quality checks alone, on records: each rule fires on its case and not on a clean child."""

import datetime as dt

import pytest

from closewell.census.quality import check_child, upn_check_letter, upn_problems, working_days_between
from closewell.census.writer import (
    AssessmentRecord,
    ChildRecord,
    CINPlanRecord,
    CPPlanRecord,
    EpisodeRecord,
    Section47Record,
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


@pytest.mark.parametrize(
    "record, code",
    [
        (child(primary_need=""), "8610"),
        (child(closure_date=D(2026, 6, 1), reason_for_closure="RC2"), "8585Q"),
        (child(closure_date=D(2026, 6, 1), reason_for_closure="RC8", assessments=[]), "8825Q"),
        (child(closure_date=CLOSED, reason_for_closure="RC9", cin_plans=[CINPlanRecord(REF)]), "2990"),
        (child(closure_date=CLOSED, reason_for_closure="RC7", assessments=[AssessmentRecord(REF)]), "8867"),
        (child(closure_date=CLOSED, reason_for_closure="RC7", section47s=[Section47Record(REF)]), "8868"),
        (child(assessments=[AssessmentRecord(REF, D(2026, 6, 1), ["21", "1A"])]), "8869"),
        (child(assessments=[AssessmentRecord(REF, D(2026, 6, 1), [])]), "8897Q"),
        (child(assessments=[AssessmentRecord(D(2025, 1, 6))]), "8736"),
        (child(assessments=[AssessmentRecord(REF - dt.timedelta(1), D(2026, 6, 1), ["1A"])]), "1103"),
        (child(section47s=[Section47Record(REF, icpc_date=D(2026, 5, 9))]), "8875"),
        (
            child(section47s=[Section47Record(REF, icpc_target_date=D(2026, 5, 10), icpc_not_required=True)]),
            "8870Q",
        ),
        (
            child(
                section47s=[Section47Record(REF, icpc_date=D(2026, 5, 12))],
                cp_plans=[CPPlanRecord(D(2026, 5, 13), None, "NEG", "NEG")],
            ),
            "2885",
        ),
        (child(cp_plans=[CPPlanRecord(D(2026, 5, 13), D(2026, 5, 13), "NEG", "NEG")]), "8840"),
        (child(cin_plans=[CINPlanRecord(REF), CINPlanRecord(D(2026, 5, 5))]), "4004"),
        (child(cin_plans=[CINPlanRecord(REF, REF)]), "4012Q"),
        (
            child(cin_plans=[CINPlanRecord(REF)], cp_plans=[CPPlanRecord(D(2026, 6, 1), None, "NEG", "NEG")]),
            "4017",
        ),
        (child(closure_date=D(2026, 5, 10), reason_for_closure="RC1"), "8565"),  # authorised on 14 May
        (
            child(
                closure_date=CLOSED,
                reason_for_closure="RC1",
                cin_plans=[CINPlanRecord(REF, D(2026, 6, 2))],
            ),
            "8565",
        ),
        (
            child(
                closure_date=CLOSED,
                reason_for_closure="RC1",
                section47s=[Section47Record(REF, icpc_date=D(2026, 6, 3))],
            ),
            "8565",
        ),
        (child(child={"upn": "A999123456789", "upn_unknown": ""}), "1530"),
        (child(child={"disabilities": []}), "8540"),
        (child(child={"disabilities": ["NONE", "AUT"]}), "8790"),
        (child(child={"la_child_id": "C-1"}), "1580"),
        (child(child={"upn_unknown": ""}), "8770Q"),
        (child(child={"upn_unknown": "UN1", "date_of_birth": D(2021, 8, 31)}), "8770Q"),
    ],
)
def test_each_rule(record, code):
    assert code in codes(record)


def test_un1_is_for_children_not_yet_of_school_age():
    assert "8770Q" not in codes(child(child={"upn_unknown": "UN1", "date_of_birth": D(2021, 9, 1)}))


def test_upn_check_letter():
    assert upn_check_letter("201123456789") == "P"
    assert upn_problems("P201123456789") == []
    assert [c for c, _ in upn_problems("B201123456789")] == ["1510"]
    assert [c for c, _ in upn_problems("A201X2345678Z")] == ["1540"]


def test_working_days_between():
    assert working_days_between(D(2026, 5, 1), D(2026, 5, 8)) == 5  # Friday to Friday
    assert working_days_between(D(2026, 5, 8), D(2026, 5, 8)) == 0


def test_issues_carry_the_child_and_episode_for_links():
    record = child(primary_need="")
    record.pk, record.episodes[0].pk, record.episodes[0].team_id = 7, 11, 3
    [issue] = check_child(record, 2027)
    assert (issue.child_pk, issue.episode_pk, issue.team_id, issue.is_query) == (7, 11, 3, False)
