"""A round trip on an extract written from the SSD specification alone (spec_extract.py): it imports
(with the warnings it should give and no others), and its CIN census passes DfE's schema and DfE's
own validator with an empty report."""

import pytest

from closewell.census.quality import check_child
from closewell.census.queries import stream_children
from closewell.census.tests.helpers import assert_valid, export, needs_validator, run_dfe
from closewell.ssd.importer import import_extract

from . import spec_extract

pytestmark = pytest.mark.django_db

EXPECTED_WARNINGS = {
    ("ssd_person.csv", 2, ""),  # read as Windows-1252 (Zoë, on line 2, is not UTF-8)
    ("ssd_person.csv", 10, "pers_ethnicity"),  # CNHE read as CHNE
    ("ssd_person.csv", 15, "pers_forename"),  # the unborn child: "Unborn"
    ("ssd_person.csv", 19, "pers_forename"),  # an adult with no name
    ("ssd_person.csv", 19, "pers_surname"),
    ("ssd_initial_cp_conference.csv", 3, "icpc_s47_enquiry_id"),  # placed on the one enquiry
    ("ssd_cin_visits.csv", 3, "cinv_cin_visit_date"),  # before any episode: skipped
}


@pytest.fixture
def extract(tmp_path):
    folder = tmp_path / "spec"
    spec_extract.write(folder)
    return folder


def imported(extract, expected=EXPECTED_WARNINGS):
    result = import_extract(extract)
    assert result.ok, result.problems
    assert {(w.file, w.line, w.column) for w in result.warnings} == expected, result.warnings
    assert result.encodings["ssd_person.csv"] == "Windows-1252"
    assert result.encodings["ssd_department.csv"] == "UTF-8 with a byte order mark"
    return result


def test_the_census_fields_from_the_specifications_extract(extract, tmp_path):
    imported(extract)
    doc = assert_valid(export(tmp_path))
    child = {c.findtext("ChildIdentifiers/LAchildID"): c for c in doc.iterfind("Children/Child")}
    assert len(child) == 16
    assert [e.text for e in child["CH07"].iterfind(".//Section47/ICPCnotRequired")] == ["1"]
    assert [e.text for e in child["CH10"].iterfind(".//Section47/ICPCnotRequired")] == ["1"]
    s47 = child["CH11"].find(".//Section47")
    assert (s47.findtext("DateOfInitialCPC"), s47.findtext("ICPCnotRequired")) == ("2026-06-23", "0")
    plan = child["CH11"].find(".//ChildProtectionPlans")
    assert plan.findtext("NumberOfPreviousCPP") == "1"
    assert (plan.findtext("InitialCategoryOfAbuse"), plan.findtext("CPPstartDate")) == ("MUL", "2026-06-23")
    assert child["CH14"].find(".//Disabilities") is None
    assert child["CH14"].findtext("ChildIdentifiers/ExpectedPersonBirthDate") == "2027-04-20"
    assert child["CH09"].findtext("ChildCharacteristics/Ethnicity") == "CHNE"
    reasons = sorted(c.findtext("CINdetails/ReasonForClosure") or "" for c in child.values())
    assert [r for r in reasons if r] == [
        "RC1",
        "RC2",
        "RC3",
        "RC4",
        "RC5",
        "RC6",
        "RC7",
        "RC7",
        "RC7",
        "RC8",
        "RC9",
    ]
    ours = {(c.la_child_id, i.code) for c in stream_children(2027) for i in check_child(c, 2027)}
    assert ours == set()


def test_reimporting_the_specifications_extract_changes_nothing(extract):
    imported(extract)
    # The unborn child's forename is in the register now: what the extract leaves blank is kept.
    again = imported(extract, EXPECTED_WARNINGS - {("ssd_person.csv", 15, "pers_forename")})
    assert all(c["created"] == 0 and c["updated"] == 0 for c in again.counts.values()), again.counts


@needs_validator
def test_the_specifications_extract_passes_dfes_validator_with_an_empty_report(extract, tmp_path):
    imported(extract)
    path = export(tmp_path)
    assert_valid(path)
    dfe = run_dfe(path, 2027)
    assert dfe.rows == []
    assert dfe.return_level == [] and dfe.failed_rules == []
