"""The SSD tables Closewell reads: their columns, and how each row is read and checked.

The Standard Safeguarding Dataset (Data to Insight) is one CSV per table. Each reader below takes one
row and returns the clean values Closewell keeps, or records a BadValue per bad column. Checks that
need other rows or the database (does the referral exist? which episode covers this visit?) are in
importer.py.
"""

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass

from closewell.cases.codes import (
    AssessmentFactor,
    CategoryOfAbuse,
    Disability,
    Ethnicity,
    PrimaryNeed,
    ReasonForClosure,
    ReferralSource,
    Sex,
    UPNUnknown,
)
from closewell.cases.models import CareLeaverStatus
from closewell.core.text import TEXT_MAX, clean_text

# Every column of the SSD tables (ssd-columns.csv, data-to-insight/ssd-data-model, MIT licence).
COLUMNS: dict[str, list[str]] = {
    "address": ["addr_table_id", "addr_address_json", "addr_person_id", "addr_address_type",
                "addr_address_start_date", "addr_address_end_date", "addr_address_postcode"],
    "assessment_factors": ["cinf_table_id", "cinf_assessment_id", "cinf_assessment_factors_json"],
    "care_leavers": ["clea_table_id", "clea_person_id", "clea_care_leaver_eligibility",
                     "clea_care_leaver_in_touch", "clea_care_leaver_latest_contact",
                     "clea_care_leaver_accommodation", "clea_care_leaver_accom_suitable",
                     "clea_care_leaver_activity", "clea_pathway_plan_review_date",
                     "clea_care_leaver_personal_advisor", "clea_care_leaver_allocated_team",
                     "clea_care_leaver_worker_id"],
    "cin_assessments": ["cina_assessment_id", "cina_person_id", "cina_referral_id",
                        "cina_assessment_start_date", "cina_assessment_child_seen",
                        "cina_assessment_auth_date", "cina_assessment_outcome_json",
                        "cina_assessment_outcome_nfa", "cina_assessment_team", "cina_assessment_worker_id"],
    "cin_episodes": ["cine_referral_id", "cine_person_id", "cine_referral_date", "cine_cin_primary_need_code",
                     "cine_referral_source_code", "cine_referral_source_desc", "cine_referral_outcome_json",
                     "cine_referral_nfa", "cine_close_reason", "cine_close_date", "cine_referral_team",
                     "cine_referral_worker_id"],
    "cin_plans": ["cinp_cin_plan_id", "cinp_referral_id", "cinp_person_id", "cinp_cin_plan_start_date",
                  "cinp_cin_plan_end_date", "cinp_cin_plan_team", "cinp_cin_plan_worker_id"],
    "cin_visits": ["cinv_cin_visit_id", "cinv_person_id", "cinv_cin_visit_date", "cinv_cin_visit_seen",
                   "cinv_cin_visit_seen_alone", "cinv_cin_visit_bedroom"],
    "cla_episodes": ["clae_cla_episode_id", "clae_person_id", "clae_cla_episode_start_date",
                     "clae_cla_episode_start_reason", "clae_cla_primary_need_code",
                     "clae_cla_episode_ceased_date", "clae_cla_episode_ceased_reason", "clae_cla_id",
                     "clae_referral_id", "clae_cla_placement_id", "clae_entered_care_date",
                     "clae_cla_last_iro_contact_date"],
    "contacts": ["cont_contact_id", "cont_person_id", "cont_contact_date", "cont_contact_source_code",
                 "cont_contact_source_desc", "cont_contact_outcome_json"],
    "cp_plans": ["cppl_cp_plan_id", "cppl_referral_id", "cppl_icpc_id", "cppl_person_id",
                 "cppl_cp_plan_start_date", "cppl_cp_plan_end_date", "cppl_cp_plan_initial_category",
                 "cppl_cp_plan_ola", "cppl_cp_plan_latest_category"],
    "cp_visits": ["cppv_cp_visit_id", "cppv_person_id", "cppv_cp_plan_id", "cppv_cp_visit_date",
                  "cppv_cp_visit_seen", "cppv_cp_visit_seen_alone", "cppv_cp_visit_bedroom"],
    "department": ["dept_team_id", "dept_team_name", "dept_team_parent_id", "dept_team_parent_name"],
    "disability": ["disa_person_id", "disa_table_id", "disa_disability_code"],
    "early_help_episodes": ["earl_episode_id", "earl_person_id", "earl_episode_start_date",
                            "earl_episode_end_date", "earl_episode_reason", "earl_episode_end_reason",
                            "earl_episode_organisation", "earl_episode_worker_id"],
    "family": ["fami_table_id", "fami_family_id", "fami_person_id"],
    "initial_cp_conference": ["icpc_icpc_id", "icpc_icpc_meeting_id", "icpc_s47_enquiry_id", "icpc_person_id",
                              "icpc_cp_plan_id", "icpc_referral_id", "icpc_icpc_transfer_in",
                              "icpc_icpc_target_date", "icpc_icpc_date", "icpc_icpc_outcome_cp_flag",
                              "icpc_icpc_outcome_json", "icpc_icpc_team", "icpc_icpc_worker_id"],
    "involvements": ["invo_involvements_id", "invo_professional_id", "invo_professional_role_id",
                     "invo_professional_team", "invo_involvement_start_date", "invo_involvement_end_date",
                     "invo_worker_change_reason", "invo_person_id", "invo_referral_id"],
    "linked_identifiers": ["link_table_id", "link_person_id", "link_identifier_type", "link_identifier_value",
                           "link_valid_from_date", "link_valid_to_date"],
    "mother": ["moth_table_id", "moth_person_id", "moth_childs_person_id", "moth_childs_dob"],
    "person": ["pers_person_id", "pers_forename", "pers_surname", "pers_sex", "pers_gender", "pers_ethnicity",
               "pers_dob", "pers_common_child_id", "pers_legacy_id", "pers_upn_unknown", "pers_send_flag",
               "pers_expected_dob", "pers_death_date", "pers_is_mother", "pers_nationality"],
    "professionals": ["prof_professional_id", "prof_staff_id", "prof_professional_name",
                      "prof_social_worker_registration_no", "prof_professional_job_title",
                      "prof_professional_caseload", "prof_professional_department",
                      "prof_full_time_equivalency", "prof_agency_worker_flag"],
    "s47_enquiry": ["s47e_s47_enquiry_id", "s47e_referral_id", "s47e_person_id", "s47e_s47_start_date",
                    "s47e_s47_end_date", "s47e_s47_nfa", "s47e_s47_outcome_json",
                    "s47e_s47_completed_by_worker_id", "s47e_s47_completed_by_team"],
    "voice_of_child": ["voch_table_id", "voch_person_id", "voch_explained_worries",
                       "voch_story_help_understand", "voch_agree_worker", "voch_plan_safe",
                       "voch_tablet_help_explain"],
}  # fmt: skip

# The tables read, in the order they are read: a table refers only to tables before it.
IMPORTED = (
    "department",
    "professionals",
    "person",
    "disability",
    "linked_identifiers",
    "family",
    "mother",
    "cin_episodes",
    "involvements",
    "cin_assessments",
    "assessment_factors",
    "cin_plans",
    "cp_plans",
    "s47_enquiry",
    "initial_cp_conference",
    "cin_visits",
    "cp_visits",
    "cla_episodes",
    "care_leavers",
)
# Without these two there is nothing to import; every other table may be left out of an extract.
REQUIRED = frozenset({"person", "cin_episodes"})
# Tables in the SSD that Closewell does not keep, and why (reported, never an error).
NOT_IMPORTED = {
    "contacts": "contacts with the front door before a referral, not a worker's visits",
    "address": "addresses are sensitive and entered in Closewell with their sensitivity",
    "voice_of_child": "survey answers; the child's views are written on the Closure Record",
    "early_help_episodes": "early help is outside the CIN episode",
}


# A row made in Closewell has no case-system id: an export (exporter.py) names it "closewell-<pk>",
# and the importer reads that id back as the same row, so that importing an export changes nothing.
CLOSEWELL_ID = re.compile(r"closewell-([1-9][0-9]{0,18})")


def closewell_id(pk: int) -> str:
    return f"closewell-{pk}"


def closewell_pk(ssd_id: str) -> int | None:
    """The primary key a "closewell-<pk>" id names, else None (the case system's own id)."""
    match = CLOSEWELL_ID.fullmatch(ssd_id or "")
    return int(match[1]) if match else None


def file_names(table: str) -> tuple[str, ...]:
    """The file names a table may have in an extract folder: ssd_person.csv or person.csv."""
    return (f"ssd_{table}.csv", f"{table}.csv")


ERROR = "error"  # the import is refused: nothing is written
WARNING = "warning"  # imported; the row was skipped, or a value mapped or defaulted, as the reason says


@dataclass(frozen=True)
class BadValue:
    """One line of the import report: the file, its line (the header is line 1; 0 for the file as a
    whole), the column, what is wrong or what was done, and whether it blocks the import."""

    file: str
    line: int
    column: str
    reason: str
    level: str = ERROR

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        prefix = "Warning: " if self.level == WARNING else ""
        return f"{prefix}{where}, {self.column or 'file'}: {self.reason}"


YES = frozenset({"Y", "YES", "TRUE", "1", "T"})
NO = frozenset({"N", "NO", "FALSE", "0", "F", ""})
# The date forms councils' extracts use besides ISO 8601: UK day-first, SQL Server's and Oracle's
# "06-Apr-2026", spelt months. Always a four-digit year: "06/04/26" is refused, never guessed.
DATE_FORMATS = (
    "%d/%m/%Y", "%d-%b-%Y", "%d %b %Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y", "%d-%B-%Y",
    "%d/%b/%Y",
)  # fmt: skip
# A time after the date: " 14:30", " 14:30:00", "T14:30:00.000", " 2:30 PM".
TIME_SUFFIX = re.compile(r"[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?$")


def _words(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").lower().split())


@functools.lru_cache(maxsize=65536)
def parse_datetime(value: str) -> dt.datetime | None:
    """A date or date and time in any of the forms above, or None. Cached: an extract repeats its
    dates many times."""
    try:  # ISO 8601, as the SSD scripts write it (fast, in C)
        parsed = dt.datetime.fromisoformat(value.removesuffix("Z"))
        return parsed.replace(tzinfo=None) if parsed.tzinfo else parsed
    except ValueError:
        pass
    time = dt.time()
    match = TIME_SUFFIX.search(value)
    if match:
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        if match[4]:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if match[4].upper() == "PM" else 0)
        try:
            time = dt.time(hour, minute, second)
        except ValueError:
            return None
        value = value[: match.start()].strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.combine(dt.datetime.strptime(value, fmt).date(), time)
        except ValueError:
            continue
    return None


SEX_WORDS = {"male": Sex.MALE, "female": Sex.FEMALE, "unknown": Sex.UNKNOWN, "not known": Sex.UNKNOWN,
             "not stated": Sex.UNKNOWN, "indeterminate": Sex.UNKNOWN, "i": Sex.UNKNOWN}  # fmt: skip
CATEGORY_WORDS = {
    "neglect": CategoryOfAbuse.NEG,
    "physical abuse": CategoryOfAbuse.PHY,
    "physical": CategoryOfAbuse.PHY,
    "sexual abuse": CategoryOfAbuse.SAB,
    "sexual": CategoryOfAbuse.SAB,
    "emotional abuse": CategoryOfAbuse.EMO,
    "emotional": CategoryOfAbuse.EMO,
    "multiple": CategoryOfAbuse.MUL,
}
# Spellings of DfE's codes found in SSD code lists and extracts, read as DfE's code and reported.
ETHNICITY_VARIANTS = {"CNHE": "CHNE"}
ETHNICITY_WORDS = {_words(label): code for code, label in Ethnicity.choices}
# The SSD's care leaver eligibility code set. Qualifying care leavers and those with no current
# eligibility are not the care leavers whose every contact the Closure Record lists.
CARE_LEAVER_WORDS = {
    "eligible": CareLeaverStatus.ELIGIBLE,
    "relevant": CareLeaverStatus.RELEVANT,
    "former relevant": CareLeaverStatus.FORMER_RELEVANT,
    "qualifying": CareLeaverStatus.NOT_CARE_LEAVER,
    "no current eligibility": CareLeaverStatus.NOT_CARE_LEAVER,
}
CODE_HEAD = re.compile(r"([A-Z0-9]+)\s*[-–:)]\s*\S")
UPN_TYPES = frozenset({"unique pupil number", "upn"})


_CODES: dict[type, frozenset[str]] = {}


def codes_of(choices) -> frozenset[str]:
    """A code list's values as a set, computed once (TextChoices.values builds a new list each time)."""
    if choices not in _CODES:
        _CODES[choices] = frozenset(choices.values)
    return _CODES[choices]


class Row:
    """One CSV row being read: each accessor returns a clean value or records a BadValue (an error;
    or a warning where a value was mapped or defaulted)."""

    __slots__ = ("file", "line", "values", "problems", "warnings", "ok")

    def __init__(self, file: str, line: int, values: dict, problems: list, warnings: list | None = None):
        self.file, self.line, self.values, self.problems, self.ok = file, line, values, problems, True
        self.warnings = problems if warnings is None else warnings

    def error(self, column: str, reason: str) -> None:
        self.problems.append(BadValue(self.file, self.line, column, reason))
        self.ok = False

    def warn(self, column: str, reason: str) -> None:
        self.warnings.append(BadValue(self.file, self.line, column, reason, WARNING))

    def text(self, column: str, *, required: str = "", max_length: int = TEXT_MAX) -> str:
        """The column's text, cleaned as typed text is everywhere (closewell.core.text) and no longer
        than the field it goes into (free text: TEXT_MAX)."""
        value = clean_text(self.values.get(column) or "").strip()
        if not value and required:
            self.error(column, required)
        elif max_length and len(value) > max_length:
            self.error(column, f"Longer than {max_length} characters.")
            return value[:max_length]
        return value

    def datetime(self, column: str, *, required: str = "") -> dt.datetime | None:
        value = (self.values.get(column) or "").strip()
        if not value:
            if required:
                self.error(column, required)
            return None
        parsed = parse_datetime(value)
        if parsed is None:
            self.error(
                column,
                f"“{value}” is not a date: use YYYY-MM-DD, DD/MM/YYYY or DD-Mon-YYYY (a four-digit year).",
            )
        return parsed

    def date(self, column: str, *, required: str = "") -> dt.date | None:
        value = self.datetime(column, required=required)
        return value.date() if value else None

    def flag(self, column: str, *, census: bool = True) -> bool:
        """Y or N. Not Y or N is an error for a census flag; otherwise read as N, with a warning."""
        value = (self.values.get(column) or "").strip().upper()
        if value in YES:
            return True
        if value not in NO:
            if census:
                self.error(column, f"“{value}” is not Y or N.")
            else:
                self.warn(column, f"“{value}” is not Y or N: read as N.")
        return False

    def code(
        self,
        column: str,
        choices,
        *,
        required: str = "",
        words: dict | None = None,
        variants: dict | None = None,
    ) -> str:
        raw = (self.values.get(column) or "").strip()
        if not raw:
            if required:
                self.error(column, required)
            return ""
        value = raw.upper()
        if value in codes_of(choices):
            return value
        if words and _words(raw) in words:
            return words[_words(raw)]
        head = CODE_HEAD.match(value)  # a code followed by its label: "RC7 - Services ceased"
        if head and head[1] in codes_of(choices):
            return head[1]
        if variants and value in variants:
            self.warn(
                column,
                f"“{raw}” is read as {variants[value]}, DfE's code for {choices(variants[value]).label}.",
            )
            return variants[value]
        self.error(column, f"“{raw}” is not one of the codes: {', '.join(choices.values)}.")
        return ""

    def json_flags(self, column: str) -> dict[str, bool | None]:
        """An SSD *_json outcome ({"NFA_FLAG": "Y", "CP_CONFERENCE_FLAG": "N", …}) as {KEY: True,
        False or None (blank)}; anything else is reported and read as no outcome."""
        raw = (self.values.get(column) or "").strip()
        if not raw:
            return {}
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if isinstance(data, list) and all(isinstance(k, str) for k in data):
            data = dict.fromkeys(data, "Y")  # a list of the outcomes that apply
        if not isinstance(data, dict):
            self.warn(column, "Not a JSON object of outcome flags: the outcome is not read.")
            return {}
        flags = {}
        for key, value in data.items():
            text = str(value if value is not None else "").strip().upper()
            flags[str(key).upper()] = True if text in YES else False if text in NO - {""} else None
        return flags

    def codes_json(self, column: str, choices) -> list[str]:
        """A *_json column of codes: ["1A", "3B"] or {"1A": "Yes", "3B": "No"}."""
        raw = (self.values.get(column) or "").strip()
        if not raw:
            return []
        try:
            data = json.loads(raw)
        except ValueError:
            data = [c for c in re.split(r"[\s,;|]+", raw) if c]  # 1A, 3B as a plain list
        if isinstance(data, dict):
            data = [k for k, v in data.items() if str(v).strip().upper() in YES]
        if not isinstance(data, list) or not all(isinstance(c, str) for c in data):
            self.error(column, 'Not a list of codes: write ["1A", "3B"] or 1A, 3B.')
            return []
        codes = [c.strip().upper() for c in data]
        bad = [c for c in codes if c not in codes_of(choices)]
        if bad:
            self.error(column, f"Not codes of the CIN census: {', '.join(bad)}.")
        return sorted(set(codes) - set(bad))


def read_department(row: Row) -> dict:
    return {
        "id": row.text("dept_team_id", required="Enter the team ID."),
        "name": row.text("dept_team_name", required="Enter the team's name.", max_length=120),
    }


def read_professionals(row: Row) -> dict:
    return {
        "id": row.text("prof_professional_id", required="Enter the professional's ID."),
        "staff_id": row.text("prof_staff_id", max_length=150),
        "name": row.text("prof_professional_name", max_length=300),
    }


def read_person(row: Row) -> dict:
    """Every person; whether they are a child (with the child's rules) is known once the episodes
    are read, so the child's own checks are made in the importer."""
    return {
        "id": row.text("pers_person_id", required="Enter the person's ID.", max_length=36),
        # Names, sex and birth date are not required of adults; a child's are checked in the importer.
        "first_name": row.text("pers_forename", max_length=100),
        "last_name": row.text("pers_surname", max_length=100),
        "sex": row.code("pers_sex", Sex, words=SEX_WORDS),
        "ethnicity": row.code("pers_ethnicity", Ethnicity, words=ETHNICITY_WORDS, variants=ETHNICITY_VARIANTS)
        or Ethnicity.NOBT,
        "date_of_birth": row.date("pers_dob"),
        "expected_date_of_birth": row.date("pers_expected_dob"),
        "date_of_death": row.date("pers_death_date"),
        "upn_unknown": row.code("pers_upn_unknown", UPNUnknown),
    }


def read_disability(row: Row) -> dict:
    return {
        "person": row.text("disa_person_id", required="Enter the person's ID."),
        "code": row.code("disa_disability_code", Disability, required="Enter the disability code."),
    }


def read_linked_identifiers(row: Row) -> dict:
    kind = _words(row.text("link_identifier_type"))
    value = row.text("link_identifier_value")
    if kind in UPN_TYPES and value and len(value) != 13:
        row.error("link_identifier_value", "A UPN has 13 characters.")
    return {
        "person": row.text("link_person_id", required="Enter the person's ID."),
        "upn": value if kind in UPN_TYPES and not row.datetime("link_valid_to_date") else "",
    }


def read_family(row: Row) -> dict:
    return {
        "family": row.text("fami_family_id", required="Enter the family ID."),
        "person": row.text("fami_person_id", required="Enter the person's ID."),
    }


def read_mother(row: Row) -> dict:
    return {
        "mother": row.text("moth_person_id", required="Enter the mother's person ID."),
        "child": row.text("moth_childs_person_id", required="Enter the child's person ID."),
    }


def read_cin_episodes(row: Row) -> dict:
    values = {
        "id": row.text("cine_referral_id", required="Enter the referral ID."),
        "person": row.text("cine_person_id", required="Enter the person's ID."),
        "referral_date": row.date("cine_referral_date", required="Enter the referral date."),
        "referral_source": row.code(
            "cine_referral_source_code", ReferralSource, required="Enter the referral source code."
        ),
        "primary_need": row.code("cine_cin_primary_need_code", PrimaryNeed),
        "referral_nfa": row.flag("cine_referral_nfa"),
        "reason_for_closure": row.code("cine_close_reason", ReasonForClosure),
        "closure_date": row.date("cine_close_date"),
        "team": row.text("cine_referral_team"),
        "worker": row.text("cine_referral_worker_id"),
    }
    # CIN rules 8805, 8810 and 8630.
    if values["closure_date"] and not values["reason_for_closure"]:
        row.error("cine_close_reason", "A closure date needs a reason for closure (CIN rule 8805).")
    if values["reason_for_closure"] and not values["closure_date"]:
        row.error("cine_close_date", "A reason for closure needs a closure date (CIN rule 8810).")
    if (
        values["closure_date"]
        and values["referral_date"]
        and values["closure_date"] < values["referral_date"]
    ):
        row.error("cine_close_date", "The closure date is before the referral date (CIN rule 8630).")
    return values


def read_involvements(row: Row) -> dict:
    # Without a referral id the involvement is placed by its person and start date (importer.py).
    values = {
        "referral": row.text("invo_referral_id"),
        "person": row.text("invo_person_id"),
        "worker": row.text("invo_professional_id"),
        "team": row.text("invo_professional_team"),
        "start": row.date("invo_involvement_start_date"),
        "end": row.date("invo_involvement_end_date"),
    }
    return values


def _ends_after(row: Row, values: dict, start: str, end: str, column: str, what: str) -> None:
    if values[start] and values[end] and values[end] < values[start]:
        row.error(column, f"The {what} ends before it starts.")


def read_cin_assessments(row: Row) -> dict:
    values = {
        "id": row.text("cina_assessment_id", required="Enter the assessment ID."),
        "referral": row.text("cina_referral_id"),
        "person": row.text("cina_person_id"),
        "start_date": row.date("cina_assessment_start_date", required="Enter the assessment start date."),
        "authorisation_date": row.date("cina_assessment_auth_date"),
    }
    if (
        values["start_date"]
        and values["authorisation_date"]
        and values["authorisation_date"] < values["start_date"]
    ):
        row.error("cina_assessment_auth_date", "The assessment is authorised before it starts.")
    return values


def read_assessment_factors(row: Row) -> dict:
    return {
        "assessment": row.text("cinf_assessment_id", required="Enter the assessment ID."),
        "factors": row.codes_json("cinf_assessment_factors_json", AssessmentFactor),
    }


def read_cin_plans(row: Row) -> dict:
    values = {
        "id": row.text("cinp_cin_plan_id", required="Enter the plan ID."),
        "referral": row.text("cinp_referral_id"),
        "person": row.text("cinp_person_id"),
        "start_date": row.date("cinp_cin_plan_start_date", required="Enter the plan's start date."),
        "end_date": row.date("cinp_cin_plan_end_date"),
    }
    _ends_after(row, values, "start_date", "end_date", "cinp_cin_plan_end_date", "plan")
    return values


def read_cp_plans(row: Row) -> dict:
    values = {
        "id": row.text("cppl_cp_plan_id", required="Enter the plan ID."),
        "referral": row.text("cppl_referral_id"),
        "person": row.text("cppl_person_id"),
        "start_date": row.date("cppl_cp_plan_start_date", required="Enter the plan's start date."),
        "end_date": row.date("cppl_cp_plan_end_date"),
        "initial_category": _category(
            row, "cppl_cp_plan_initial_category", "Enter the initial category of abuse."
        ),
        "latest_category": _category(row, "cppl_cp_plan_latest_category"),
    }
    values["latest_category"] = values["latest_category"] or values["initial_category"]
    _ends_after(row, values, "start_date", "end_date", "cppl_cp_plan_end_date", "plan")
    return values


def _category(row: Row, column: str, required: str = "") -> str:
    """A category of abuse: DfE's code, the SSD's words, or its form "Multiple: Neglect, …"."""
    raw = (row.values.get(column) or "").strip()
    if _words(raw.split(":", 1)[0]) == "multiple":
        return CategoryOfAbuse.MUL
    return row.code(column, CategoryOfAbuse, required=required, words=CATEGORY_WORDS)


def read_s47_enquiry(row: Row) -> dict:
    outcome = row.json_flags("s47e_s47_outcome_json")
    values = {
        "id": row.text("s47e_s47_enquiry_id", required="Enter the enquiry ID."),
        "referral": row.text("s47e_referral_id"),
        "person": row.text("s47e_person_id"),
        "start_date": row.date("s47e_s47_start_date", required="Enter the enquiry's start date."),
        "end_date": row.date("s47e_s47_end_date"),
        # No further action, as the standalone flag or in the outcome.
        "nfa": row.flag("s47e_s47_nfa") or outcome.get("NFA_FLAG") is True,
        # Whether the enquiry's outcome was an initial conference: True, False or None (not said).
        "conference": outcome.get("CP_CONFERENCE_FLAG"),
    }
    _ends_after(row, values, "start_date", "end_date", "s47e_s47_end_date", "enquiry")
    return values


def read_initial_cp_conference(row: Row) -> dict:
    # Without an enquiry id the conference is placed on its child's enquiry where only one fits.
    return {
        "id": row.text("icpc_icpc_id"),
        "s47": row.text("icpc_s47_enquiry_id"),
        "referral": row.text("icpc_referral_id"),
        "person": row.text("icpc_person_id"),
        "icpc_target_date": row.date("icpc_icpc_target_date"),
        "icpc_date": row.date("icpc_icpc_date"),
    }


def _visit(row: Row, prefix: str, kind: str) -> dict:
    values = {
        "id": row.text(f"{prefix}_{kind}_visit_id", required="Enter the visit ID."),
        "person": row.text(f"{prefix}_person_id", required="Enter the person's ID."),
        "occurred_at": row.datetime(f"{prefix}_{kind}_visit_date", required="Enter the date of the visit."),
        "child_seen": row.flag(f"{prefix}_{kind}_visit_seen", census=False),
        "child_seen_alone": row.flag(f"{prefix}_{kind}_visit_seen_alone", census=False),
    }
    if values["child_seen_alone"] and not values["child_seen"]:
        row.warn(f"{prefix}_{kind}_visit_seen", "The child was seen alone, so was seen: recorded as seen.")
        values["child_seen"] = True
    return values


def read_cin_visits(row: Row) -> dict:
    return _visit(row, "cinv", "cin")


def read_cp_visits(row: Row) -> dict:
    return {**_visit(row, "cppv", "cp"), "plan": row.text("cppv_cp_plan_id")}


def read_cla_episodes(row: Row) -> dict:
    values = {
        "id": row.text("clae_cla_episode_id", required="Enter the episode ID."),
        "person": row.text("clae_person_id", required="Enter the person's ID."),
        "start_date": row.date("clae_cla_episode_start_date", required="Enter the date the episode began."),
        "end_date": row.date("clae_cla_episode_ceased_date"),
    }
    _ends_after(row, values, "start_date", "end_date", "clae_cla_episode_ceased_date", "looked-after episode")
    return values


def read_care_leavers(row: Row) -> dict:
    raw = row.text("clea_care_leaver_eligibility")
    words = _words(raw)
    # The code set's words, also with more after them ("Former relevant (18-25)"); longest first.
    status = next((CARE_LEAVER_WORDS[w] for w in sorted(CARE_LEAVER_WORDS, key=len, reverse=True)
                   if words == w or words.startswith(w + " ")), None)  # fmt: skip
    if raw and status is None:
        row.warn(
            "clea_care_leaver_eligibility",
            f"“{raw}” is not one of: Eligible, Relevant, Former Relevant, Qualifying, No Current "
            "Eligibility. Not recorded as a care leaver.",
        )
    return {
        "person": row.text("clea_person_id", required="Enter the person's ID."),
        "status": status or CareLeaverStatus.NOT_CARE_LEAVER,
    }


READERS = {table: globals()[f"read_{table}"] for table in IMPORTED}
# The key columns of each table: a file without one of them is refused before its rows are read.
# (Other columns may be missing from an extract; they read as blank and each row is checked.)
# Rows of assessments, plans, enquiries, conferences and involvements need their referral id or
# their person id (then they are placed on the child's episode open on their date).
NEEDED = {
    "department": ["dept_team_id", "dept_team_name"],
    "professionals": ["prof_professional_id"],
    "person": ["pers_person_id"],
    "disability": ["disa_person_id", "disa_disability_code"],
    "linked_identifiers": ["link_person_id", "link_identifier_type", "link_identifier_value"],
    "family": ["fami_family_id", "fami_person_id"],
    "mother": ["moth_person_id", "moth_childs_person_id"],
    "cin_episodes": ["cine_referral_id", "cine_person_id", "cine_referral_date", "cine_referral_source_code"],
    "involvements": ["invo_professional_id"],
    "cin_assessments": ["cina_assessment_id", "cina_assessment_start_date"],
    "assessment_factors": ["cinf_assessment_id", "cinf_assessment_factors_json"],
    "cin_plans": ["cinp_cin_plan_id", "cinp_cin_plan_start_date"],
    "cp_plans": ["cppl_cp_plan_id", "cppl_cp_plan_start_date"],
    "s47_enquiry": ["s47e_s47_enquiry_id", "s47e_s47_start_date"],
    "initial_cp_conference": ["icpc_icpc_date"],
    "cin_visits": ["cinv_cin_visit_id", "cinv_person_id", "cinv_cin_visit_date"],
    "cp_visits": ["cppv_cp_visit_id", "cppv_person_id", "cppv_cp_visit_date"],
    "cla_episodes": ["clae_cla_episode_id", "clae_person_id", "clae_cla_episode_start_date"],
    "care_leavers": ["clea_person_id", "clea_care_leaver_eligibility"],
}

# Dates that cannot be in the future (checked against the day of the import): a row with one is an
# error (the census would be wrong) or, for a visit, skipped with a warning. (table, value, column,
# what, level)
DATE_RULES = (
    ("person", "date_of_birth", "pers_dob", "date of birth", ERROR),
    ("person", "date_of_death", "pers_death_date", "date of death", ERROR),
    ("cin_episodes", "referral_date", "cine_referral_date", "referral date", ERROR),
    ("cin_episodes", "closure_date", "cine_close_date", "closure date", ERROR),
    ("cin_assessments", "start_date", "cina_assessment_start_date", "assessment's start", ERROR),
    (
        "cin_assessments",
        "authorisation_date",
        "cina_assessment_auth_date",
        "assessment's authorisation",
        ERROR,
    ),
    ("cin_plans", "start_date", "cinp_cin_plan_start_date", "plan's start", ERROR),
    ("cin_plans", "end_date", "cinp_cin_plan_end_date", "plan's end", ERROR),
    ("cp_plans", "start_date", "cppl_cp_plan_start_date", "plan's start", ERROR),
    ("cp_plans", "end_date", "cppl_cp_plan_end_date", "plan's end", ERROR),
    ("s47_enquiry", "start_date", "s47e_s47_start_date", "enquiry's start", ERROR),
    ("s47_enquiry", "end_date", "s47e_s47_end_date", "enquiry's end", ERROR),
    ("initial_cp_conference", "icpc_date", "icpc_icpc_date", "conference date", ERROR),
    ("cin_visits", "occurred_at", "cinv_cin_visit_date", "visit date", WARNING),
    ("cp_visits", "occurred_at", "cppv_cp_visit_date", "visit date", WARNING),
    ("cla_episodes", "start_date", "clae_cla_episode_start_date", "looked-after episode's start", ERROR),
)
