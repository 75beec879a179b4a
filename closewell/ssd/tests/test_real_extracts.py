"""What councils' real extracts hold: each census field derived from SSD rows, any encoding, the
specification's code and date forms, rows placed by child and date or skipped with a warning, and
identity: an id that matches a different child is refused. Each extract here is built from SSD rows."""

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from closewell.accounts.tests.factories import TeamFactory
from closewell.audit.models import AuditEvent
from closewell.cases.models import Assessment, Child, Contact, Episode, Person, Plan, Section47
from closewell.cases.tests.factories import ChildFactory, EpisodeFactory
from closewell.census.quality import check_child
from closewell.census.queries import stream_children
from closewell.census.tests.helpers import assert_valid, export
from closewell.ssd.importer import import_extract
from closewell.ssd.mapping import COLUMNS, parse_datetime

pytestmark = pytest.mark.django_db
D = dt.date

TEAM = {"dept_team_id": "T1", "dept_team_name": "Northmoor Family Support"}


def child(pid="C1", **kw):
    return {
        "pers_person_id": pid,
        "pers_forename": "Ada",
        "pers_surname": "Quill",
        "pers_sex": "F",
        "pers_ethnicity": "WBRI",
        "pers_dob": "2015-03-15",
        "pers_upn_unknown": "UN5",
        **kw,
    }


def episode(ref="R1", pid="C1", **kw):
    return {
        "cine_referral_id": ref,
        "cine_person_id": pid,
        "cine_referral_date": "2026-05-04",
        "cine_cin_primary_need_code": "N1",
        "cine_referral_source_code": "1A",
        "cine_referral_nfa": "N",
        "cine_referral_team": "T1",
        **kw,
    }


def write_extract(folder: Path, tables: dict[str, list[dict]], encoding="utf-8") -> Path:
    """One CSV per table, every column of the SSD's in its header, blank where a row says nothing."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = {"department": [TEAM], **tables}
    for table, rows in tables.items():
        with (folder / f"ssd_{table}.csv").open("w", newline="", encoding=encoding) as out:
            writer = csv.DictWriter(out, fieldnames=COLUMNS[table], restval="")
            writer.writeheader()
            writer.writerows(rows)
    return folder


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "extract"


def imported(folder, tables, **kw):
    result = import_extract(write_extract(folder, tables, kw.pop("encoding", "utf-8")), **kw)
    assert result.ok, result.problems
    return result


def where(problems):
    return {(p.file, p.line, p.column) for p in problems}


# ---------------------------------------------------------------- ICPCnotRequired
S47 = {"s47e_referral_id": "R1", "s47e_person_id": "C1", "s47e_s47_start_date": "2026-05-11"}


@pytest.mark.parametrize(
    "s47, conference, expected",
    [
        # Ended in services, no conference: the outcome says so.
        (
            {
                "s47e_s47_end_date": "2026-05-20",
                "s47e_s47_nfa": "N",
                "s47e_s47_outcome_json": '{"NFA_FLAG": "N", "PROV_OF_SERVICES_FLAG": "Y", '
                '"CP_CONFERENCE_FLAG": "N"}',
            },
            None,
            (True, None),
        ),
        # Ended, and nothing says a conference followed.
        ({"s47e_s47_end_date": "2026-05-20", "s47e_s47_nfa": "N"}, None, (True, None)),
        # No further action, as the standalone flag.
        ({"s47e_s47_nfa": "Y"}, None, (True, None)),
        # A conference was held: its date, and it was required.
        (
            {"s47e_s47_end_date": "2026-05-20", "s47e_s47_outcome_json": '{"CP_CONFERENCE_FLAG": "Y"}'},
            {"icpc_icpc_date": "2026-05-27", "icpc_icpc_target_date": "2026-06-01"},
            (False, D(2026, 5, 27)),
        ),
        # Ended, the outcome silent, a conference booked (its target date) but not yet held.
        ({"s47e_s47_end_date": "2026-05-20"}, {"icpc_icpc_target_date": "2026-06-01"}, (False, None)),
        # Still going on: neither.
        ({}, None, (False, None)),
    ],
)
def test_icpc_not_required_from_the_enquirys_end_and_outcome(folder, s47, conference, expected):
    tables = {
        "person": [child()],
        "cin_episodes": [episode()],
        "s47_enquiry": [{"s47e_s47_enquiry_id": "S1", **S47, **s47}],
    }
    if conference:
        tables["initial_cp_conference"] = [{"icpc_icpc_id": "IC1", "icpc_s47_enquiry_id": "S1", **conference}]
    imported(folder, tables)
    enquiry = Section47.objects.get()
    assert (enquiry.icpc_not_required, enquiry.icpc_date) == expected


def test_an_enquiry_ended_without_conference_is_census_clean_on_a_closed_episode(folder, tmp_path):
    """Issue 20: DfE's 8868 (closed) and 8675Q (open) must not come from census-clean facts."""
    ended = {"s47e_s47_end_date": "2026-05-20", "s47e_s47_outcome_json": '{"CP_CONFERENCE_FLAG": "N"}'}
    imported(
        folder,
        {
            "person": [child("C1"), child("C2")],
            "cin_episodes": [
                episode("R1", "C1", cine_close_date="2026-07-01", cine_close_reason="RC7"),
                episode("R2", "C2"),
            ],
            "cin_assessments": [
                {
                    "cina_assessment_id": f"A{n}",
                    "cina_referral_id": f"R{n}",
                    "cina_assessment_start_date": "2026-05-05",
                    "cina_assessment_auth_date": "2026-05-25",
                }
                for n in (1, 2)
            ],
            "assessment_factors": [
                {"cinf_assessment_id": f"A{n}", "cinf_assessment_factors_json": '["2A"]'} for n in (1, 2)
            ],
            "s47_enquiry": [
                {"s47e_s47_enquiry_id": "S1", **S47, **ended},
                {
                    "s47e_s47_enquiry_id": "S2",
                    **S47,
                    "s47e_referral_id": "R2",
                    "s47e_person_id": "C2",
                    **ended,
                },
            ],
        },
    )
    doc = assert_valid(export(tmp_path))
    assert [e.text for e in doc.iterfind(".//Section47/ICPCnotRequired")] == ["1", "1"]
    codes = {i.code for c in stream_children(2027) for i in check_child(c, 2027)}
    assert not codes & {"8868", "8675Q"}


def test_a_conference_outcome_with_no_conference_row_is_a_warning(folder):
    result = imported(
        folder,
        {
            "person": [child()],
            "cin_episodes": [episode()],
            "s47_enquiry": [
                {
                    "s47e_s47_enquiry_id": "S1",
                    **S47,
                    "s47e_s47_end_date": "2026-05-20",
                    "s47e_s47_outcome_json": '{"CP_CONFERENCE_FLAG": "Y"}',
                }
            ],
        },
    )
    assert ("ssd_s47_enquiry.csv", 2, "s47e_s47_outcome_json") in where(result.warnings)
    assert not Section47.objects.get().icpc_not_required


def test_every_census_field_from_ssd_rows(folder, tmp_path):
    """Each item of the child's census record comes from the SSD row that holds it."""
    imported(
        folder,
        {
            "person": [
                child(
                    pers_sex="M",
                    pers_ethnicity="MWAS",
                    pers_dob="2014-07-15 00:00:00",
                    pers_death_date="2026-09-10",
                    pers_upn_unknown="",
                )
            ],
            "linked_identifiers": [
                {
                    "link_person_id": "C1",
                    "link_identifier_type": "Unique Pupil Number",
                    "link_identifier_value": "A123456789012",
                }
            ],
            "disability": [
                {"disa_person_id": "C1", "disa_disability_code": "HEAR"},
                {"disa_person_id": "C1", "disa_disability_code": "VIS"},
            ],
            "cin_episodes": [
                episode(
                    cine_referral_source_code="3A",
                    cine_cin_primary_need_code="N2",
                    cine_close_date="2026-09-14",
                    cine_close_reason="RC2",
                )
            ],
            "cin_assessments": [
                {
                    "cina_assessment_id": "A1",
                    "cina_referral_id": "R1",
                    "cina_assessment_start_date": "2026-05-05",
                    "cina_assessment_auth_date": "2026-05-25",
                }
            ],
            "assessment_factors": [
                {"cinf_assessment_id": "A1", "cinf_assessment_factors_json": '["3A", "2B"]'}
            ],
            "s47_enquiry": [{"s47e_s47_enquiry_id": "S1", **S47, "s47e_s47_end_date": "2026-05-26"}],
            "initial_cp_conference": [
                {
                    "icpc_s47_enquiry_id": "S1",
                    "icpc_icpc_target_date": "2026-06-01",
                    "icpc_icpc_date": "2026-05-29",
                }
            ],
            "cp_plans": [
                {
                    "cppl_cp_plan_id": "CP1",
                    "cppl_referral_id": "R1",
                    "cppl_cp_plan_start_date": "2026-05-29",
                    "cppl_cp_plan_end_date": "2026-09-10",
                    "cppl_cp_plan_initial_category": "Physical abuse",
                    "cppl_cp_plan_latest_category": "NEG",
                }
            ],
        },
    )
    doc = assert_valid(export(tmp_path))
    c = doc.find("Children/Child")
    assert {
        path: c.findtext(path)
        for path in (
            "ChildIdentifiers/LAchildID",
            "ChildIdentifiers/UPN",
            "ChildIdentifiers/PersonBirthDate",
            "ChildIdentifiers/Sex",
            "ChildIdentifiers/PersonDeathDate",
            "ChildCharacteristics/Ethnicity",
            "CINdetails/CINreferralDate",
            "CINdetails/ReferralSource",
            "CINdetails/PrimaryNeedCode",
            "CINdetails/CINclosureDate",
            "CINdetails/ReasonForClosure",
            "CINdetails/ReferralNFA",
            "CINdetails/Assessments/AssessmentActualStartDate",
            "CINdetails/Assessments/AssessmentAuthorisationDate",
            "CINdetails/Section47/S47ActualStartDate",
            "CINdetails/Section47/InitialCPCtarget",
            "CINdetails/Section47/DateOfInitialCPC",
            "CINdetails/Section47/ICPCnotRequired",
            "CINdetails/ChildProtectionPlans/CPPstartDate",
            "CINdetails/ChildProtectionPlans/CPPendDate",
            "CINdetails/ChildProtectionPlans/InitialCategoryOfAbuse",
            "CINdetails/ChildProtectionPlans/LatestCategoryOfAbuse",
            "CINdetails/ChildProtectionPlans/NumberOfPreviousCPP",
        )
    } == {
        "ChildIdentifiers/LAchildID": "C1",
        "ChildIdentifiers/UPN": "A123456789012",
        "ChildIdentifiers/PersonBirthDate": "2014-07-15",
        "ChildIdentifiers/Sex": "M",
        "ChildIdentifiers/PersonDeathDate": "2026-09-10",
        "ChildCharacteristics/Ethnicity": "MWAS",
        "CINdetails/CINreferralDate": "2026-05-04",
        "CINdetails/ReferralSource": "3A",
        "CINdetails/PrimaryNeedCode": "N2",
        "CINdetails/CINclosureDate": "2026-09-14",
        "CINdetails/ReasonForClosure": "RC2",
        "CINdetails/ReferralNFA": "0",
        "CINdetails/Assessments/AssessmentActualStartDate": "2026-05-05",
        "CINdetails/Assessments/AssessmentAuthorisationDate": "2026-05-25",
        "CINdetails/Section47/S47ActualStartDate": "2026-05-11",
        "CINdetails/Section47/InitialCPCtarget": "2026-06-01",
        "CINdetails/Section47/DateOfInitialCPC": "2026-05-29",
        "CINdetails/Section47/ICPCnotRequired": "0",
        "CINdetails/ChildProtectionPlans/CPPstartDate": "2026-05-29",
        "CINdetails/ChildProtectionPlans/CPPendDate": "2026-09-10",
        "CINdetails/ChildProtectionPlans/InitialCategoryOfAbuse": "PHY",
        "CINdetails/ChildProtectionPlans/LatestCategoryOfAbuse": "NEG",
        "CINdetails/ChildProtectionPlans/NumberOfPreviousCPP": "0",
    }
    assert [d.text for d in c.iterfind("ChildCharacteristics/Disabilities/Disability")] == ["HEAR", "VIS"]
    assert [f.text for f in c.iterfind(".//AssessmentFactors")] == ["2B", "3A"]


# ---------------------------------------------------------------- NumberOfPreviousCPP, unborn child
def test_number_of_previous_cpp_from_earlier_plans_in_the_extract(folder, tmp_path):
    imported(
        folder,
        {
            "person": [child()],
            "cin_episodes": [
                episode(
                    "R0",
                    cine_referral_date="2024-02-05",
                    cine_close_date="2024-12-02",
                    cine_close_reason="RC7",
                ),
                episode("R1"),
            ],
            "cp_plans": [
                {
                    "cppl_cp_plan_id": "CP0",
                    "cppl_referral_id": "R0",
                    "cppl_cp_plan_start_date": "2024-03-04",
                    "cppl_cp_plan_end_date": "2024-11-04",
                    "cppl_cp_plan_initial_category": "Neglect",
                },
                {
                    "cppl_cp_plan_id": "CP1",
                    "cppl_person_id": "C1",
                    "cppl_cp_plan_start_date": "2026-06-01",
                    "cppl_cp_plan_initial_category": "Multiple: Neglect, Emotional abuse",
                },
            ],
        },
    )
    plan = Plan.objects.get(source_id="cp_plans:CP1")
    assert plan.episode.source_id == "cin_episodes:R1"  # placed by child and date: no referral id
    assert (plan.initial_category, plan.latest_category) == ("MUL", "MUL")
    doc = assert_valid(export(tmp_path))
    assert doc.findtext(".//ChildProtectionPlans/NumberOfPreviousCPP") == "1"


def test_an_unborn_child_has_no_disability_and_sex_u(folder, tmp_path):
    result = imported(
        folder,
        {
            "person": [
                child("U1", pers_forename="", pers_dob="", pers_sex="F", pers_expected_dob="2027-04-20")
            ],
            "cin_episodes": [episode("R1", "U1", cine_referral_date="2026-10-01")],
        },
    )
    unborn = Child.objects.get(la_child_id="U1")
    assert (unborn.disabilities, unborn.sex, unborn.first_name) == ([], "U", "Unborn")
    assert {("ssd_person.csv", 2, "pers_sex"), ("ssd_person.csv", 2, "pers_forename")} <= where(
        result.warnings
    )
    doc = assert_valid(export(tmp_path))
    assert doc.find(".//Disabilities") is None


# ---------------------------------------------------------------- encodings and bad files
NAMES = {"pers_forename": "Zoë", "pers_surname": "Ó Briain"}


@pytest.mark.parametrize(
    "encoding, label, warned",
    [
        ("utf-8", "UTF-8", False),
        ("utf-8-sig", "UTF-8 with a byte order mark", False),
        ("cp1252", "Windows-1252", True),
        ("utf-16", "UTF-16", False),
    ],
)
def test_each_encoding_is_detected_and_reported(folder, encoding, label, warned):
    result = imported(folder, {"person": [child(**NAMES)], "cin_episodes": [episode()]}, encoding=encoding)
    assert (Child.objects.get().first_name, Child.objects.get().last_name) == ("Zoë", "Ó Briain")
    assert result.encodings["ssd_person.csv"] == label
    assert (("ssd_person.csv", 2, "") in where(result.warnings)) is warned  # the first line not UTF-8


def test_a_latin1_file_is_read_and_reported_never_a_traceback(folder):
    write_extract(folder, {"person": [child(**NAMES)], "cin_episodes": [episode()]})
    path = folder / "ssd_person.csv"
    # Latin-1 proper: U+0081, a byte (0x81) that Windows-1252 does not define.
    path.write_bytes(path.read_text(encoding="utf-8").replace("Zoë", "Zoë\x81").encode("latin-1"))
    result = import_extract(folder)
    assert result.ok and result.encodings["ssd_person.csv"] == "Latin-1 (ISO 8859-1)"
    assert any(p.file == "ssd_person.csv" and "Latin-1" in p.reason for p in result.warnings)


def test_a_wrongly_stated_encoding_is_a_report_line(folder):
    write_extract(folder, {"person": [child(), child("C2", **NAMES)], "cin_episodes": [episode()]}, "cp1252")
    result = import_extract(folder, encoding="utf-8")
    assert not result.ok
    [problem] = [p for p in result.problems if p.file == "ssd_person.csv"]
    assert problem.line == 3 and "UTF-8" in problem.reason


def test_a_nul_byte_is_an_error_with_file_line_and_column(folder):
    write_extract(
        folder, {"person": [child(), child("C2", pers_surname="Qu\x00ill")], "cin_episodes": [episode()]}
    )
    result = import_extract(folder)
    assert not result.ok
    assert ("ssd_person.csv", 3, "pers_surname") in where(result.problems)
    assert not Child.objects.exists()


def test_command_reports_a_nul_byte_without_a_traceback(folder, tmp_path):
    write_extract(folder, {"person": [child(pers_surname="Qu\x00ill")], "cin_episodes": [episode()]})
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_ssd", str(folder), "--report", str(report), "--no-progress")
    [line] = list(csv.DictReader(report.open(encoding="utf-8")))
    assert (line["level"], line["file"], line["line"], line["column"]) == (
        "error",
        "ssd_person.csv",
        "2",
        "pers_surname",
    )


def test_an_id_reused_for_another_child_is_refused_with_its_row(folder, tmp_path):
    imported(
        folder,
        {"person": [child("C1"), child("C2", pers_forename="Bo")], "cin_episodes": [episode("R1", "C1")]},
    )
    again = write_extract(
        tmp_path / "again",
        {"person": [child("C1"), child("C2", pers_forename="Bo")], "cin_episodes": [episode("R1", "C2")]},
    )
    result = import_extract(again)
    assert not result.ok and ("ssd_cin_episodes.csv", 2, "cine_referral_id") in where(result.problems)
    assert Episode.objects.get().child.la_child_id == "C1"


def test_a_visit_id_reused_for_another_childs_visit_is_refused(folder, tmp_path):
    def visit(pid):
        return [{"cinv_cin_visit_id": "V1", "cinv_person_id": pid, "cinv_cin_visit_date": "2026-05-20"}]

    people = [child("C1"), child("C2", pers_forename="Bo")]
    episodes = [episode("R1", "C1"), episode("R2", "C2")]
    imported(folder, {"person": people, "cin_episodes": episodes, "cin_visits": visit("C1")})
    again = write_extract(
        tmp_path / "again", {"person": people, "cin_episodes": episodes, "cin_visits": visit("C2")}
    )
    result = import_extract(again)
    assert where(result.problems) == {("ssd_cin_visits.csv", 2, "cinv_cin_visit_id")}
    assert Contact.objects.get().episode.child.la_child_id == "C1"


def test_an_id_too_long_to_keep_is_refused_with_its_row(folder):
    write_extract(folder, {"person": [child()], "cin_episodes": [episode("R" * 81)]})
    result = import_extract(folder)
    assert ("ssd_cin_episodes.csv", 2, "cine_referral_id") in where(result.problems)


def test_a_person_id_twice_is_refused_with_both_lines(folder):
    write_extract(folder, {"person": [child("C1"), child("C1")], "cin_episodes": [episode()]})
    [problem] = import_extract(folder).problems
    assert (problem.file, problem.line, problem.column) == ("ssd_person.csv", 3, "pers_person_id")
    assert "line 2" in problem.reason


def test_a_birth_date_in_the_future_is_refused(folder):
    write_extract(folder, {"person": [child(pers_dob="2099-01-01")], "cin_episodes": [episode()]})
    result = import_extract(folder)
    assert not result.ok and ("ssd_person.csv", 2, "pers_dob") in where(result.problems)


def test_null_header_case_and_empty_files_as_real_exports_write_them(folder):
    write_extract(
        folder,
        {
            "person": [child(pers_death_date="NULL", pers_expected_dob="NULL")],
            "cin_episodes": [episode(cine_close_date="NULL", cine_close_reason="NULL")],
        },
    )
    path = folder / "ssd_person.csv"
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text(header.upper().replace(",", " , ") + "\n" + rest, encoding="utf-8")
    (folder / "ssd_cin_visits.csv").write_bytes(b"")
    result = import_extract(folder)
    assert result.ok, result.problems
    assert Child.objects.get().date_of_death is None and Episode.objects.get().closure_date is None
    assert where(result.warnings) == {("ssd_cin_visits.csv", 0, "")}
    (folder / "ssd_person.csv").write_bytes(b"")
    assert ("ssd_person.csv", 0, "") in where(import_extract(folder).problems)


# ---------------------------------------------------------------- code and date forms
@pytest.mark.parametrize(
    "text, expected",
    [
        ("06-Apr-2026", dt.datetime(2026, 4, 6)),
        ("06-APR-2026", dt.datetime(2026, 4, 6)),
        ("06/04/2026", dt.datetime(2026, 4, 6)),
        ("2026-04-06", dt.datetime(2026, 4, 6)),
        ("2026-04-06 00:00:00.000", dt.datetime(2026, 4, 6)),
        ("2026-04-06T14:30:00Z", dt.datetime(2026, 4, 6, 14, 30)),
        ("06/04/2026 14:30", dt.datetime(2026, 4, 6, 14, 30)),
        ("06-Apr-2026 2:30 PM", dt.datetime(2026, 4, 6, 14, 30)),
        ("6 April 2026", dt.datetime(2026, 4, 6)),
        ("06/04/26", None),  # a two-digit year is never guessed
        ("31/02/2026", None),
    ],
)
def test_date_forms(text, expected):
    assert parse_datetime(text) == expected


def test_spelling_variants_are_mapped_and_reported(folder):
    result = imported(
        folder,
        {
            "person": [child(pers_ethnicity="CNHE", pers_dob="15/03/2015")],
            "cin_episodes": [episode(cine_referral_date="04-May-2026")],
        },
    )
    assert Child.objects.get().ethnicity == "CHNE"
    [warning] = [p for p in result.warnings if p.column == "pers_ethnicity"]
    assert (warning.file, warning.line) == ("ssd_person.csv", 2) and "CHNE" in warning.reason
    assert Episode.objects.get().referral_date == D(2026, 5, 4)


def test_codes_with_their_labels_and_plain_factor_lists(folder):
    imported(
        folder,
        {
            "person": [child(pers_sex="F - Female", pers_upn_unknown="UN5 - Sources disagree")],
            "cin_episodes": [
                episode(
                    cine_referral_source_code="1A - Family",
                    cine_close_reason="RC7 - Services ceased",
                    cine_close_date="2026-07-01",
                )
            ],
            "cin_assessments": [
                {
                    "cina_assessment_id": "A1",
                    "cina_referral_id": "R1",
                    "cina_assessment_start_date": "2026-05-05",
                    "cina_assessment_auth_date": "2026-05-25",
                }
            ],
            "assessment_factors": [{"cinf_assessment_id": "A1", "cinf_assessment_factors_json": "3A, 4B"}],
        },
    )
    e = Episode.objects.get()
    assert (e.referral_source, e.reason_for_closure) == ("1A", "RC7")
    assert Assessment.objects.get().factors == ["3A", "4B"]


def test_rows_about_people_outside_the_extract_are_skipped_with_a_warning(folder):
    result = imported(
        folder,
        {
            "person": [child()],
            "cin_episodes": [episode()],
            "family": [
                {"fami_family_id": "F1", "fami_person_id": "C1"},
                {"fami_family_id": "F1", "fami_person_id": "X9"},
            ],
            "disability": [{"disa_person_id": "X9", "disa_disability_code": "MOB"}],
        },
    )
    assert where(result.warnings) == {
        ("ssd_family.csv", 3, "fami_person_id"),
        ("ssd_disability.csv", 2, "disa_person_id"),
    }


def test_an_episode_with_no_team_is_kept_in_a_team_nobody_works_in(folder):
    result = imported(folder, {"person": [child()], "cin_episodes": [episode(cine_referral_team="")]})
    assert Episode.objects.get().team.name == "Team not recorded in the extract"
    assert where(result.warnings) == {("ssd_cin_episodes.csv", 2, "cine_referral_team")}


def test_what_is_not_census_data_is_defaulted_with_a_warning_not_refused(folder):
    result = imported(
        folder,
        {
            "person": [child("C1"), child("C2", pers_forename="Bo")],
            "cin_episodes": [
                episode("R1", "C1", cine_referral_team="T9", cine_referral_worker_id="W9"),
                episode("R2", "C2"),
            ],
            "cin_visits": [
                {
                    "cinv_cin_visit_id": "V1",
                    "cinv_person_id": "C1",
                    "cinv_cin_visit_date": "2026-05-20",
                    "cinv_cin_visit_seen": "N",
                    "cinv_cin_visit_seen_alone": "Y",
                    "cinv_cin_visit_bedroom": "Maybe",  # not read
                },
                {
                    "cinv_cin_visit_id": "V2",
                    "cinv_person_id": "C1",
                    "cinv_cin_visit_date": "2026-05-21",
                    "cinv_cin_visit_seen": "Seen",
                },
            ],
            "care_leavers": [
                {"clea_person_id": "C2", "clea_care_leaver_eligibility": "Former relevant (18 to 25)"},
                {"clea_person_id": "C1", "clea_care_leaver_eligibility": "Staying put"},
            ],
        },
    )
    episode_ = Episode.objects.get(source_id="cin_episodes:R1")
    assert (episode_.team.name, episode_.worker) == ("Team not recorded in the extract", None)
    seen_alone = Contact.objects.get(source_id="cin_visits:V1")
    assert seen_alone.child_seen_alone and seen_alone.child_seen
    assert not Contact.objects.get(source_id="cin_visits:V2").child_seen
    assert Child.objects.get(la_child_id="C2").care_leaver_status == "former_relevant"
    assert where(result.warnings) == {
        ("ssd_cin_episodes.csv", 2, "cine_referral_team"),
        ("ssd_cin_episodes.csv", 2, "cine_referral_worker_id"),
        ("ssd_cin_visits.csv", 2, "cinv_cin_visit_seen"),
        ("ssd_cin_visits.csv", 3, "cinv_cin_visit_seen"),
        ("ssd_care_leavers.csv", 3, "clea_care_leaver_eligibility"),
    }


# ---------------------------------------------------------------- rows that cannot be placed
def test_a_visit_outside_every_episode_is_skipped_with_a_warning(folder):
    visits = [
        {
            "cinv_cin_visit_id": "V1",
            "cinv_person_id": "C1",
            "cinv_cin_visit_date": "2026-05-20",
            "cinv_cin_visit_seen": "Y",
        },
        {
            "cinv_cin_visit_id": "V2",
            "cinv_person_id": "C1",
            "cinv_cin_visit_date": "2025-01-06",
            "cinv_cin_visit_seen": "Y",
        },
    ]
    result = imported(folder, {"person": [child()], "cin_episodes": [episode()], "cin_visits": visits})
    assert list(Contact.objects.values_list("source_id", flat=True)) == ["cin_visits:V1"]
    assert where(result.warnings) == {("ssd_cin_visits.csv", 3, "cinv_cin_visit_date")}


def test_conferences_without_an_enquiry_id_are_placed_or_skipped(folder):
    result = imported(
        folder,
        {
            "person": [child("C1"), child("C2")],
            "cin_episodes": [episode("R1", "C1"), episode("R2", "C2")],
            "s47_enquiry": [{"s47e_s47_enquiry_id": "S1", **S47}],
            "initial_cp_conference": [
                {"icpc_icpc_id": "IC1", "icpc_person_id": "C1", "icpc_icpc_date": "2026-05-27"},
                {"icpc_icpc_id": "IC2", "icpc_person_id": "C2", "icpc_icpc_date": "2026-05-27"},
            ],
        },
    )
    assert Section47.objects.get().icpc_date == D(2026, 5, 27)  # the one enquiry of C1
    assert {(p.line, "not imported" in p.reason) for p in result.warnings} == {(2, False), (3, True)}


def test_involvements_without_a_referral_id_are_placed_by_child_and_date(folder):
    result = imported(
        folder,
        {
            "person": [child()],
            "professionals": [
                {"prof_professional_id": "W1", "prof_staff_id": "sw1", "prof_professional_name": "Kit Hale"}
            ],
            "cin_episodes": [episode(cine_referral_team="")],
            "involvements": [
                {
                    "invo_professional_id": "W1",
                    "invo_professional_team": "T1",
                    "invo_person_id": "C1",
                    "invo_involvement_start_date": "2026-05-05",
                },
                {
                    "invo_professional_id": "W1",
                    "invo_professional_team": "T1",
                    "invo_person_id": "C1",
                    "invo_involvement_start_date": "2020-01-06",
                },
            ],
        },
    )
    assert Episode.objects.get().worker.username == "sw1"
    assert where(result.warnings) == {("ssd_involvements.csv", 3, "invo_referral_id")}


def test_assessments_plans_and_enquiries_without_referral_ids(folder):
    result = imported(
        folder,
        {
            "person": [child()],
            "cin_episodes": [episode()],
            "cin_assessments": [
                {
                    "cina_assessment_id": "A1",
                    "cina_person_id": "C1",
                    "cina_assessment_start_date": "2026-05-05",
                },
                {
                    "cina_assessment_id": "A2",
                    "cina_person_id": "C1",
                    "cina_assessment_start_date": "2020-05-05",
                },
            ],
            "cin_plans": [
                {"cinp_cin_plan_id": "P1", "cinp_person_id": "C1", "cinp_cin_plan_start_date": "2026-06-01"}
            ],
            "s47_enquiry": [
                {"s47e_s47_enquiry_id": "S1", "s47e_person_id": "C1", "s47e_s47_start_date": "2026-05-11"}
            ],
        },
    )
    assert list(Assessment.objects.values_list("source_id", flat=True)) == ["cin_assessments:A1"]
    assert (
        Plan.objects.get().episode.source_id == Section47.objects.get().episode.source_id == "cin_episodes:R1"
    )
    assert where(result.warnings) == {("ssd_cin_assessments.csv", 3, "cina_referral_id")}


def test_adults_need_no_name_sex_or_birth_date(folder):
    mother = {"pers_person_id": "M1"}
    result = imported(
        folder,
        {
            "person": [child(), mother],
            "mother": [{"moth_person_id": "M1", "moth_childs_person_id": "C1"}],
            "cin_episodes": [episode()],
        },
    )
    assert Person.objects.get().first_name == "Name not recorded"
    assert {p.line for p in result.warnings} == {3}


# ---------------------------------------------------------------- identity (issue 14, finding 5)
def test_an_id_matching_a_different_child_is_refused(folder):
    existing = ChildFactory(
        la_child_id="C1", first_name="Ruby", last_name="Marsh", date_of_birth=D(2012, 8, 9), sex="F"
    )
    before = (existing.first_name, existing.last_name, existing.date_of_birth, existing.sex)
    write_extract(
        folder,
        {
            "person": [child(pers_forename="Leo", pers_surname="Dunn", pers_dob="2016-01-02", pers_sex="M")],
            "cin_episodes": [episode()],
        },
    )
    result = import_extract(folder)
    assert not result.ok
    [problem] = result.problems
    assert (problem.file, problem.line, problem.column) == ("ssd_person.csv", 2, "pers_person_id")
    assert "Ruby Marsh" in problem.reason and "09/08/2012" in problem.reason
    existing.refresh_from_db()
    assert (existing.first_name, existing.last_name, existing.date_of_birth, existing.sex) == before
    assert not Episode.objects.exists()


def test_one_change_of_identity_is_imported_and_a_birth_date_change_reported(folder):
    ChildFactory(la_child_id="C1", first_name="Ada", last_name="Marsh", date_of_birth=D(2015, 3, 15), sex="F")
    result = imported(folder, {"person": [child()], "cin_episodes": [episode()]})  # a new surname only
    assert Child.objects.get().last_name == "Quill"
    assert ("ssd_person.csv", 2, "pers_person_id") in where(result.warnings)
    result = imported(folder, {"person": [child(pers_dob="2015-03-16")], "cin_episodes": [episode()]})
    assert ("ssd_person.csv", 2, "pers_person_id") in where(result.warnings)


def test_what_a_later_extract_leaves_blank_the_register_keeps(folder):
    imported(folder, {"person": [child()], "cin_episodes": [episode()]})
    result = imported(
        folder,
        {
            "person": [child(pers_forename="", pers_surname="", pers_sex="", pers_dob="")],
            "cin_episodes": [episode()],
        },
    )
    kept = Child.objects.get()
    assert (kept.first_name, kept.last_name, kept.sex, kept.date_of_birth) == (
        "Ada",
        "Quill",
        "F",
        D(2015, 3, 15),
    )
    assert result.warnings == [] and result.counts["children"]["updated"] == 0


def test_a_referral_moved_to_another_team_is_reported(folder):
    imported(folder, {"person": [child()], "cin_episodes": [episode()]})
    other = {"dept_team_id": "T2", "dept_team_name": "Southvale Safeguarding"}
    result = imported(
        folder,
        {
            "department": [TEAM, other],
            "person": [child()],
            "cin_episodes": [episode(cine_referral_team="T2")],
        },
    )
    [warning] = result.warnings
    assert "Southvale Safeguarding" in warning.reason and "Northmoor Family Support" in warning.reason
    assert "C1" in warning.reason


def test_a_twin_under_the_others_id_is_refused(folder):
    """Same surname, birth date and sex; another forename and sex: two disagree."""
    ChildFactory(la_child_id="C1", first_name="Ada", last_name="Quill", date_of_birth=D(2015, 3, 15), sex="F")
    write_extract(folder, {"person": [child(pers_forename="Ben", pers_sex="M")], "cin_episodes": [episode()]})
    assert where(import_extract(folder).problems) == {("ssd_person.csv", 2, "pers_person_id")}


def test_a_child_coming_into_another_teams_view_is_reported(folder):
    east = TeamFactory(name="Northmoor East")
    EpisodeFactory(
        child=ChildFactory(
            la_child_id="C1", first_name="Ada", last_name="Quill", date_of_birth=D(2015, 3, 15)
        ),
        team=east,
        referral_date=D(2026, 1, 5),
        status="closed",
        closure_date=D(2026, 3, 2),
        reason_for_closure="RC7",
        closed_at=dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC),
    )
    result = imported(folder, {"person": [child()], "cin_episodes": [episode()]})
    [warning] = [p for p in result.warnings if p.file == "ssd_cin_episodes.csv"]
    assert warning.line == 2 and "C1" in warning.reason
    assert "Northmoor East" in warning.reason and "Northmoor Family Support" in warning.reason
    event = AuditEvent.objects.filter(object_type="ssd.ImportRun").latest("pk")
    assert event.after["team_moves"] == [
        {"child": "C1", "team": "Northmoor Family Support", "held_by": ["Northmoor East"]}
    ]
    # Again: the child is in the team's view already; nothing more to report.
    assert not [
        p
        for p in imported(folder, {"person": [child()], "cin_episodes": [episode()]}).warnings
        if p.file == "ssd_cin_episodes.csv"
    ]


def test_command_imports_with_warnings_and_writes_the_report(folder, tmp_path, capsys):
    visits = [{"cinv_cin_visit_id": "V2", "cinv_person_id": "C1", "cinv_cin_visit_date": "2025-01-06"}]
    write_extract(
        folder, {"person": [child(**NAMES)], "cin_episodes": [episode()], "cin_visits": visits}, "cp1252"
    )
    report = tmp_path / "report.csv"
    call_command("import_ssd", str(folder), "--report", str(report), "--no-progress")
    out = capsys.readouterr().out
    assert "Read ssd_person.csv as Windows-1252." in out and "2 warning(s)" in out
    lines = list(csv.DictReader(report.open(encoding="utf-8")))
    assert {(r["level"], r["file"], r["line"]) for r in lines} == {
        ("warning", "ssd_person.csv", "2"),
        ("warning", "ssd_cin_visits.csv", "2"),
    }
    assert Child.objects.get().first_name == "Zoë"


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 4,  # every byte, NULs included
        b'pers_person_id,pers_forename\r\nC1,"Ada\r\n',  # a quote never closed
        b"pers_person_id,pers_forename\r\nC1," + b"x" * 200_000 + b"\r\n",  # a field past csv's limit
        "\ufeffpers_person_id\r\nC1\r\n".encode("utf-16-le"),  # UTF-16 without its byte order mark
        b"\xff\xfe",  # a byte order mark and nothing else
        b"pers_person_id\r\n" + "C1\u202e".encode() + b"\r\n",  # a right-to-left override in an id
    ],
)
def test_no_file_gives_a_traceback(folder, content):
    write_extract(folder, {"person": [child()], "cin_episodes": [episode()]})
    (folder / "ssd_person.csv").write_bytes(content)
    result = import_extract(folder)
    assert all(p.file for p in result.problems + result.warnings)
    assert not result.ok or Child.objects.exists()
