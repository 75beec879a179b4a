"""Data quality: the census errors and queries DfE's validator would raise, found before the return.

Pure checks over the same ChildRecords the writer writes (so they see exactly what DfE will see),
each named by the DfE rule it mirrors. Only rules our data can break are here: many others are made
impossible by the database's own constraints (8805, 8810, 8815, 8820 ...) or by the writer.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from closewell.cases.codes import AFTER_ASSESSMENT_REASONS

from .writer import ChildRecord, EpisodeRecord, reference_date, year_start

# Characters 2-4 of a UPN: post-April-1998 LA codes and the pseudo LA codes (DfE rule 1530).
UPN_LA_CODES = frozenset(
    [f"{n:03d}" for n in range(1, 6)]
    + [
        str(n)
        for r in (
            range(201, 214),
            range(301, 321),
            range(330, 337),
            range(340, 345),
            range(350, 360),
            range(370, 374),
            range(380, 385),
            range(390, 395),
            range(660, 682),
            range(701, 709),
            range(800, 804),
            range(805, 809),
            range(810, 814),
            range(820, 824),
            range(835, 840),
            range(850, 853),
            range(855, 858),
            range(865, 897),
            range(935, 939),
            range(940, 942),
        )
        for n in r
    ]
    + [
        "420",
        "815",
        "816",
        "825",
        "826",
        "830",
        "831",
        "840",
        "841",
        "845",
        "846",
        "860",
        "861",
        "908",
        "909",
        "916",
        "919",
        "921",
        "925",
        "926",
        "928",
        "929",
        "931",
        "933",
    ]
)
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


@dataclass(frozen=True)
class Issue:
    code: str
    message: str
    child_pk: int | None
    la_child_id: str
    child_name: str
    episode_pk: int | None = None
    team_id: int | None = None

    @property
    def is_query(self) -> bool:
        """A query (code ending Q) may be explained to DfE; an error must be fixed."""
        return self.code.endswith("Q")


def upn_check_letter(digits: str) -> str:
    """DfE's check letter for the 12 characters after it (rule 1510)."""
    total = sum(int(ch) * weight for weight, ch in enumerate(digits, start=2))
    return UPN_CHECK_LETTERS[total % 23]


def upn_problems(upn: str) -> list[tuple[str, str]]:
    """The UPN rules: 1540 (5-12 numeric), 1550 (13th a digit or letter), 1530 (LA code), 1510."""
    found = []
    if len(upn) != 13 or not upn[0].isalpha():
        return [("1510", "The UPN is not 13 characters starting with a letter.")]
    if not upn[4:12].isdigit():
        found.append(("1540", "Characters 5 to 12 of the UPN are not all numbers."))
    if not (upn[12].isdigit() or upn[12].upper() in UPN_CHECK_LETTERS):
        found.append(("1550", "Character 13 of the UPN is not a number or a recognised letter."))
    if upn[1:4] not in UPN_LA_CODES:
        found.append(("1530", f"Characters 2 to 4 of the UPN ({upn[1:4]}) are not a recognised LA code."))
    if upn[1:].isdigit() and upn_check_letter(upn[1:]) != upn[0].upper():
        found.append(("1510", "The UPN's check letter (the first character) is wrong."))
    return found


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Weekdays after `start` up to and including `end` (bank holidays are not counted out)."""
    days = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            days += 1
    return days


def _activity(episode: EpisodeRecord) -> Iterator[tuple[str, dt.date]]:
    """The dated work on an episode that CIN rule 8565 holds to the closure date."""
    for a in episode.assessments:
        yield "An assessment started", a.start_date
        if a.authorisation_date:
            yield "An assessment was authorised", a.authorisation_date
    for s in episode.section47s:
        yield "A section 47 enquiry started", s.start_date
        if s.icpc_date:
            yield "An initial child protection conference was held", s.icpc_date
    for p in episode.cp_plans:
        if p.end_date:
            yield "A child protection plan ended", p.end_date
    for p in episode.cin_plans:
        yield "A CIN plan started", p.start_date
        if p.end_date:
            yield "A CIN plan ended", p.end_date


def episode_problems(child: ChildRecord, episode: EpisodeRecord, year: int) -> list[tuple[str, str]]:
    start, ref = year_start(year), reference_date(year)
    found: list[tuple[str, str]] = []
    closed = episode.closure_date is not None
    add = found.append

    if not episode.primary_need and not episode.referral_nfa:
        add(("8610", "The primary need is missing for a referral that led to further action."))
    if closed and episode.closure_date < episode.referral_date:
        add(("8630", "The closure date is before the referral date."))
    if closed:
        for what, day in _activity(episode):
            if day > episode.closure_date:
                add(
                    (
                        "8565",
                        f"{what} ({day:%d/%m/%Y}) after the case was closed "
                        f"({episode.closure_date:%d/%m/%Y}).",
                    )
                )
    if episode.reason_for_closure == "RC2" and child.date_of_death is None:
        add(("8585Q", "Closed because the child died (RC2), but the child has no date of death."))
    if child.date_of_death and episode.referral_date > child.date_of_death:
        add(("8555Q", "The child was referred after their recorded date of death."))

    after_assessment = episode.reason_for_closure in AFTER_ASSESSMENT_REASONS
    if after_assessment and not episode.assessments:
        add(("8825Q", f"Closed after assessment ({episode.reason_for_closure}), but there is no assessment."))
    if after_assessment and (episode.cin_plans or episode.section47s or episode.cp_plans):
        add(
            (
                "2990",
                f"Closed after assessment ({episode.reason_for_closure}), but the episode has a "
                "CIN plan, section 47 enquiry or child protection plan.",
            )
        )

    open_assessments = 0
    for a in episode.assessments:
        if a.start_date < episode.referral_date:
            add(("1103", f"An assessment starts ({a.start_date:%d/%m/%Y}) before the referral date."))
        if a.authorisation_date is None:
            open_assessments += 1
            if closed:
                add(("8867", "The episode is closed but an assessment is not authorised."))
            if not (start <= a.start_date <= ref):
                add(("8736", "An assessment not authorised started before the census year."))
            elif working_days_between(a.start_date, ref) > 45:
                add(
                    (
                        "8670Q",
                        f"An assessment started {a.start_date:%d/%m/%Y}, more than 45 working days "
                        "before the end of the census year, has no authorisation date.",
                    )
                )
        else:
            if not a.factors:
                add(("8897Q", "A completed assessment has no factors recorded."))
            if "21" in a.factors and len(set(a.factors)) > 1:
                add(("8869", "Factor 21 (no factors identified) is recorded with other factors."))
    if open_assessments > 1:
        add(("8896", "Two or more assessments in the episode are not authorised."))
    if (
        len(episode.assessments) == 1
        and episode.assessments[0].authorisation_date
        and "21" in episode.assessments[0].factors
        and not after_assessment
    ):
        add(("8873Q", "The only assessment found no factors (21): the episode should close as RC8 or RC9."))

    icpc_dates = {s.icpc_date for s in episode.section47s if s.icpc_date}
    open_s47 = 0
    for s in episode.section47s:
        if s.start_date < episode.referral_date:
            add(("2889", "A section 47 enquiry starts before the referral date."))
        if s.icpc_date and s.icpc_date.weekday() >= 5:
            add(
                ("8875", f"The initial child protection conference ({s.icpc_date:%d/%m/%Y}) is on a weekend.")
            )
        if s.icpc_target_date and s.icpc_target_date.weekday() >= 5:
            add(("8870Q", f"The conference target date ({s.icpc_target_date:%d/%m/%Y}) is on a weekend."))
        if not s.icpc_date and not s.icpc_not_required:
            open_s47 += 1
            if closed:
                add(
                    (
                        "8868",
                        "The episode is closed but a section 47 enquiry has no conference date and "
                        "is not marked 'conference not required'.",
                    )
                )
            if s.start_date < start:
                add(("8740", "A section 47 enquiry without a conference started before the census year."))
            elif working_days_between(s.start_date, ref) > 15:
                add(
                    ("8675Q", f"A section 47 enquiry started {s.start_date:%d/%m/%Y} has no conference date.")
                )
    if open_s47 > 1:
        add(("8839", "Two or more section 47 enquiries are open at once."))
    if episode.section47s and not episode.assessments:
        add(("2991Q", "A section 47 enquiry is recorded and there is no assessment on the episode."))

    for p in episode.cin_plans:
        if p.start_date < episode.referral_date:
            add(("4015", "A CIN plan starts before the referral date."))
        if p.end_date == p.start_date:
            add(("4012Q", "A CIN plan starts and ends on the same day."))
    if sum(1 for p in episode.cin_plans if p.end_date is None) > 1:
        add(("4004", "More than one CIN plan is open."))
    for p in episode.cp_plans:
        if p.start_date < episode.referral_date:
            add(("1105", "A child protection plan starts before the referral date."))
        if p.end_date == p.start_date:
            add(("8840", "A child protection plan starts and ends on the same day."))
        held = [x for x in episode.section47s if not x.icpc_not_required]
        if start <= p.start_date <= ref and held and p.start_date not in icpc_dates:
            add(
                (
                    "2885",
                    f"A child protection plan starts ({p.start_date:%d/%m/%Y}) on a day with no "
                    "initial child protection conference.",
                )
            )
    open_cpp = any(p.end_date is None for p in episode.cp_plans)
    if open_cpp and any(c.end_date is None for c in episode.cin_plans):
        add(("4001", "A CIN plan is open at the same time as an open child protection plan."))
    if sum(1 for p in episode.cp_plans if p.end_date is None) > 1:
        add(("8935", "More than one child protection plan is open."))
    return found


def school_age_born_by(year: int) -> dt.date:
    """Children born on or before this day are of school age in the census of `year`, as DfE's rule
    8770Q counts it (31 August six years before the census year's end)."""
    return dt.date(year - 6, 8, 31)


def child_problems(child: ChildRecord, year: int) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if len(child.la_child_id) > 20:
        found.append(("1570", "The LA child ID is longer than 20 characters."))
    if not child.la_child_id.isalnum():
        found.append(("1580", "The LA child ID has characters that are not letters or numbers."))
    if child.upn:
        found.extend(upn_problems(child.upn))
    elif not child.upn_unknown:
        found.append(("8770Q", "There is no UPN and no reason it is unknown."))
    elif (
        child.upn_unknown == "UN1"
        and child.date_of_birth
        and child.date_of_birth <= school_age_born_by(year)
        and any(not e.referral_nfa for e in child.episodes)
    ):
        found.append(
            ("8770Q", "UN1 (not of school age) is recorded for a child of school age: give the UPN.")
        )
    if not child.disabilities and child.date_of_birth:
        found.append(("8540", "The child's disability is missing (record NONE if they have none)."))
    elif "NONE" in child.disabilities and len(child.disabilities) > 1:
        found.append(("8790", "The disabilities include both 'none' and other codes."))
    if child.date_of_birth is None and child.expected_date_of_birth and child.sex != "U":
        found.append(("8750", "An unborn child's sex must be recorded as not known (U)."))
    if child.date_of_birth and child.date_of_birth > reference_date(year):
        found.append(("8520", "The date of birth is after the end of the census year."))
    return found


def check_child(child: ChildRecord, year: int) -> list[Issue]:
    """Every problem with one child's census record, child-level first, then episode by episode."""

    def issue(code, message, episode=None):
        return Issue(
            code=code,
            message=message,
            child_pk=child.pk,
            la_child_id=child.la_child_id,
            child_name=child.name,
            episode_pk=episode.pk if episode else None,
            team_id=episode.team_id if episode else None,
        )

    issues = [issue(code, message) for code, message in child_problems(child, year)]
    for episode in child.episodes:
        found = episode_problems(child, episode, year)
        issues.extend(issue(code, message, episode) for code, message in found)
    issues.extend(issue(code, message, episode) for code, message, episode in plan_overlaps(child, year))
    return issues


def _starts_within(day: dt.date, start: dt.date, end: dt.date | None, ref: dt.date) -> bool:
    """`day` is on or after `start` and before `end` (or by the reference date while still open)."""
    return day >= start and (day < end if end else day <= ref)


def plan_overlaps(child: ChildRecord, year: int) -> Iterator[tuple[str, str, EpisodeRecord]]:
    """Rules 4016 and 4017, across all of a child's episodes: a CIN plan starting while a child
    protection plan runs, or a child protection plan starting while a CIN plan runs."""
    ref = reference_date(year)
    cin = [(p, e) for e in child.episodes for p in e.cin_plans]
    cpp = [(p, e) for e in child.episodes for p in e.cp_plans]
    for c, c_episode in cin:
        for p, _ in cpp:
            if _starts_within(c.start_date, p.start_date, p.end_date, ref):
                yield (
                    "4016",
                    f"A CIN plan starts ({c.start_date:%d/%m/%Y}) while a child protection plan is open.",
                    c_episode,
                )
    for p, p_episode in cpp:
        for c, _ in cin:
            if _starts_within(p.start_date, c.start_date, c.end_date, ref):
                yield (
                    "4017",
                    f"A child protection plan starts ({p.start_date:%d/%m/%Y}) while a CIN plan is open.",
                    p_episode,
                )


def check_children(children: Iterable[ChildRecord], year: int) -> Iterator[tuple[ChildRecord, list[Issue]]]:
    """Each child that has a problem, with its problems."""
    for child in children:
        issues = check_child(child, year)
        if issues:
            yield child, issues
