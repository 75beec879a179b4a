"""Every CIN census rule in census/rules.py, each with a record that breaks it.

A rule's example must be reported under the rule's code, so switching the rule off (deleting its
function or its registration) fails its test here; and a rule registered without an example fails
test_every_rule_has_an_example. The same functions check a Closure Record at submit and
authorisation (closures/tests/test_checks.py: test_the_record_asks_the_census_rule_itself)."""

import datetime as dt

import pytest

from closewell.census.quality import check_child
from closewell.census.rules import RULES, upn_check_letter, upn_problems
from closewell.census.writer import (
    AssessmentRecord,
    ChildRecord,
    CINPlanRecord,
    CPPlanRecord,
    EpisodeRecord,
    Section47Record,
)

D = dt.date
REF = D(2026, 5, 4)  # the referral: a Monday in the census year ending 31 March 2027
DAY = dt.timedelta(days=1)
CLOSED = D(2026, 6, 1)
YEAR = 2027


def child(**episode) -> ChildRecord:
    """A clean child with one clean episode, changed by the keyword arguments (child=: the child's)."""
    extra = episode.pop("child", {})
    base = {
        "referral_date": REF,
        "referral_source": "1A",
        "primary_need": "N1",
        "assessments": [AssessmentRecord(REF, REF + 10 * DAY, ["4B"])],
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


def cpp(start, end=None) -> CPPlanRecord:
    return CPPlanRecord(start, end, "NEG", "NEG")


EXAMPLES = {
    # The child's own details
    "1510": child(child={"upn": "B201123456789", "upn_unknown": ""}),
    "1530": child(child={"upn": "A999123456789", "upn_unknown": ""}),
    "1540": child(child={"upn": "A201X2345678Z", "upn_unknown": ""}),
    "1550": child(child={"upn": "A20112345678I", "upn_unknown": ""}),
    "1570": child(child={"la_child_id": "C" * 21}),
    "1580": child(child={"la_child_id": "C-1"}),
    "8520": child(child={"date_of_birth": D(2027, 5, 1)}),
    "8540": child(child={"disabilities": []}),
    "8750": child(child={"date_of_birth": None, "expected_date_of_birth": D(2026, 9, 1)}),
    "8770Q": child(child={"upn_unknown": ""}),
    "8790": child(child={"disabilities": ["NONE", "AUT"]}),
    # The referral and its closure
    "8610": child(primary_need=""),
    "8630": child(closure_date=REF - DAY, reason_for_closure="RC7", assessments=[]),
    "8565": child(closure_date=REF + 5 * DAY, reason_for_closure="RC1"),  # authorised after closing
    "8555Q": child(child={"date_of_death": REF - 10 * DAY}),
    "8585Q": child(closure_date=CLOSED, reason_for_closure="RC2"),
    "8825Q": child(closure_date=CLOSED, reason_for_closure="RC8", assessments=[]),
    "2990": child(closure_date=CLOSED, reason_for_closure="RC9", cin_plans=[CINPlanRecord(REF)]),
    # Assessments
    "1103": child(assessments=[AssessmentRecord(REF - DAY, CLOSED, ["1A"])]),
    "8867": child(closure_date=CLOSED, reason_for_closure="RC7", assessments=[AssessmentRecord(REF)]),
    "8736": child(assessments=[AssessmentRecord(D(2025, 1, 6))]),
    "8670Q": child(assessments=[AssessmentRecord(REF)]),
    "8897Q": child(assessments=[AssessmentRecord(REF, CLOSED, [])]),
    "8869": child(assessments=[AssessmentRecord(REF, CLOSED, ["21", "1A"])]),
    "8896": child(assessments=[AssessmentRecord(REF), AssessmentRecord(REF + DAY)]),
    "8873Q": child(assessments=[AssessmentRecord(REF, CLOSED, ["21"])]),
    # Section 47 enquiries
    "2889": child(section47s=[Section47Record(REF - DAY, icpc_not_required=True)]),
    "8875": child(section47s=[Section47Record(REF, icpc_date=D(2026, 5, 9))]),
    "8870Q": child(
        section47s=[Section47Record(REF, icpc_target_date=D(2026, 5, 10), icpc_not_required=True)]
    ),
    "8868": child(closure_date=CLOSED, reason_for_closure="RC7", section47s=[Section47Record(REF)]),
    "8740": child(section47s=[Section47Record(D(2025, 1, 6))]),
    "8675Q": child(section47s=[Section47Record(REF)]),
    "8839": child(section47s=[Section47Record(REF), Section47Record(REF + DAY)]),
    "2991Q": child(assessments=[], section47s=[Section47Record(REF, icpc_not_required=True)]),
    # Plans
    "4015": child(cin_plans=[CINPlanRecord(REF - DAY)]),
    "4012Q": child(cin_plans=[CINPlanRecord(REF, REF)]),
    "4004": child(cin_plans=[CINPlanRecord(REF), CINPlanRecord(REF + DAY)]),
    "1105": child(cp_plans=[cpp(REF - DAY)]),
    "8840": child(cp_plans=[cpp(D(2026, 5, 13), D(2026, 5, 13))]),
    "2885": child(
        section47s=[Section47Record(REF, icpc_date=D(2026, 5, 12))], cp_plans=[cpp(D(2026, 5, 13))]
    ),
    "4001": child(cin_plans=[CINPlanRecord(REF, None)], cp_plans=[cpp(REF, None)]),
    "8935": child(cp_plans=[cpp(D(2026, 5, 13)), cpp(D(2026, 5, 14))]),
    # Across the child's episodes
    "4016": child(cp_plans=[cpp(REF, D(2026, 7, 1))], cin_plans=[CINPlanRecord(D(2026, 6, 1))]),
    "4017": child(
        cin_plans=[CINPlanRecord(REF, D(2026, 7, 1))], cp_plans=[cpp(D(2026, 6, 1), D(2026, 6, 20))]
    ),
}


def codes(record: ChildRecord) -> set[str]:
    return {problem.code for problem in check_child(record, YEAR)}


def test_every_rule_has_an_example():
    assert set(RULES) == set(EXAMPLES)


def test_a_clean_child_breaks_no_rule():
    assert codes(child()) == set()


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_each_rule_reports_its_breach(code):
    assert code in codes(EXAMPLES[code])


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_the_example_is_found_by_that_rule_alone(code, monkeypatch):
    """Switch the rule off and its example is no longer reported: no other rule stands in for it."""
    rule = RULES[code]
    monkeypatch.setitem(RULES, code, type(rule)(code, rule.level, lambda *args: iter([])))
    assert code not in codes(EXAMPLES[code])


def test_8770q_un1_is_for_children_not_yet_of_school_age():
    """UN1 (not of school age) on a child of school age is the 8770Q query; the day before school age
    and a referral with no further action are not."""
    un1 = {"upn_unknown": "UN1", "upn": ""}
    assert "8770Q" in codes(child(child={**un1, "date_of_birth": D(2021, 8, 31)}))
    assert "8770Q" not in codes(child(child={**un1, "date_of_birth": D(2021, 9, 1)}))
    assert "8770Q" not in codes(child(child={**un1, "date_of_birth": D(2021, 8, 31)}, referral_nfa=True))


def test_8540_skips_an_unborn_child():
    unborn = {"date_of_birth": None, "expected_date_of_birth": D(2026, 9, 1), "sex": "U", "disabilities": []}
    assert "8540" not in codes(child(child=unborn))


def test_upn_check_letter():
    assert upn_check_letter("201123456789") == "P"
    assert upn_check_letter("20112345678A") in "ABCDEFGHJKLMNPQRTUVWXYZ"  # a temporary UPN's letter
    assert upn_problems("P201123456789") == []
    assert [c for c, _ in upn_problems("B201123456789")] == ["1510"]
    assert [c for c, _ in upn_problems("A201X2345678Z")] == ["1540"]
    assert [c for c, _ in upn_problems("P2011")] == ["1510"]
