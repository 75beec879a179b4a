"""The export end to end: who is in the census, the queries it costs, the command, and DfE's own
validator on the demo, on a generated caseload and on deliberately broken data."""

import datetime as dt
import io
import math

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closewell.audit.models import Action, AuditEvent
from closewell.cases.models import EpisodeStatus
from closewell.cases.tests.factories import (
    AssessmentFactory,
    ChildFactory,
    EpisodeFactory,
    PlanFactory,
    Section47Factory,
    at_ten,
)
from closewell.census.forms import current_census_year
from closewell.census.quality import check_child
from closewell.census.queries import stream_children
from closewell.demo.caseload import generate_caseload

from .helpers import assert_valid, export, found, needs_validator, run_dfe

pytestmark = pytest.mark.django_db
D = dt.date

# Rules DfE's validator 0.1.13 states but never raises, which our checks do: 8870Q reads target dates
# as dd-mm-yyyy (so never matches the ISO dates of the XML), and 8869 compares a list of factors to "21".
NOT_RAISED_BY_DFE = {"8870Q", "8869"}


def closed(**kwargs):
    day = kwargs.pop("closure_date")
    return EpisodeFactory(
        status=EpisodeStatus.CLOSED,
        closure_date=day,
        closed_at=at_ten(day),
        reason_for_closure=kwargs.pop("reason", "RC7"),
        **kwargs,
    )


def ids(year):
    return [c.la_child_id for c in stream_children(year)]


def test_who_is_in_the_census_year():
    in_before = EpisodeFactory(child__la_child_id="OPEN", referral_date=D(2024, 5, 1))
    closed(child__la_child_id="CLOSED1APR", referral_date=D(2025, 1, 1), closure_date=D(2026, 4, 1))
    closed(child__la_child_id="CLOSED31MAR", referral_date=D(2025, 1, 1), closure_date=D(2026, 3, 31))
    EpisodeFactory(child__la_child_id="REFERREDAPRIL", referral_date=D(2027, 4, 1))
    EpisodeFactory(child__la_child_id="REFERRED31MAR", referral_date=D(2027, 3, 31))
    assert ids(2027) == ["OPEN", "CLOSED1APR", "REFERRED31MAR"]
    assert in_before.child.la_child_id in ids(2026)


def test_items_finished_before_the_year_are_left_out_and_later_ones_read_as_at_31_march():
    episode = EpisodeFactory(child__la_child_id="X", referral_date=D(2025, 2, 3), primary_need="N1")
    AssessmentFactory(episode=episode, start_date=D(2025, 2, 4), authorisation_date=D(2025, 3, 3))
    AssessmentFactory(episode=episode, start_date=D(2026, 3, 2), authorisation_date=D(2026, 4, 20))
    PlanFactory(episode=episode, start_date=D(2025, 3, 10), end_date=D(2025, 12, 1))
    [child] = list(stream_children(2026))
    [record] = child.episodes
    # Authorised before 1 April 2025: not in the 2026 census. Authorised 20 April 2026: not yet on
    # 31 March 2026.
    assert [(a.start_date, a.authorisation_date) for a in record.assessments] == [(D(2026, 3, 2), None)]
    assert [(p.start_date, p.end_date) for p in record.cin_plans] == [(D(2025, 3, 10), D(2025, 12, 1))]
    [child] = list(stream_children(2027))
    [record] = child.episodes
    assert [(a.start_date, a.authorisation_date) for a in record.assessments] == [
        (D(2026, 3, 2), D(2026, 4, 20))
    ]
    assert record.cin_plans == []


def test_a_fixed_number_of_queries_per_chunk():
    for n in range(7):
        EpisodeFactory(child__la_child_id=f"Q{n}", referral_date=D(2026, 5, 1))
        AssessmentFactory(episode__child__la_child_id=f"QA{n}", episode__referral_date=D(2026, 5, 1))
    for chunk in (2, 5, 100):
        with CaptureQueriesContext(connection) as queries:
            assert len(list(stream_children(2027, chunk_size=chunk))) == 14
        # Per chunk: ids, children, episodes, assessments, section 47s, plans, every CP plan of the
        # chunk's children; then one empty ids query.
        assert len(queries) == 7 * math.ceil(14 / chunk) + 1


def test_command_writes_a_valid_file_and_audits(tmp_path):
    EpisodeFactory(child__la_child_id="C1", referral_date=D(2026, 5, 1), primary_need="N1")
    out = io.StringIO()
    path = tmp_path / "out.xml"
    call_command("export_cin_census", year=2027, output=str(path), la="201", stdout=out)
    doc = assert_valid(path)
    assert doc.findtext("Header/Source/LEA") == "201"
    assert "Wrote 1 children" in out.getvalue()
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.object_type == "census.CensusReturn" and event.object_id == "2027"


@needs_validator
def test_demo_export_is_valid_and_gets_an_empty_dfe_report(tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    year = current_census_year()
    path = export(tmp_path, year)
    assert_valid(path)
    dfe = run_dfe(path, year)
    assert dfe.rows == [] and dfe.failed_rules == []
    # One query about the return as a whole, which a return of nine children cannot help: 2887Q
    # asks an LA to check a return that uses fewer than eight different disability codes (DfE's
    # code 0.1.13 counts the children recorded NONE instead, and queries at seven or fewer).
    # 2888Q (no child with more than one disability code) is not raised: Ollie has two.
    assert list(dfe.return_level) == ["2887Q"]
    ours = {(c.la_child_id, i.code) for c in stream_children(year) for i in check_child(c, year)}
    assert {p for p in ours if p[1] not in NOT_RAISED_BY_DFE} == set()


@needs_validator
def test_generated_caseload_is_valid_and_gets_an_empty_dfe_report(tmp_path):
    generate_caseload(children=60, seed=3, today=D(2026, 11, 23))
    path = export(tmp_path, 2027)
    assert_valid(path)
    dfe = run_dfe(path, 2027)
    assert found(dfe.rows) == set()
    assert dfe.return_level == [] and dfe.failed_rules == []  # 2888Q: some child has two disabilities
    ours = {(c.la_child_id, i.code) for c in stream_children(2027) for i in check_child(c, 2027)}
    assert {p for p in ours if p[1] not in NOT_RAISED_BY_DFE} == set()


def broken_children():
    """One child per DfE rule, each broken in a way our database constraints allow."""
    ref = D(2026, 5, 4)  # a Monday

    def child(lid, **kw):
        return ChildFactory(la_child_id=lid, upn="", upn_unknown="UN5", disabilities=["NONE"], **kw)

    later = ref + dt.timedelta(30)
    e = closed(child=child("RC8PLAN"), referral_date=ref, closure_date=later, reason="RC8", primary_need="N4")
    AssessmentFactory(episode=e, factors=["21"])
    PlanFactory(episode=e)  # 2990: a CIN plan on an episode closed after assessment
    closed(
        child=child("RC8NOASSESS"), referral_date=ref, closure_date=later, reason="RC9", primary_need="N9"
    )  # 8825Q
    e = closed(
        child=child("DIEDNODATE"), referral_date=ref, closure_date=later, reason="RC2", primary_need="N2"
    )  # 8585Q
    AssessmentFactory(episode=e)
    e = closed(child=child("OPENASSESS"), referral_date=ref, closure_date=later, primary_need="N1")
    AssessmentFactory(episode=e, authorisation_date=None, factors=[])  # 8867
    e = closed(child=child("OPENS47"), referral_date=ref, closure_date=later, primary_need="N1")
    AssessmentFactory(episode=e)
    Section47Factory(episode=e, icpc_not_required=False)  # 8868
    e = EpisodeFactory(child=child("NONEED"), referral_date=ref, primary_need="")  # 8610
    AssessmentFactory(episode=e)
    e = EpisodeFactory(child=child("FACTOR21"), referral_date=ref, primary_need="N1")
    AssessmentFactory(episode=e, factors=["21", "4B"])  # 8869
    e = EpisodeFactory(
        child=ChildFactory(la_child_id="NONEANDMOB", upn="", upn_unknown="UN5", disabilities=["NONE", "MOB"]),
        referral_date=ref,
        primary_need="N1",
    )
    AssessmentFactory(episode=e)  # 8790
    e = EpisodeFactory(
        child=ChildFactory(la_child_id="BADUPN", upn="B201123456789", upn_unknown="", disabilities=["NONE"]),
        referral_date=ref,
        primary_need="N1",
    )
    AssessmentFactory(episode=e)  # 1510 (the check letter should be P)
    e = EpisodeFactory(child=child("WEEKENDICPC"), referral_date=ref, primary_need="N1")
    AssessmentFactory(episode=e)
    Section47Factory(episode=e, icpc_not_required=False, icpc_date=D(2026, 5, 23))  # 8875 (Saturday)
    PlanFactory(episode=e, cp=True, start_date=D(2026, 5, 23))
    e = EpisodeFactory(child=child("CPPNOTICPC"), referral_date=ref, primary_need="N1")
    AssessmentFactory(episode=e)
    Section47Factory(episode=e, icpc_not_required=False, icpc_date=D(2026, 5, 26))
    PlanFactory(episode=e, cp=True, start_date=D(2026, 5, 28))  # 2885
    e = EpisodeFactory(child=child("CINANDCP"), referral_date=ref, primary_need="N1")
    AssessmentFactory(episode=e)
    Section47Factory(episode=e, icpc_not_required=False, icpc_date=D(2026, 5, 26))
    PlanFactory(episode=e, start_date=D(2026, 5, 20))
    PlanFactory(episode=e, cp=True, start_date=D(2026, 5, 26))  # 4001 and company: CIN plan open beside CP


EXPECTED = {
    "RC8PLAN": {"2990"},
    "RC8NOASSESS": {"8825Q"},
    "DIEDNODATE": {"8585Q"},
    "OPENASSESS": {"8867"},
    "OPENS47": {"8868"},
    "NONEED": {"8610"},
    "FACTOR21": {"8869", "8873Q"},
    "NONEANDMOB": {"8790"},
    "BADUPN": {"1510"},
    "WEEKENDICPC": {"8875"},
    "CPPNOTICPC": {"2885"},
    "CINANDCP": {"4001"},
}


@needs_validator
def test_broken_data_gets_the_expected_dfe_rule_codes_and_our_checks_find_them(tmp_path):
    broken_children()
    path = export(tmp_path, 2027)
    assert_valid(path)
    result = run_dfe(path, 2027)
    # DfE's rule 8565 (no activity after closure) builds the ERROR_ID of failing CIN plans from the
    # section 47 failures, so it raises instead of reporting when a closed episode has a CIN plan
    # dated after the closure, as RC8PLAN's is; DfE's own command prints that and counts it passed.
    assert [line.split(":")[0] for line in result.failed_rules] == ["Error with rule 8565"]
    dfe: dict[str, set] = {}
    for child_id, code in found(result.rows):
        dfe.setdefault(child_id, set()).add(code)
    ours = {c.la_child_id: {i.code for i in check_child(c, 2027)} for c in stream_children(2027)}
    for child_id, codes in EXPECTED.items():
        assert codes - NOT_RAISED_BY_DFE <= dfe.get(child_id, set()), (child_id, dfe.get(child_id))
        assert codes <= ours[child_id], (child_id, ours[child_id])
    # And the data-quality page finds exactly what DfE does, no more and no less, but for the rule
    # that crashed: ours finds RC8PLAN's CIN plan after its closure (8565), which DfE's does not report.
    assert ours["RC8PLAN"] >= {"8565"}
    missed = NOT_RAISED_BY_DFE | {"8565"}
    assert {k: v - missed for k, v in ours.items() if v - missed} == dfe


def test_number_of_previous_cpp_counts_every_earlier_plan_of_the_child():
    """Entered however (pages, API, import): plans in earlier episodes count, however long ago;
    the plan itself and later plans do not; another child's plans do not."""
    child = ChildFactory(la_child_id="CPP3")
    first = closed(child=child, referral_date=D(2019, 1, 7), closure_date=D(2019, 12, 2))
    PlanFactory(episode=first, cp=True, start_date=D(2019, 2, 1), end_date=D(2019, 11, 1))
    second = closed(child=child, referral_date=D(2025, 1, 6), closure_date=D(2025, 12, 1))
    PlanFactory(episode=second, cp=True, start_date=D(2025, 2, 3), end_date=D(2025, 6, 2))
    PlanFactory(episode=second, cp=True, start_date=D(2025, 7, 1), end_date=D(2025, 11, 3))
    current = EpisodeFactory(child=child, referral_date=D(2026, 5, 4))
    PlanFactory(episode=current, cp=True, start_date=D(2026, 6, 1))
    other = EpisodeFactory(child__la_child_id="ONEPLAN", referral_date=D(2026, 5, 4))
    PlanFactory(episode=other, cp=True, start_date=D(2026, 6, 1))
    records = {c.la_child_id: c for c in stream_children(2026)} | {
        c.la_child_id: c for c in stream_children(2027)
    }
    counts = [p.number_of_previous_cpp for e in records["CPP3"].episodes for p in e.cp_plans]
    assert counts == [3]  # 2027: the open plan, after three
    [e2026] = [e for e in next(stream_children(2026)).episodes]
    assert [p.number_of_previous_cpp for p in e2026.cp_plans] == [1, 2]
    assert [p.number_of_previous_cpp for e in records["ONEPLAN"].episodes for p in e.cp_plans] == [0]


def test_a_recorded_number_of_previous_plans_stands_when_larger():
    plan = PlanFactory(cp=True, episode__referral_date=D(2026, 5, 4), start_date=D(2026, 6, 1))
    plan.number_of_previous_cpp = 2  # plans held before the council's records came into Closewell
    plan.save()
    [child] = list(stream_children(2027))
    assert child.episodes[0].cp_plans[0].number_of_previous_cpp == 2


def test_an_unborn_child_is_exported_without_disabilities(tmp_path):
    EpisodeFactory(
        child=ChildFactory(
            la_child_id="UNBORN1",
            date_of_birth=None,
            expected_date_of_birth=D(2027, 4, 20),
            sex="U",
            disabilities=["NONE"],
        ),
        referral_date=D(2026, 10, 1),
        primary_need="N1",
    )
    [record] = list(stream_children(2027))
    assert record.disabilities == []
    assert "8540" not in {i.code for i in check_child(record, 2027)}
    doc = assert_valid(export(tmp_path))
    assert doc.find("Children/Child/ChildCharacteristics/Disabilities") is None
