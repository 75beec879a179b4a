"""export_extract(): write the Standard Safeguarding Dataset tables Closewell holds, one CSV each.

The inverse of the importer (importer.py), so that importing an export changes nothing: each table
has the SSD specification's columns (mapping.COLUMNS; those Closewell does not hold are blank), ids
are the case system's where a row came from it (`source_id`) and "closewell-<pk>" where it was made
here (mapping.closewell_id), which the importer reads back as the same row. It is also the shape the
DfE's children's social care data pilots collect. docs/import.md says what each table carries.
"""

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace

from django.db.models import Min, Q
from django.utils import timezone

from closewell.accounts.models import Team, User
from closewell.audit.models import Action
from closewell.audit.services import log_event
from closewell.cases.models import (
    Assessment,
    CareLeaverStatus,
    Child,
    ChildPerson,
    Contact,
    ContactType,
    Episode,
    LookedAfterPeriod,
    Plan,
    PlanType,
    Relationship,
    Section47,
)

from .mapping import COLUMNS, closewell_id

CHUNK = 2000
# The eligibility words the importer reads back as each status (mapping.CARE_LEAVER_WORDS).
CARE_LEAVER_WORDS = {
    CareLeaverStatus.ELIGIBLE: "Eligible",
    CareLeaverStatus.RELEVANT: "Relevant",
    CareLeaverStatus.FORMER_RELEVANT: "Former relevant",
}
EXPORTED = (
    "department",
    "professionals",
    "person",
    "disability",
    "linked_identifiers",
    "family",
    "mother",
    "cin_episodes",
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


class SsdExtract:
    """What an export's audit event is about: one extract written (there is no table of exports)."""

    _meta = SimpleNamespace(label="ssd.Extract")

    def __init__(self, at):
        self.pk = at.strftime("%Y%m%dT%H%M%S")


def ssd_id(row: dict, table: str) -> str:
    """A row's id in the extract: the case system's, else Closewell's own (closewell-<pk>)."""
    source = row["source_id"]
    if source and source.startswith(f"{table}:"):
        return source.removeprefix(f"{table}:")
    return closewell_id(row["pk"])


def _day(value) -> str:
    return value.isoformat() if value else ""


def _flag(value: bool) -> str:
    return "Y" if value else "N"


def _chunked(queryset, *fields) -> Iterator[dict]:
    """Every row of `queryset` as a dict, in primary-key order, a chunk at a time (keyset paging)."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values("pk", *fields)[:CHUNK])
        if not rows:
            return
        yield from rows
        last = rows[-1]["pk"]


class Exporter:
    def __init__(self, folder: Path):
        self.folder = folder
        self.counts: dict[str, int] = {}

    def write(self, table: str, rows: Iterable[dict]) -> None:
        columns = COLUMNS[table]
        count = 0
        with (self.folder / f"ssd_{table}.csv").open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=columns, restval="")
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
                count += 1
        self.counts[table] = count

    # One generator per table, named after it.
    def department(self):
        for team in Team.objects.order_by("pk").values("name"):
            yield {"dept_team_id": team["name"], "dept_team_name": team["name"]}

    def professionals(self):
        workers = Episode.objects.exclude(worker=None).values("worker_id").distinct()
        for user in (
            User.objects.filter(pk__in=workers).order_by("pk").values("username", "first_name", "last_name")
        ):
            yield {
                "prof_professional_id": user["username"],
                "prof_staff_id": user["username"],
                "prof_professional_name": f"{user['first_name']} {user['last_name']}".strip(),
            }

    def _children(self):
        return _chunked(
            Child.objects.all(),
            "la_child_id", "first_name", "last_name", "sex", "ethnicity", "date_of_birth",
            "expected_date_of_birth", "date_of_death", "upn", "upn_unknown", "disabilities",
            "care_leaver_status",
        )  # fmt: skip

    def person(self):
        for c in self._children():
            yield {
                "pers_person_id": c["la_child_id"],
                "pers_forename": c["first_name"],
                "pers_surname": c["last_name"],
                "pers_sex": c["sex"],
                "pers_ethnicity": c["ethnicity"],
                "pers_dob": _day(c["date_of_birth"]),
                "pers_expected_dob": _day(c["expected_date_of_birth"]),
                "pers_death_date": _day(c["date_of_death"]),
                "pers_upn_unknown": "" if c["upn"] else c["upn_unknown"],
            }
        # The family members the importer links (mothers, and others by family): the people linked
        # to a child in Closewell, each once.
        for p in _chunked(
            ChildPerson.objects.filter(pk__in=self._first_links()), "person_id", "person__source_id",
            "person__first_name", "person__last_name",
        ):  # fmt: skip
            yield {
                "pers_person_id": self._person_id(p),
                "pers_forename": p["person__first_name"],
                "pers_surname": p["person__last_name"],
            }

    def _first_links(self):
        """One link per person: the first."""
        return ChildPerson.objects.values("person_id").order_by().annotate(first=Min("pk")).values("first")

    @staticmethod
    def _person_id(row: dict) -> str:
        return ssd_id({"pk": row["person_id"], "source_id": row["person__source_id"]}, "person")

    def disability(self):
        for c in self._children():
            for code in c["disabilities"] or []:
                yield {"disa_person_id": c["la_child_id"], "disa_disability_code": code}

    def linked_identifiers(self):
        for c in _chunked(Child.objects.exclude(upn=""), "la_child_id", "upn"):
            yield {
                "link_person_id": c["la_child_id"],
                "link_identifier_type": "Unique Pupil Number",
                "link_identifier_value": c["upn"],
            }

    def _links(self, mothers: bool):
        q = Q(relationship=Relationship.MOTHER)
        links = ChildPerson.objects.filter(q if mothers else ~q)
        return _chunked(links, "child__la_child_id", "person_id", "person__source_id")

    def family(self):
        # A family per child: the child and each person linked to them (other than a mother).
        seen = set()
        for link in self._links(mothers=False):
            family = link["child__la_child_id"]
            if family not in seen:
                seen.add(family)
                yield {"fami_family_id": family, "fami_person_id": family}
            yield {"fami_family_id": family, "fami_person_id": self._person_id(link)}

    def mother(self):
        for link in self._links(mothers=True):
            yield {
                "moth_person_id": self._person_id(link),
                "moth_childs_person_id": link["child__la_child_id"],
            }

    def cin_episodes(self):
        for e in _chunked(
            Episode.objects.all(), "source_id", "child__la_child_id", "referral_date", "primary_need",
            "referral_source", "referral_nfa", "reason_for_closure", "closure_date", "team__name",
            "worker__username",
        ):  # fmt: skip
            yield {
                "cine_referral_id": ssd_id(e, "cin_episodes"),
                "cine_person_id": e["child__la_child_id"],
                "cine_referral_date": _day(e["referral_date"]),
                "cine_cin_primary_need_code": e["primary_need"],
                "cine_referral_source_code": e["referral_source"],
                "cine_referral_nfa": _flag(e["referral_nfa"]),
                "cine_close_reason": e["reason_for_closure"] if e["closure_date"] else "",
                "cine_close_date": _day(e["closure_date"]),
                "cine_referral_team": e["team__name"],
                "cine_referral_worker_id": e["worker__username"] or "",
            }

    def _episode_ref(self, row: dict) -> str:
        return ssd_id({"pk": row["episode_id"], "source_id": row["episode__source_id"]}, "cin_episodes")

    def _assessments(self):
        return _chunked(
            Assessment.objects.all(), "source_id", "episode_id", "episode__source_id",
            "episode__child__la_child_id", "start_date", "authorisation_date", "factors",
        )  # fmt: skip

    def cin_assessments(self):
        for a in self._assessments():
            yield {
                "cina_assessment_id": ssd_id(a, "cin_assessments"),
                "cina_referral_id": self._episode_ref(a),
                "cina_person_id": a["episode__child__la_child_id"],
                "cina_assessment_start_date": _day(a["start_date"]),
                "cina_assessment_auth_date": _day(a["authorisation_date"]),
            }

    def assessment_factors(self):
        for a in self._assessments():
            if a["factors"]:
                yield {
                    "cinf_assessment_id": ssd_id(a, "cin_assessments"),
                    "cinf_assessment_factors_json": json.dumps(a["factors"]),
                }

    def _plans(self, kind: str):
        return _chunked(
            Plan.objects.filter(kind=kind), "source_id", "episode_id", "episode__source_id",
            "episode__child__la_child_id", "start_date", "end_date", "initial_category", "latest_category",
        )  # fmt: skip

    def cin_plans(self):
        for p in self._plans(PlanType.CIN):
            yield {
                "cinp_cin_plan_id": ssd_id(p, "cin_plans"),
                "cinp_referral_id": self._episode_ref(p),
                "cinp_person_id": p["episode__child__la_child_id"],
                "cinp_cin_plan_start_date": _day(p["start_date"]),
                "cinp_cin_plan_end_date": _day(p["end_date"]),
            }

    def cp_plans(self):
        for p in self._plans(PlanType.CP):
            yield {
                "cppl_cp_plan_id": ssd_id(p, "cp_plans"),
                "cppl_referral_id": self._episode_ref(p),
                "cppl_person_id": p["episode__child__la_child_id"],
                "cppl_cp_plan_start_date": _day(p["start_date"]),
                "cppl_cp_plan_end_date": _day(p["end_date"]),
                "cppl_cp_plan_initial_category": p["initial_category"],
                "cppl_cp_plan_latest_category": p["latest_category"],
            }

    def _section47s(self):
        return _chunked(
            Section47.objects.all(), "source_id", "episode_id", "episode__source_id",
            "episode__child__la_child_id", "start_date", "icpc_target_date", "icpc_date", "icpc_not_required",
        )  # fmt: skip

    def s47_enquiry(self):
        for s in self._section47s():
            # What the importer derives ICPCnotRequired from: a conference not needed says so; one
            # planned or held is said by its conference row.
            outcome = {"CP_CONFERENCE_FLAG": "N"} if s["icpc_not_required"] else {}
            yield {
                "s47e_s47_enquiry_id": ssd_id(s, "s47_enquiry"),
                "s47e_referral_id": self._episode_ref(s),
                "s47e_person_id": s["episode__child__la_child_id"],
                "s47e_s47_start_date": _day(s["start_date"]),
                "s47e_s47_nfa": "N",
                "s47e_s47_outcome_json": json.dumps(outcome) if outcome else "",
            }

    def initial_cp_conference(self):
        for s in self._section47s():
            if s["icpc_target_date"] or s["icpc_date"]:
                yield {
                    "icpc_s47_enquiry_id": ssd_id(s, "s47_enquiry"),
                    "icpc_referral_id": self._episode_ref(s),
                    "icpc_person_id": s["episode__child__la_child_id"],
                    "icpc_icpc_target_date": _day(s["icpc_target_date"]),
                    "icpc_icpc_date": _day(s["icpc_date"]),
                }

    def _visits(self, table: str):
        """Statutory visits: those imported as such, and the home visits recorded in Closewell (as CIN
        visits). Times in the council's time zone, as the case system writes them."""
        imported = Q(source_id__startswith=f"{table}:")
        made_here = Q(source_id="", kind=ContactType.HOME_VISIT)
        rows = Contact.objects.filter(imported | made_here if table == "cin_visits" else imported)
        prefix = "cinv" if table == "cin_visits" else "cppv"
        kind = table.removesuffix("_visits")
        for c in _chunked(
            rows, "source_id", "episode__child__la_child_id", "occurred_at", "child_seen", "child_seen_alone"
        ):
            yield {
                f"{prefix}_{kind}_visit_id": ssd_id(c, table),
                f"{prefix}_person_id": c["episode__child__la_child_id"],
                f"{prefix}_{kind}_visit_date": timezone.localtime(c["occurred_at"])
                .replace(tzinfo=None)
                .isoformat(),
                f"{prefix}_{kind}_visit_seen": _flag(c["child_seen"]),
                f"{prefix}_{kind}_visit_seen_alone": _flag(c["child_seen_alone"]),
            }

    def cin_visits(self):
        return self._visits("cin_visits")

    def cp_visits(self):
        return self._visits("cp_visits")

    def cla_episodes(self):
        for p in _chunked(
            LookedAfterPeriod.objects.all(), "source_id", "child__la_child_id", "start_date", "end_date"
        ):
            yield {
                "clae_cla_episode_id": ssd_id(p, "cla_episodes"),
                "clae_person_id": p["child__la_child_id"],
                "clae_cla_episode_start_date": _day(p["start_date"]),
                "clae_cla_episode_ceased_date": _day(p["end_date"]),
            }

    def care_leavers(self):
        for c in _chunked(Child.objects.exclude(care_leaver_status=""), "la_child_id", "care_leaver_status"):
            yield {
                "clea_person_id": c["la_child_id"],
                "clea_care_leaver_eligibility": CARE_LEAVER_WORDS[c["care_leaver_status"]],
            }


def export_extract(folder, *, actor=None) -> dict[str, int]:
    """Write every SSD table Closewell holds into `folder` (created if need be); returns the rows
    written per table. Audited as one export: it holds every child's identifiers."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    exporter = Exporter(folder)
    for table in EXPORTED:
        exporter.write(table, getattr(exporter, table)())
    now = timezone.now()
    log_event(
        actor=actor,
        action=Action.EXPORT,
        obj=SsdExtract(now),
        summary=f"Exported the Standard Safeguarding Dataset ({exporter.counts.get('person', 0)} people)",
        after={"folder": str(folder), "counts": exporter.counts},
    )
    return exporter.counts
