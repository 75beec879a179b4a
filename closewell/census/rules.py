"""The CIN census rules Closewell checks: one function per DfE rule, in one place.

Each rule reads the census records the writer writes (ChildRecord, EpisodeRecord: so it sees exactly
what DfE will see) and yields a message for each breach. The same functions run on the data quality
page (census/quality.py: every child in the return) and when a Closure Record is submitted and
authorised (closures/checks.py check_census: the episode as it will be closed). Only rules our data
can break are here: many others are made impossible by the database's own constraints (8805, 8810,
8815, 8820 ...) or by the writer.

Add a rule: write one function below with @child_rule, @episode_rule or @case_rule and the DfE code,
and an example that breaks it in census/tests/test_rules.py (a rule without an example fails there).
"""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from closewell.cases.codes import AFTER_ASSESSMENT_REASONS
from closewell.core.dates import working_days_between

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
class Rule:
    """One DfE rule: its code and the function that finds its breaches.

    level: "child" (the child's own details: check(child, year)), "episode" (one episode:
    check(child, episode, year)) or "case" (across the child's episodes: check(child, year), yielding
    (message, episode))."""

    code: str
    level: str
    check: Callable

    @property
    def is_query(self) -> bool:
        """A query (code ending Q) may be explained to DfE; an error must be fixed."""
        return self.code.endswith("Q")


RULES: dict[str, Rule] = {}


def _register(level: str, code: str):
    def register(check):
        if code in RULES:
            raise ValueError(f"CIN rule {code} is registered twice.")
        RULES[code] = Rule(code=code, level=level, check=check)
        return check

    return register


def child_rule(code: str):
    return _register("child", code)


def episode_rule(code: str):
    return _register("episode", code)


def case_rule(code: str):
    return _register("case", code)


def rules_at(level: str) -> list[Rule]:
    return [rule for rule in RULES.values() if rule.level == level]


# --- The UPN (rules 1510-1550) ------------------------------------------------------------------------

_UPN_VALUES = {**{str(i): i for i in range(10)}, **{c: i for i, c in enumerate(UPN_CHECK_LETTERS)}}


def upn_check_letter(characters: str) -> str:
    """DfE's check letter for the 12 characters after it (rule 1510): characters 2 to 13 weighted 2
    to 13, modulo 23 (a letter in the 13th place counts as its place in the check letters)."""
    total = sum(_UPN_VALUES[ch.upper()] * weight for weight, ch in enumerate(characters, start=2))
    return UPN_CHECK_LETTERS[total % 23]


def _upn_shaped(upn: str) -> bool:
    return len(upn) == 13 and upn[0].isalpha()


@child_rule("1540")
def upn_digits(child: ChildRecord, year: int) -> Iterator[str]:
    upn = child.upn
    if upn and _upn_shaped(upn) and not upn[4:12].isdigit():
        yield "Characters 5 to 12 of the UPN are not all numbers."


@child_rule("1550")
def upn_last_character(child: ChildRecord, year: int) -> Iterator[str]:
    upn = child.upn
    if upn and _upn_shaped(upn) and not (upn[12].isdigit() or upn[12].upper() in UPN_CHECK_LETTERS):
        yield "Character 13 of the UPN is not a number or a recognised letter."


@child_rule("1530")
def upn_la_code(child: ChildRecord, year: int) -> Iterator[str]:
    upn = child.upn
    if upn and _upn_shaped(upn) and upn[1:4] not in UPN_LA_CODES:
        yield f"Characters 2 to 4 of the UPN ({upn[1:4]}) are not a recognised LA code."


@child_rule("1510")
def upn_check(child: ChildRecord, year: int) -> Iterator[str]:
    upn = child.upn
    if not upn:
        return
    if not _upn_shaped(upn):
        yield "The UPN is not 13 characters starting with a letter."
    elif upn[1:].isdigit() and upn_check_letter(upn[1:]) != upn[0].upper():
        yield "The UPN's check letter (the first character) is wrong."


def upn_problems(upn: str) -> list[tuple[str, str]]:
    """The UPN rules alone, on one UPN: (code, message) for each breach."""
    child = ChildRecord(la_child_id="", sex="U", upn=upn)
    return [(code, m) for code in ("1510", "1540", "1550", "1530") for m in RULES[code].check(child, 0)]


# --- The child's own details ----------------------------------------------------------------------------


@child_rule("1570")
def la_child_id_length(child: ChildRecord, year: int) -> Iterator[str]:
    if len(child.la_child_id) > 20:
        yield "The LA child ID is longer than 20 characters."


@child_rule("1580")
def la_child_id_characters(child: ChildRecord, year: int) -> Iterator[str]:
    if not child.la_child_id.isalnum():
        yield "The LA child ID has characters that are not letters or numbers."


def school_age_born_by(year: int) -> dt.date:
    """Children born on or before this day are of school age in the census of `year`, as DfE's rule
    8770Q counts it (31 August six years before the census year's end)."""
    return dt.date(year - 6, 8, 31)


@child_rule("8770Q")
def upn_or_reason_unknown(child: ChildRecord, year: int) -> Iterator[str]:
    """A UPN, or why it is unknown; and UN1 (not yet of school age) only for a child who is not of
    school age, where any episode led to further action."""
    if child.upn:
        return
    if not child.upn_unknown:
        yield "There is no UPN and no reason it is unknown."
    elif (
        child.upn_unknown == "UN1"
        and child.date_of_birth
        and child.date_of_birth <= school_age_born_by(year)
        and any(not e.referral_nfa for e in child.episodes)
    ):
        yield "UN1 (not of school age) is recorded for a child of school age: give the UPN."


@child_rule("8540")
def disability_recorded(child: ChildRecord, year: int) -> Iterator[str]:
    """A born child's disability (NONE if none); an unborn child (no date of birth yet) has none to record."""
    if not child.disabilities and child.date_of_birth:
        yield "The child's disability is missing (record NONE if they have none)."


@child_rule("8790")
def disability_none_alone(child: ChildRecord, year: int) -> Iterator[str]:
    if "NONE" in child.disabilities and len(child.disabilities) > 1:
        yield "The disabilities include both 'none' and other codes."


@child_rule("8750")
def unborn_sex_unknown(child: ChildRecord, year: int) -> Iterator[str]:
    if child.date_of_birth is None and child.expected_date_of_birth and child.sex != "U":
        yield "An unborn child's sex must be recorded as not known (U)."


@child_rule("8520")
def born_by_reference_date(child: ChildRecord, year: int) -> Iterator[str]:
    if child.date_of_birth and child.date_of_birth > reference_date(year):
        yield "The date of birth is after the end of the census year."


# --- One episode: the referral and its closure ------------------------------------------------------------


@episode_rule("8610")
def primary_need(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    if not episode.primary_need and not episode.referral_nfa:
        yield "The primary need is missing for a referral that led to further action."


@episode_rule("8630")
def closure_not_before_referral(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    if episode.closure_date is not None and episode.closure_date < episode.referral_date:
        yield "The closure date is before the referral date."


def activity(episode: EpisodeRecord) -> Iterator[tuple[str, dt.date]]:
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


@episode_rule("8565")
def no_activity_after_closure(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    """DfE: nothing in the episode is dated after its closure date."""
    if episode.closure_date is None:
        return
    for what, day in activity(episode):
        if day > episode.closure_date:
            yield f"{what} ({day:%d/%m/%Y}) after the case was closed ({episode.closure_date:%d/%m/%Y})."


@episode_rule("8585Q")
def died_has_date_of_death(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    if episode.reason_for_closure == "RC2" and child.date_of_death is None:
        yield "Closed because the child died (RC2), but the child has no date of death."


@episode_rule("8555Q")
def referred_before_death(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    if child.date_of_death and episode.referral_date > child.date_of_death:
        yield "The child was referred after their recorded date of death."


def _after_assessment(episode: EpisodeRecord) -> bool:
    return episode.reason_for_closure in AFTER_ASSESSMENT_REASONS


@episode_rule("8825Q")
def after_assessment_has_assessment(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    if _after_assessment(episode) and not episode.assessments:
        yield f"Closed after assessment ({episode.reason_for_closure}), but there is no assessment."


@episode_rule("2990")
def after_assessment_has_no_plan(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    if _after_assessment(episode) and (episode.cin_plans or episode.section47s or episode.cp_plans):
        yield (
            f"Closed after assessment ({episode.reason_for_closure}), but the episode has a "
            "CIN plan, section 47 enquiry or child protection plan."
        )


# --- Assessments ----------------------------------------------------------------------------------------


@episode_rule("1103")
def assessment_after_referral(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    for a in episode.assessments:
        if a.start_date < episode.referral_date:
            yield f"An assessment starts ({a.start_date:%d/%m/%Y}) before the referral date."


@episode_rule("8867")
def closed_assessments_authorised(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    if episode.closure_date is None:
        return
    for a in episode.assessments:
        if a.authorisation_date is None:
            yield "The episode is closed but an assessment is not authorised."


@episode_rule("8736")
def open_assessment_in_year(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    start, ref = year_start(year), reference_date(year)
    for a in episode.assessments:
        if a.authorisation_date is None and not (start <= a.start_date <= ref):
            yield "An assessment not authorised started before the census year."


@episode_rule("8670Q")
def open_assessment_within_45_days(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    start, ref = year_start(year), reference_date(year)
    for a in episode.assessments:
        if (
            a.authorisation_date is None
            and start <= a.start_date <= ref
            and working_days_between(a.start_date, ref) > 45
        ):
            yield (
                f"An assessment started {a.start_date:%d/%m/%Y}, more than 45 working days "
                "before the end of the census year, has no authorisation date."
            )


@episode_rule("8897Q")
def completed_assessment_has_factors(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    for a in episode.assessments:
        if a.authorisation_date and not a.factors:
            yield "A completed assessment has no factors recorded."


@episode_rule("8869")
def factor_21_alone(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    for a in episode.assessments:
        if a.authorisation_date and "21" in a.factors and len(set(a.factors)) > 1:
            yield "Factor 21 (no factors identified) is recorded with other factors."


@episode_rule("8896")
def one_open_assessment(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    if sum(1 for a in episode.assessments if a.authorisation_date is None) > 1:
        yield "Two or more assessments in the episode are not authorised."


@episode_rule("8873Q")
def no_factors_closes_after_assessment(
    child: ChildRecord, episode: EpisodeRecord, year: int
) -> Iterator[str]:
    only = episode.assessments[0] if len(episode.assessments) == 1 else None
    if only and only.authorisation_date and "21" in only.factors and not _after_assessment(episode):
        yield "The only assessment found no factors (21): the episode should close as RC8 or RC9."


# --- Section 47 enquiries -----------------------------------------------------------------------------------


def _open_section47s(episode: EpisodeRecord):
    return [s for s in episode.section47s if not s.icpc_date and not s.icpc_not_required]


@episode_rule("2889")
def section47_after_referral(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    for s in episode.section47s:
        if s.start_date < episode.referral_date:
            yield "A section 47 enquiry starts before the referral date."


@episode_rule("8875")
def conference_on_a_weekday(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    for s in episode.section47s:
        if s.icpc_date and s.icpc_date.weekday() >= 5:
            yield f"The initial child protection conference ({s.icpc_date:%d/%m/%Y}) is on a weekend."


@episode_rule("8870Q")
def conference_target_on_a_weekday(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    for s in episode.section47s:
        if s.icpc_target_date and s.icpc_target_date.weekday() >= 5:
            yield f"The conference target date ({s.icpc_target_date:%d/%m/%Y}) is on a weekend."


@episode_rule("8868")
def closed_section47s_completed(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    if episode.closure_date is None:
        return
    for _ in _open_section47s(episode):
        yield (
            "The episode is closed but a section 47 enquiry has no conference date and "
            "is not marked 'conference not required'."
        )


@episode_rule("8740")
def open_section47_in_year(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    for s in _open_section47s(episode):
        if s.start_date < year_start(year):
            yield "A section 47 enquiry without a conference started before the census year."


@episode_rule("8675Q")
def open_section47_within_15_days(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    start, ref = year_start(year), reference_date(year)
    for s in _open_section47s(episode):
        if s.start_date >= start and working_days_between(s.start_date, ref) > 15:
            yield f"A section 47 enquiry started {s.start_date:%d/%m/%Y} has no conference date."


@episode_rule("8839")
def one_open_section47(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    if len(_open_section47s(episode)) > 1:
        yield "Two or more section 47 enquiries are open at once."


@episode_rule("2991Q")
def section47_has_assessment(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    if episode.section47s and not episode.assessments:
        yield "A section 47 enquiry is recorded and there is no assessment on the episode."


# --- Plans ---------------------------------------------------------------------------------------------


@episode_rule("4015")
def cin_plan_after_referral(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    for p in episode.cin_plans:
        if p.start_date < episode.referral_date:
            yield "A CIN plan starts before the referral date."


@episode_rule("4012Q")
def cin_plan_longer_than_a_day(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    for p in episode.cin_plans:
        if p.end_date == p.start_date:
            yield "A CIN plan starts and ends on the same day."


@episode_rule("4004")
def one_open_cin_plan(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    if sum(1 for p in episode.cin_plans if p.end_date is None) > 1:
        yield "More than one CIN plan is open."


@episode_rule("1105")
def cp_plan_after_referral(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    for p in episode.cp_plans:
        if p.start_date < episode.referral_date:
            yield "A child protection plan starts before the referral date."


@episode_rule("8840")
def cp_plan_longer_than_a_day(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    for p in episode.cp_plans:
        if p.end_date == p.start_date:
            yield "A child protection plan starts and ends on the same day."


@episode_rule("2885")
def cp_plan_starts_at_a_conference(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    start, ref = year_start(year), reference_date(year)
    icpc_dates = {s.icpc_date for s in episode.section47s if s.icpc_date}
    held = [s for s in episode.section47s if not s.icpc_not_required]
    for p in episode.cp_plans:
        if start <= p.start_date <= ref and held and p.start_date not in icpc_dates:
            yield (
                f"A child protection plan starts ({p.start_date:%d/%m/%Y}) on a day with no "
                "initial child protection conference."
            )


@episode_rule("4001")
def no_cin_plan_beside_cp_plan(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    if any(p.end_date is None for p in episode.cp_plans) and any(
        c.end_date is None for c in episode.cin_plans
    ):
        yield "A CIN plan is open at the same time as an open child protection plan."


@episode_rule("8935")
def one_open_cp_plan(child: ChildRecord, episode: EpisodeRecord, year: int) -> Iterator[str]:
    if sum(1 for p in episode.cp_plans if p.end_date is None) > 1:
        yield "More than one child protection plan is open."


# --- Across the child's episodes -------------------------------------------------------------------------


def _starts_within(day: dt.date, start: dt.date, end: dt.date | None, ref: dt.date) -> bool:
    """`day` is on or after `start` and before `end` (or by the reference date while still open)."""
    return day >= start and (day < end if end else day <= ref)


@case_rule("4016")
def cin_plan_not_during_cp_plan(child: ChildRecord, year: int) -> Iterator[tuple[str, EpisodeRecord]]:
    ref = reference_date(year)
    cpp = [p for e in child.episodes for p in e.cp_plans]
    for episode in child.episodes:
        for c in episode.cin_plans:
            if any(_starts_within(c.start_date, p.start_date, p.end_date, ref) for p in cpp):
                yield (
                    f"A CIN plan starts ({c.start_date:%d/%m/%Y}) while a child protection plan is open.",
                    episode,
                )


@case_rule("4017")
def cp_plan_not_during_cin_plan(child: ChildRecord, year: int) -> Iterator[tuple[str, EpisodeRecord]]:
    ref = reference_date(year)
    cin = [c for e in child.episodes for c in e.cin_plans]
    for episode in child.episodes:
        for p in episode.cp_plans:
            if any(_starts_within(p.start_date, c.start_date, c.end_date, ref) for c in cin):
                yield (
                    f"A child protection plan starts ({p.start_date:%d/%m/%Y}) while a CIN plan is open.",
                    episode,
                )
