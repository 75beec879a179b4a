"""generate_extract(): an invented SSD extract, one CSV per table with every SSD column.

Names, ids and dates are made up; no real child is in it. Used for the test sample (a few children)
and for measuring the import (100,000 children and their visits).
"""

import csv
import datetime as dt
import json
import random
from pathlib import Path

from closewell.ssd.mapping import COLUMNS

FIRST = [
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Finn",
    "Grace",
    "Hamza",
    "Isla",
    "Jack",
    "Kai",
    "Leah",
    "Mia",
    "Noah",
    "Olive",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tia",
    "Umar",
    "Vera",
    "Will",
    "Zara",
]
ADULT_FIRST = ["Alison", "Bea", "Carla", "Dawn", "Erin", "Fay", "Gemma", "Hana", "Iris", "Joy"]
LAST = [
    "Ashdown",
    "Birchall",
    "Coldwell",
    "Dunmore",
    "Elmsley",
    "Fenwick",
    "Garside",
    "Hollins",
    "Ingleby",
    "Jessop",
    "Kirkham",
    "Lowther",
    "Marsden",
    "Nuttall",
    "Oakes",
    "Pennock",
]
TEAMS = [
    "Northmoor Assessment Team",
    "Northmoor Family Support",
    "Southvale Child Protection",
    "Leaving Care",
]
ETHNICITY = ["WBRI", "WOTH", "MWBC", "AIND", "APKN", "BAFR", "CHNE", "NOBT"]
SOURCES = ["1A", "2A", "3A", "3B", "5A", "6", "8"]
TODAY = dt.date(2026, 11, 1)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


class _Tables:
    """Open CSV writers for every table, each with the SSD's full header."""

    def __init__(self, directory: Path):
        directory.mkdir(parents=True, exist_ok=True)
        self.handles = {
            t: (directory / f"ssd_{t}.csv").open("w", newline="", encoding="utf-8") for t in COLUMNS
        }
        self.writers = {t: csv.DictWriter(h, fieldnames=COLUMNS[t]) for t, h in self.handles.items()}
        for writer in self.writers.values():
            writer.writeheader()

    def add(self, table: str, **values) -> None:
        self.writers[table].writerow(values)

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()


def generate_extract(directory, *, children: int = 12, visits: int = 4, seed: int = 2026) -> Path:
    """Write an extract of `children` children, each with a mother, an episode, an assessment and
    about `visits` statutory visits; some with plans, enquiries, care and an earlier closed episode."""
    rng = random.Random(seed)
    directory = Path(directory)
    out = _Tables(directory)
    try:
        for n, name in enumerate(TEAMS, start=1):
            out.add("department", dept_team_id=f"D{n}", dept_team_name=name)
        for n in range(1, 21):
            out.add(
                "professionals",
                prof_professional_id=f"W{n}",
                prof_staff_id=f"sw{n:03d}",
                prof_professional_name=f"{rng.choice(ADULT_FIRST)} {rng.choice(LAST)}",
                prof_professional_job_title="Social Worker",
                prof_agency_worker_flag="N",
            )
        for i in range(1, children + 1):
            _child(out, rng, i, visits)
    finally:
        out.close()
    return directory


def _child(out: _Tables, rng: random.Random, i: int, visits: int) -> None:
    pid, last = f"P{i:07d}", rng.choice(LAST)
    dob = _day(rng, dt.date(2009, 1, 1), dt.date(2024, 6, 30))
    out.add(
        "person",
        pers_person_id=pid,
        pers_forename=rng.choice(FIRST),
        pers_surname=last,
        pers_sex=rng.choice("MF"),
        pers_ethnicity=rng.choice(ETHNICITY),
        pers_dob=f"{dob.isoformat()} 00:00:00",
        pers_upn_unknown="" if i % 2 else "UN5",
        pers_is_mother="N",
    )
    mid = f"M{i:07d}"
    out.add(
        "person",
        pers_person_id=mid,
        pers_forename=rng.choice(ADULT_FIRST),
        pers_surname=last,
        pers_sex="F",
        pers_dob=_iso(_day(rng, dt.date(1975, 1, 1), dt.date(2000, 1, 1))),
        pers_is_mother="Y",
    )
    out.add(
        "mother",
        moth_table_id=f"MO{i}",
        moth_person_id=mid,
        moth_childs_person_id=pid,
        moth_childs_dob=_iso(dob),
    )
    out.add("family", fami_table_id=f"FA{i}a", fami_family_id=f"F{i}", fami_person_id=pid)
    out.add("family", fami_table_id=f"FA{i}b", fami_family_id=f"F{i}", fami_person_id=mid)
    if i % 5 == 0:
        sib = f"S{i:07d}"
        out.add(
            "person",
            pers_person_id=sib,
            pers_forename=rng.choice(FIRST),
            pers_surname=last,
            pers_sex="M",
            pers_dob=_iso(_day(rng, max(dob, dt.date(2012, 1, 1)), dt.date(2025, 1, 1))),
        )
        out.add("family", fami_table_id=f"FA{i}c", fami_family_id=f"F{i}", fami_person_id=sib)
    if i % 2:
        out.add(
            "linked_identifiers",
            link_table_id=f"L{i}",
            link_person_id=pid,
            link_identifier_type="Unique Pupil Number",
            link_identifier_value=f"A{i:012d}",
        )
    if i % 7 == 0:
        out.add("disability", disa_table_id=f"DI{i}", disa_person_id=pid, disa_disability_code="AUT")
    team = f"D{1 + i % 3}"
    worker = f"W{1 + i % 20}"
    referral = _day(rng, dt.date(2025, 7, 1), dt.date(2026, 9, 1))
    if i % 10 == 0:  # an earlier episode, closed after assessment: this one is a re-referral
        earlier = referral - dt.timedelta(days=200)
        ref = f"R{i:07d}a"
        out.add(
            "cin_episodes",
            cine_referral_id=ref,
            cine_person_id=pid,
            cine_referral_date=_iso(earlier),
            cine_cin_primary_need_code="N4",
            cine_referral_source_code="2A",
            cine_referral_nfa="N",
            cine_close_reason="RC8",
            cine_close_date=_iso(earlier + dt.timedelta(days=40)),
            cine_referral_team=team,
            cine_referral_worker_id=worker,
        )
        _assessment(out, f"A{i:07d}a", pid, ref, earlier, ["21"])
    ref = f"R{i:07d}"
    closed = i % 3 == 0
    close = min(referral + dt.timedelta(days=rng.randint(60, 300)), TODAY) if closed else None
    out.add(
        "cin_episodes",
        cine_referral_id=ref,
        cine_person_id=pid,
        cine_referral_date=f"{referral.isoformat()} 00:00:00",
        cine_cin_primary_need_code=rng.choice(["N1", "N2", "N3", "N4", "N5"]),
        cine_referral_source_code=rng.choice(SOURCES),
        cine_referral_outcome_json="[]",
        cine_referral_nfa="N",
        cine_close_reason="RC7" if closed else "",
        cine_close_date=_iso(close),
        cine_referral_team=team,
        cine_referral_worker_id="",
    )
    out.add(
        "involvements",
        invo_involvements_id=f"I{i}",
        invo_professional_id=worker,
        invo_professional_role_id="Allocated Case Worker",
        invo_professional_team=team,
        invo_involvement_start_date=_iso(referral),
        invo_person_id=pid,
        invo_referral_id=ref,
    )
    _assessment(out, f"A{i:07d}", pid, ref, referral, ["3A", "3B"] if i % 4 == 0 else ["4B"])
    end = close or TODAY
    if i % 3 == 1:
        out.add(
            "cin_plans",
            cinp_cin_plan_id=f"CIN{i}",
            cinp_referral_id=ref,
            cinp_person_id=pid,
            cinp_cin_plan_start_date=_iso(referral + dt.timedelta(days=30)),
            cinp_cin_plan_end_date=_iso(close),
            cinp_cin_plan_team=team,
            cinp_cin_plan_worker_id=worker,
        )
    if i % 8 == 0:
        start = referral + dt.timedelta(days=5)
        out.add(
            "s47_enquiry",
            s47e_s47_enquiry_id=f"S47{i}",
            s47e_referral_id=ref,
            s47e_person_id=pid,
            s47e_s47_start_date=_iso(start),
            s47e_s47_end_date=_iso(start + dt.timedelta(days=10)),
            s47e_s47_nfa="N",
            s47e_s47_outcome_json="[]",
        )
        out.add(
            "initial_cp_conference",
            icpc_icpc_id=f"IC{i}",
            icpc_s47_enquiry_id=f"S47{i}",
            icpc_person_id=pid,
            icpc_referral_id=ref,
            icpc_icpc_target_date=_iso(start + dt.timedelta(days=15)),
            icpc_icpc_date=_iso(start + dt.timedelta(days=14)),
            icpc_icpc_outcome_cp_flag="Y",
        )
        out.add(
            "cp_plans",
            cppl_cp_plan_id=f"CP{i}",
            cppl_referral_id=ref,
            cppl_icpc_id=f"IC{i}",
            cppl_person_id=pid,
            cppl_cp_plan_start_date=_iso(start + dt.timedelta(days=14)),
            cppl_cp_plan_end_date=_iso(close),
            cppl_cp_plan_initial_category="NEG",
            cppl_cp_plan_ola="N",
            cppl_cp_plan_latest_category="Neglect",
        )
        out.add(
            "cp_visits",
            cppv_cp_visit_id=f"CPV{i}",
            cppv_person_id=pid,
            cppv_cp_plan_id=f"CP{i}",
            cppv_cp_visit_date=f"{_iso(start + dt.timedelta(days=16))} 14:30:00",
            cppv_cp_visit_seen="Y",
            cppv_cp_visit_seen_alone="Y",
            cppv_cp_visit_bedroom="Y",
        )
    for v in range(visits):
        seen = rng.random() < 0.85
        out.add(
            "cin_visits",
            cinv_cin_visit_id=f"V{i:07d}-{v}",
            cinv_person_id=pid,
            cinv_cin_visit_date=f"{_iso(_day(rng, referral, end))} {rng.randint(9, 17):02d}:00:00",
            cinv_cin_visit_seen="Y" if seen else "N",
            cinv_cin_visit_seen_alone="Y" if seen and rng.random() < 0.4 else "N",
            cinv_cin_visit_bedroom="N",
        )
    if i % 20 == 6:
        start = referral + dt.timedelta(days=20)
        out.add(
            "cla_episodes",
            clae_cla_episode_id=f"CLA{i}",
            clae_person_id=pid,
            clae_cla_episode_start_date=_iso(start),
            clae_cla_episode_start_reason="S",
            clae_cla_episode_ceased_date=_iso(close),
            clae_referral_id=ref,
        )
    if i % 25 == 7:
        out.add(
            "care_leavers",
            clea_table_id=f"CL{i}",
            clea_person_id=pid,
            clea_care_leaver_eligibility=["Relevant", "Former Relevant", "Qualifying"][i % 3],
            clea_care_leaver_in_touch="YES",
        )
    out.add(
        "contacts",
        cont_contact_id=f"C{i}",
        cont_person_id=pid,
        cont_contact_date=_iso(referral - dt.timedelta(days=2)),
        cont_contact_source_code="2A",
        cont_contact_outcome_json=json.dumps(["Referral"]),
    )


def _assessment(out: _Tables, aid: str, pid: str, ref: str, referral: dt.date, factors: list[str]) -> None:
    out.add(
        "cin_assessments",
        cina_assessment_id=aid,
        cina_person_id=pid,
        cina_referral_id=ref,
        cina_assessment_start_date=_iso(referral + dt.timedelta(days=2)),
        cina_assessment_child_seen="Y",
        cina_assessment_auth_date=_iso(referral + dt.timedelta(days=30)),
        cina_assessment_outcome_nfa="N",
    )
    out.add(
        "assessment_factors",
        cinf_table_id=f"AF{aid}",
        cinf_assessment_id=aid,
        cinf_assessment_factors_json=json.dumps(factors),
    )
