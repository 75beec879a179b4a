"""The writer alone: records in, XML out, valid against DfE's schema and in its order."""

import datetime as dt
import io

from lxml import etree

from closewell.census.writer import (
    AssessmentRecord,
    ChildRecord,
    CINPlanRecord,
    CPPlanRecord,
    EpisodeRecord,
    Header,
    Section47Record,
    iter_census,
    write_census,
)

from .helpers import REFERENCE, assert_valid, schema

D = dt.date
HEADER = Header(year=2027, la_code="201", created_at=dt.datetime(2026, 4, 10, 9, 0))


def full_child(n: int = 1) -> ChildRecord:
    """A child with every item the schema has that Closewell writes."""
    return ChildRecord(
        la_child_id=f"C{n:06d}",
        upn="A201123456789",
        date_of_birth=D(2015, 5, 1),
        sex="M",
        ethnicity="WBRI",
        disabilities=["MOB", "MOB", "HEAR"],
        episodes=[
            EpisodeRecord(
                referral_date=D(2025, 1, 6),
                referral_source="1A",
                primary_need="N1",
                closure_date=D(2026, 6, 1),
                reason_for_closure="RC7",
                assessments=[AssessmentRecord(D(2025, 1, 7), D(2025, 2, 3), ["3A", "4B", "3A"])],
                cin_plans=[CINPlanRecord(D(2025, 9, 1), D(2026, 6, 1))],
                section47s=[Section47Record(D(2025, 1, 8), D(2025, 1, 29), D(2025, 1, 27), False)],
                cp_plans=[CPPlanRecord(D(2025, 1, 27), D(2025, 8, 29), "NEG", "EMO", 1, [D(2025, 4, 24)])],
            ),
            EpisodeRecord(
                referral_date=D(2026, 9, 1),
                referral_source="2A",
                primary_need="N4",
                assessments=[AssessmentRecord(D(2026, 9, 2), None, ["1B"])],
            ),
        ],
    )


def render(*children: ChildRecord) -> bytes:
    out = io.BytesIO()
    write_census(out, HEADER, children)
    return out.getvalue()


def test_full_child_is_valid_and_in_schema_order():
    doc = assert_valid(render(full_child()))
    episode = doc.find("Children/Child/CINdetails")
    assert [el.tag for el in episode] == [
        "CINreferralDate",
        "ReferralSource",
        "PrimaryNeedCode",
        "CINclosureDate",
        "ReasonForClosure",
        "Assessments",
        "CINPlanDates",
        "Section47",
        "ReferralNFA",
        "ChildProtectionPlans",
    ]
    ids = doc.find("Children/Child/ChildIdentifiers")
    assert [el.tag for el in ids] == ["LAchildID", "UPN", "PersonBirthDate", "Sex"]
    cpp = episode.find("ChildProtectionPlans")
    assert [el.text for el in cpp][:5] == ["2025-01-27", "2025-08-29", "NEG", "EMO", "1"]
    assert cpp.findtext("Reviews/CPPreviewDate") == "2025-04-24"
    s47 = episode.find("Section47")
    assert [el.tag for el in s47] == [
        "S47ActualStartDate",
        "InitialCPCtarget",
        "DateOfInitialCPC",
        "ICPCnotRequired",
    ]
    assert s47.findtext("ICPCnotRequired") == "0"


def test_header():
    doc = assert_valid(render(full_child()))
    assert doc.findtext("Header/CollectionDetails/Collection") == "CIN"
    assert doc.findtext("Header/CollectionDetails/Year") == "2027"
    assert doc.findtext("Header/CollectionDetails/ReferenceDate") == "2027-03-31"
    source = doc.find("Header/Source")
    assert [(el.tag, el.text) for el in source] == [
        ("SourceLevel", "L"),
        ("LEA", "201"),
        ("SoftwareCode", "Closewell"),
        ("Release", "1.0"),
        ("SerialNo", "001"),
        ("DateTime", "2026-04-10T09:00:00"),
    ]


def test_codes_written_once_and_factors_only_for_authorised_assessments():
    doc = assert_valid(render(full_child()))
    assert [d.text for d in doc.iter("Disability")] == ["MOB", "HEAR"]  # rule 8794
    first, second = doc.findall("Children/Child/CINdetails")
    assert [f.text for f in first.iter("AssessmentFactors")] == ["3A", "4B"]  # rule 8898
    # Rule 8614: the open assessment's factors are not written.
    assert second.find("Assessments/FactorsIdentifiedAtAssessment") is None
    assert second.find("Assessments/AssessmentAuthorisationDate") is None
    assert second.find("CINclosureDate") is None and second.find("ReasonForClosure") is None


def test_upn_unknown_expected_birth_and_death():
    unborn = ChildRecord(
        la_child_id="U1",
        upn_unknown="UN2",
        expected_date_of_birth=D(2027, 2, 1),
        sex="U",
        episodes=[EpisodeRecord(referral_date=D(2026, 10, 1), referral_source="3B", primary_need="N1")],
    )
    died = ChildRecord(
        la_child_id="D1",
        upn_unknown="UN5",
        date_of_birth=D(2020, 1, 1),
        sex="F",
        date_of_death=D(2026, 7, 1),
        disabilities=["NONE"],
        episodes=[
            EpisodeRecord(
                referral_date=D(2026, 5, 1),
                referral_source="3A",
                primary_need="N2",
                closure_date=D(2026, 7, 2),
                reason_for_closure="RC2",
                referral_nfa=False,
            )
        ],
    )
    doc = assert_valid(render(unborn, died))
    first, second = doc.findall("Children/Child/ChildIdentifiers")
    assert [el.tag for el in first] == ["LAchildID", "UPNunknown", "ExpectedPersonBirthDate", "Sex"]
    assert second.findtext("PersonDeathDate") == "2026-07-01"
    assert doc.findall("Children/Child")[0].find("ChildCharacteristics/Disabilities") is None


def test_reference_example_shape_matches():
    """DfE's example of a closed episode and ours of the same facts are the same XML, header aside."""
    example = etree.parse(str(REFERENCE / "example-closed-episode-2027.xml"))
    ours = assert_valid(
        render(
            ChildRecord(
                la_child_id="C000123",
                upn_unknown="UN1",
                date_of_birth=D(2024, 1, 15),
                sex="F",
                ethnicity="WBRI",
                disabilities=["NONE"],
                episodes=[
                    EpisodeRecord(
                        referral_date=D(2026, 6, 2),
                        referral_source="3B",
                        primary_need="N4",
                        closure_date=D(2026, 8, 1),
                        reason_for_closure="RC8",
                        assessments=[AssessmentRecord(D(2026, 6, 3), D(2026, 7, 20), ["21"])],
                    )
                ],
            )
        )
    )

    def canonical(doc):
        child = doc.find("Children/Child")
        return [(el.tag, (el.text or "").strip()) for el in child.iter()]

    assert canonical(ours) == canonical(example)
    assert schema().validate(example)


def test_streams_in_chunks():
    chunks = list(iter_census(HEADER, (full_child(n) for n in range(450)), flush_every=200))
    assert len(chunks) >= 3
    doc = assert_valid(b"".join(chunks))
    assert len(doc.findall("Children/Child")) == 450
