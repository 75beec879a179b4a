"""The CIN census XML writer: plain records in, the DfE's XML out, written incrementally.

Pure: it knows nothing of the database. queries.py turns the case register into these records;
this module turns records into the elements of CIN_schema_2026.xsd, in schema order, one child at a
time through lxml's ``etree.xmlfile`` so that memory stays flat however many children there are.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree

SOFTWARE_CODE = "Closewell"
RELEASE = "1.0"


@dataclass(frozen=True)
class Header:
    year: int
    la_code: str
    serial_no: str = "001"
    created_at: dt.datetime | None = None
    release: str = RELEASE

    @property
    def reference_date(self) -> dt.date:
        return reference_date(self.year)


@dataclass
class AssessmentRecord:
    start_date: dt.date
    authorisation_date: dt.date | None = None
    factors: list[str] = field(default_factory=list)


@dataclass
class CINPlanRecord:
    start_date: dt.date
    end_date: dt.date | None = None


@dataclass
class Section47Record:
    start_date: dt.date
    icpc_target_date: dt.date | None = None
    icpc_date: dt.date | None = None
    icpc_not_required: bool = False


@dataclass
class CPPlanRecord:
    start_date: dt.date
    end_date: dt.date | None
    initial_category: str
    latest_category: str
    number_of_previous_cpp: int = 0
    review_dates: list[dt.date] = field(default_factory=list)


@dataclass
class EpisodeRecord:
    referral_date: dt.date
    referral_source: str
    primary_need: str = ""
    closure_date: dt.date | None = None
    reason_for_closure: str = ""
    referral_nfa: bool = False
    # An initial conference not held within a section 47 enquiry of this episode; rule 2884 forbids
    # recording the same conference at both levels, so Closewell leaves this empty.
    date_of_initial_cpc: dt.date | None = None
    assessments: list[AssessmentRecord] = field(default_factory=list)
    cin_plans: list[CINPlanRecord] = field(default_factory=list)
    section47s: list[Section47Record] = field(default_factory=list)
    cp_plans: list[CPPlanRecord] = field(default_factory=list)
    # Not written: where the episode lives in Closewell, for the data-quality page's links.
    pk: int | None = None
    team_id: int | None = None


@dataclass
class ChildRecord:
    la_child_id: str
    sex: str
    upn: str = ""
    upn_unknown: str = ""
    date_of_birth: dt.date | None = None
    expected_date_of_birth: dt.date | None = None
    date_of_death: dt.date | None = None
    ethnicity: str = "NOBT"
    disabilities: list[str] = field(default_factory=list)
    episodes: list[EpisodeRecord] = field(default_factory=list)
    # Not written: the child's page and name in Closewell, for the data-quality page.
    pk: int | None = None
    name: str = ""


def reference_date(year: int) -> dt.date:
    """The census of `year` counts the year ending 31 March of that year."""
    return dt.date(year, 3, 31)


def year_start(year: int) -> dt.date:
    return dt.date(year - 1, 4, 1)


def _date(value: dt.date) -> str:
    return value.isoformat()


def _sub(parent, tag: str, text) -> None:
    etree.SubElement(parent, tag).text = text


def header_element(header: Header) -> etree._Element:
    created = (header.created_at or dt.datetime.now()).replace(microsecond=0, tzinfo=None)
    root = etree.Element("Header")
    details = etree.SubElement(root, "CollectionDetails")
    _sub(details, "Collection", "CIN")
    _sub(details, "Year", str(header.year))
    _sub(details, "ReferenceDate", _date(header.reference_date))
    source = etree.SubElement(root, "Source")
    _sub(source, "SourceLevel", "L")
    _sub(source, "LEA", header.la_code)
    _sub(source, "SoftwareCode", SOFTWARE_CODE)
    _sub(source, "Release", header.release)
    _sub(source, "SerialNo", header.serial_no)
    _sub(source, "DateTime", created.isoformat())
    return root


def _assessment(parent, assessment: AssessmentRecord) -> None:
    el = etree.SubElement(parent, "Assessments")
    _sub(el, "AssessmentActualStartDate", _date(assessment.start_date))
    if assessment.authorisation_date:
        _sub(el, "AssessmentAuthorisationDate", _date(assessment.authorisation_date))
        # Rule 8614: factors belong only to a completed (authorised) assessment.
        if assessment.factors:
            factors = etree.SubElement(el, "FactorsIdentifiedAtAssessment")
            for code in dict.fromkeys(assessment.factors):  # rule 8898: each code once
                _sub(factors, "AssessmentFactors", code)


def _cin_plan(parent, plan: CINPlanRecord) -> None:
    el = etree.SubElement(parent, "CINPlanDates")
    _sub(el, "CINPlanStartDate", _date(plan.start_date))
    if plan.end_date:
        _sub(el, "CINPlanEndDate", _date(plan.end_date))


def _section47(parent, s47: Section47Record) -> None:
    el = etree.SubElement(parent, "Section47")
    _sub(el, "S47ActualStartDate", _date(s47.start_date))
    if s47.icpc_target_date:
        _sub(el, "InitialCPCtarget", _date(s47.icpc_target_date))
    if s47.icpc_date:
        _sub(el, "DateOfInitialCPC", _date(s47.icpc_date))
    _sub(el, "ICPCnotRequired", "1" if s47.icpc_not_required else "0")


def _cp_plan(parent, plan: CPPlanRecord) -> None:
    el = etree.SubElement(parent, "ChildProtectionPlans")
    _sub(el, "CPPstartDate", _date(plan.start_date))
    if plan.end_date:
        _sub(el, "CPPendDate", _date(plan.end_date))
    _sub(el, "InitialCategoryOfAbuse", plan.initial_category)
    _sub(el, "LatestCategoryOfAbuse", plan.latest_category)
    _sub(el, "NumberOfPreviousCPP", str(plan.number_of_previous_cpp))
    if plan.review_dates:
        reviews = etree.SubElement(el, "Reviews")
        for day in plan.review_dates:
            _sub(reviews, "CPPreviewDate", _date(day))


def _episode(parent, episode: EpisodeRecord) -> None:
    el = etree.SubElement(parent, "CINdetails")
    _sub(el, "CINreferralDate", _date(episode.referral_date))
    _sub(el, "ReferralSource", episode.referral_source)
    if episode.primary_need:
        _sub(el, "PrimaryNeedCode", episode.primary_need)
    if episode.closure_date:
        _sub(el, "CINclosureDate", _date(episode.closure_date))
    if episode.reason_for_closure:
        _sub(el, "ReasonForClosure", episode.reason_for_closure)
    if episode.date_of_initial_cpc:
        _sub(el, "DateOfInitialCPC", _date(episode.date_of_initial_cpc))
    for assessment in episode.assessments:
        _assessment(el, assessment)
    for plan in episode.cin_plans:
        _cin_plan(el, plan)
    for s47 in episode.section47s:
        _section47(el, s47)
    _sub(el, "ReferralNFA", "1" if episode.referral_nfa else "0")
    for plan in episode.cp_plans:
        _cp_plan(el, plan)


def child_element(child: ChildRecord) -> etree._Element:
    """One <Child>, every item in the order CIN_schema_2026.xsd requires."""
    root = etree.Element("Child")
    ids = etree.SubElement(root, "ChildIdentifiers")
    _sub(ids, "LAchildID", child.la_child_id)
    if child.upn:
        _sub(ids, "UPN", child.upn)
    elif child.upn_unknown:
        _sub(ids, "UPNunknown", child.upn_unknown)
    # Rule 8525Q: a date of birth or an expected date of birth, not both.
    if child.date_of_birth:
        _sub(ids, "PersonBirthDate", _date(child.date_of_birth))
    elif child.expected_date_of_birth:
        _sub(ids, "ExpectedPersonBirthDate", _date(child.expected_date_of_birth))
    _sub(ids, "Sex", child.sex)
    if child.date_of_death:
        _sub(ids, "PersonDeathDate", _date(child.date_of_death))
    characteristics = etree.SubElement(root, "ChildCharacteristics")
    _sub(characteristics, "Ethnicity", child.ethnicity)
    if child.disabilities:
        disabilities = etree.SubElement(characteristics, "Disabilities")
        for code in dict.fromkeys(child.disabilities):  # rule 8794: each code once
            _sub(disabilities, "Disability", code)
    for episode in child.episodes:
        _episode(root, episode)
    return root


class _Chunks:
    """A write-only file that hands back what was written since it was last asked."""

    def __init__(self):
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        self._parts.append(bytes(data))

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def iter_census(
    header: Header, children: Iterable[ChildRecord], *, flush_every: int = 200
) -> Iterator[bytes]:
    """The return as a stream of UTF-8 byte chunks, for a streamed download or a file.

    Each child is built as a small tree, written and dropped; lxml's incremental writer keeps the open
    Message and Children elements, so memory holds one chunk of children at a time.
    """
    sink = _Chunks()
    with etree.xmlfile(sink, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("Message"):
            xf.write("\n")
            xf.write(header_element(header), pretty_print=True)
            with xf.element("Children"):
                xf.write("\n")
                for count, child in enumerate(children, start=1):
                    xf.write(child_element(child), pretty_print=True)
                    if count % flush_every == 0:
                        xf.flush()
                        yield sink.take()
    yield sink.take() + b"\n"


def write_census(out, header: Header, children: Iterable[ChildRecord]) -> int:
    """Write the whole return to `out` (a binary file object); returns how many children it holds."""
    counted = _Counter(children)
    for data in iter_census(header, counted):
        out.write(data)
    return counted.count


class _Counter:
    def __init__(self, items: Iterable):
        self._items = items
        self.count = 0

    def __iter__(self):
        for item in self._items:
            self.count += 1
            yield item
