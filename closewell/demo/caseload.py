"""Synthetic caseload for load and performance testing: a council you could mistake for a real one, fast.

A council of N children with years of history: about one child in six has an open episode now, and the
others' episodes closed in the last six years; some children were referred again (re-referrals). Workers
hold 15 to 25 open cases each in teams of 6 to 8, and each team manager has one or two teams. Names are
drawn with realistic frequencies from the tables in data/ (surnames weighted like England's, first names
like recent birth registrations). Contacts follow the length of each episode (about one a fortnight);
closures after assessment (RC8, RC9) have no plan. Two presets: ``average`` (15,000 children, about 2,600
open) and ``large`` (100,000 children).

This is load data, not a record of anyone's work, so it is written with ``bulk_create`` in batches:
no service is called per row and **no audit event is recorded** (a real case always goes through
``services.py``, which audits). Every row still respects the models' database constraints: one open
episode per child, a closed episode has its closure date, time and reason, a UPN or the reason it is
unknown, contacts between the referral and the closure (or today), and so on.

Generated children have LA child IDs ``GEN0000001`` upwards, so they never clash with the demo's
(``NM1…``). A second run continues the numbering after the highest ``GEN`` ID already there, so it
adds children rather than clashing. With the same seed, the same starting point and the same
``today``, the output is the same.
"""

import csv
import datetime as dt
import itertools
import math
import random
from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from closewell.accounts.models import Role, Team, User
from closewell.cases.codes import DOMESTIC_ABUSE_FACTORS, CategoryOfAbuse, Dimension
from closewell.cases.models import (
    Assessment,
    Child,
    ChildPerson,
    Contact,
    ContactType,
    CustodyStatus,
    DomesticAbuse,
    Episode,
    EpisodeStatus,
    Person,
    Plan,
    PlannedAction,
    PlanType,
    Relationship,
    Responsible,
    Section47,
    WorkKind,
)
from closewell.core.dates import birthday

from .demo import make_upn

PREFIX = "GEN"
ID_WIDTH = 7
PRESETS = {"average": 15_000, "large": 100_000}
OPEN_SHARE = 0.17  # an average council: about 2,600 children in need open among 15,000 known
CASELOAD = (15, 25)  # open cases a worker holds
TEAM_SIZE = (6, 8)  # workers in a team
HISTORY_YEARS = 6
CP_SHARE = 0.12
DA_SHARE = 0.15
CONTACT_EVERY_DAYS = 14  # visits and calls, about one a fortnight
CONTACTS = (3, 60)
BATCH_CHILDREN = 1000  # children generated and written per transaction
INSERT_BATCH = 5000  # rows per INSERT statement (Django lowers it if the database needs)
UTC = dt.UTC

DATA = Path(__file__).parent / "data"


def _weighted(filename: str, column: str, sex: str | None = None) -> tuple[list[str], list[int]]:
    """Names and weights from a table in data/, optionally for one sex."""
    with (DATA / filename).open(newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if sex is None or r["sex"] == sex]
    return [r[column] for r in rows], list(itertools.accumulate(int(r["weight"]) for r in rows))


SURNAMES = _weighted("surnames.csv", "surname")
CHILD_NAMES = {sex: _weighted("first_names.csv", "first_name", sex) for sex in "FM"}
ADULT_NAMES = {sex: _weighted("adult_first_names.csv", "first_name", sex) for sex in "FM"}
STREETS = [
    "Alder Way",
    "Bank Street",
    "Canal Side",
    "Dale View",
    "Elm Road",
    "Fold Lane",
    "Gorse Avenue",
    "Holly Bank",
    "Ivy Terrace",
    "Jubilee Street",
    "Kestrel Drive",
    "Lime Grove",
    "Mill Lane",
    "Nab Lane",
    "Oak Crescent",
    "Pennine Way",
]
LANGUAGES = ["Polish", "Urdu", "Romanian", "Arabic", "Bengali", "Tigrinya"]
ETHNICITIES = ["WBRI"] * 14 + [
    "WOTH",
    "WIRI",
    "MWBC",
    "MWAS",
    "MOTH",
    "AIND",
    "APKN",
    "ABAN",
    "BAFR",
    "BCRB",
    "CHNE",
    "OOTH",
    "NOBT",
]
DISABILITIES = ["AUT", "BEH", "COMM", "LD", "HEAR", "VIS", "MOB", "DDA"]
SOURCES = [
    "1A",
    "1B",
    "1C",
    "2A",
    "2B",
    "3A",
    "3B",
    "3C",
    "3E",
    "3F",
    "4",
    "5A",
    "5C",
    "5D",
    "6",
    "6",
    "6",
    "2A",
    "8",
    "9",
]
NEEDS = ["N1"] * 5 + ["N2", "N3", "N4", "N4", "N5", "N5", "N6", "N7", "N8", "N0"]
FACTORS = [
    "1B",
    "2B",
    "4A",
    "4B",
    "5B",
    "6B",
    "7A",
    "10A",
    "11A",
    "14A",
    "15A",
    "16A",
    "17A",
    "18A",
    "20",
    "24A",
]
# Shares of closures by reason, close to England's (no RC1 adoptions or RC2 deaths in generated data).
CLOSURE_REASONS = (
    ["RC7"] * 45 + ["RC8"] * 30 + ["RC9"] * 12 + ["RC5"] * 6 + ["RC6"] * 3 + ["RC3"] * 2 + ["RC4"] * 2
)
AFTER_ASSESSMENT = {"RC8", "RC9"}  # closed after assessment: no plan, no section 47 (CIN rules 8825Q, 2990)
KINDS = (
    [ContactType.HOME_VISIT] * 35
    + [ContactType.OFFICE_VISIT] * 8
    + [ContactType.SCHOOL_VISIT] * 10
    + [ContactType.TELEPHONE] * 20
    + [ContactType.LETTER] * 5
    + [ContactType.EMAIL] * 7
    + [ContactType.TEXT] * 10
    + [ContactType.VIDEO] * 5
)
SEEN_KINDS = {ContactType.HOME_VISIT, ContactType.OFFICE_VISIT, ContactType.SCHOOL_VISIT, ContactType.VIDEO}
NOTES = {
    ContactType.HOME_VISIT: [
        "Home visit. Talked about how the week has gone and the plan.",
        "Home visit. The house was warm and tidy; food in the cupboards.",
        "Planned home visit to review progress with the family.",
    ],
    ContactType.OFFICE_VISIT: [
        "Met at the office to go through the plan.",
        "Office meeting about the next review.",
    ],
    ContactType.SCHOOL_VISIT: [
        "Saw the child at school in the quiet room.",
        "School visit; spoke with the class teacher about attendance.",
    ],
    ContactType.TELEPHONE: [
        "Telephone call to arrange the next visit.",
        "Call with the health visitor about progress.",
    ],
    ContactType.LETTER: ["Letter confirming the date of the review meeting."],
    ContactType.EMAIL: ["Email to school asking for the attendance figures."],
    ContactType.TEXT: ["Text reminder of tomorrow's appointment."],
    ContactType.VIDEO: ["Video call with the family and the family support worker."],
}
ACTIONS = [
    (Dimension.HEALTH, "Register with a GP and keep health appointments.", Responsible.PARENT),
    (Dimension.EDUCATION, "School to monitor attendance and report weekly.", Responsible.SERVICE),
    (Dimension.EMOTIONAL_BEHAVIOURAL, "Sessions with the school counsellor.", Responsible.SERVICE),
    (Dimension.IDENTITY, "Life story work with the child.", Responsible.WORKER),
    (Dimension.FAMILY_SOCIAL_RELATIONSHIPS, "Join an after-school club.", Responsible.CHILD),
    (Dimension.BASIC_CARE, "Family support worker to help with routines.", Responsible.SERVICE),
    (Dimension.ENSURING_SAFETY, "Agree and keep to a written safety plan.", Responsible.PARENT),
    (Dimension.EMOTIONAL_WARMTH, "Parenting programme, one evening a week.", Responsible.PARENT),
    (Dimension.STIMULATION, "Funded nursery place, 15 hours a week.", Responsible.SERVICE),
    (Dimension.GUIDANCE_BOUNDARIES, "Agree house rules and a bedtime routine.", Responsible.PARENT),
    (Dimension.STABILITY, "Keep the child at the same school.", Responsible.WORKER),
    (Dimension.FAMILY_HISTORY, "Family group conference.", Responsible.SERVICE),
    (Dimension.WIDER_FAMILY, "Grandparents to help with school runs.", Responsible.OTHER),
    (Dimension.HOUSING, "Support with a housing application.", Responsible.WORKER),
    (Dimension.INCOME, "Benefits check with the welfare rights service.", Responsible.SERVICE),
    (Dimension.SOCIAL_INTEGRATION, "Go with a volunteer to the local parents' group.", Responsible.PARENT),
    (Dimension.COMMUNITY_RESOURCES, "Referral to the food bank and holiday activities.", Responsible.WORKER),
]
LEVELS = ["weekly for 12 weeks", "fortnightly", "monthly", "once", "daily", "15 hours a week"]


def pick(rng: random.Random, table: tuple[list[str], list[int]]) -> str:
    names, cumulative = table
    return rng.choices(names, cum_weights=cumulative)[0]


def staffing(open_cases: int, rng: random.Random) -> tuple[list[list[int]], list[list[int]]]:
    """How a council staffs ``open_cases``: teams of workers' caseloads, and the teams each manager has.

    One worker per 20 open cases, each holding 15 to 25; teams of 6 to 8 workers (fewer only when the
    council has fewer than six workers); a manager for one or two teams. Returns (teams, managers): each
    team a list of caseloads adding up to ``open_cases``; each manager a list of team indexes."""
    workers = max(1, round(open_cases / 20))
    low, high = CASELOAD
    loads = [open_cases // workers + (1 if i < open_cases % workers else 0) for i in range(workers)]
    # Move cases between pairs of workers so caseloads differ, as they do, without leaving 15-25.
    for _ in range(workers * 2):
        i, j = rng.randrange(workers), rng.randrange(workers)
        moved = rng.randint(0, 3)
        if i != j and loads[i] - moved >= low and loads[j] + moved <= high:
            loads[i] -= moved
            loads[j] += moved
    team_count = max(1, math.ceil(workers / TEAM_SIZE[1]))
    while team_count > 1 and workers / team_count < TEAM_SIZE[0]:
        team_count -= 1
    teams = [loads[t::team_count] for t in range(team_count)]
    managers, t = [], 0
    while t < team_count:
        size = 2 if t + 1 < team_count and rng.random() < 0.5 else 1
        managers.append(list(range(t, t + size)))
        t += size
    return teams, managers


def ensure_staff(teams: list[list[int]], managers: list[list[int]]) -> list[tuple[User, int]]:
    """The generated teams, workers and managers for a staffing plan; returns each worker with the number
    of open cases to give them. Made only when absent, so a second run of the same size reuses them.
    They have no usable password."""
    rng = random.Random(len(teams))
    workers, team_rows, number = [], [], 0
    for t, loads in enumerate(teams, start=1):
        team, _ = Team.objects.get_or_create(name=f"Generated team {t:03d}")
        team_rows.append(team)
        for load in loads:
            number += 1
            worker = User.objects.filter(username=f"gen.worker{number:04d}").first()
            if worker is None:
                sex = rng.choice("FM")
                worker = User(
                    username=f"gen.worker{number:04d}",
                    first_name=pick(rng, ADULT_NAMES[sex]),
                    last_name=pick(rng, SURNAMES),
                    role=Role.SOCIAL_WORKER,
                    team=team,
                )
                worker.set_unusable_password()
                worker.save()
            workers.append((worker, load))
    for m, team_indexes in enumerate(managers, start=1):
        manager = User.objects.filter(username=f"gen.manager{m:03d}").first()
        if manager is None:
            sex = rng.choice("FM")
            manager = User(
                username=f"gen.manager{m:03d}",
                first_name=pick(rng, ADULT_NAMES[sex]),
                last_name=pick(rng, SURNAMES),
                role=Role.TEAM_MANAGER,
            )
            manager.set_unusable_password()
            manager.save()
            manager.managed_teams.set([team_rows[t] for t in team_indexes])
    return workers


def next_index() -> int:
    """The number after the highest generated LA child ID already in the database."""
    last = (
        Child.objects.filter(la_child_id__startswith=PREFIX)
        .order_by("-la_child_id")
        .values_list("la_child_id", flat=True)
        .first()
    )
    return int(last[len(PREFIX) :]) + 1 if last else 1


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    # Office hours in UTC: the date is the same in London.
    return dt.datetime(
        day.year, day.month, day.day, rng.randint(8, 18), rng.choice((0, 15, 30, 45)), tzinfo=UTC
    )


def _working_day(date: dt.date, earliest: dt.date, latest: dt.date) -> dt.date:
    """A weekend date moved to the Friday before, or the Monday after if that would be too early:
    conferences, and so child protection plans, start on working days (CIN rule 8875)."""
    if date.weekday() < 5:
        return date
    friday = date - dt.timedelta(days=date.weekday() - 4)
    monday = date + dt.timedelta(days=7 - date.weekday())
    return friday if friday >= earliest else min(monday, latest)


def _disabilities(rng: random.Random) -> list[str]:
    """NONE for nine children in ten; of the others, one in three has two or three disabilities
    (a council where no child has more than one gets CIN query 2888Q on the whole return)."""
    if rng.random() < 0.9:
        return ["NONE"]
    return rng.sample(DISABILITIES, 1 if rng.random() < 2 / 3 else rng.randint(2, 3))


def _day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


class _Batch:
    """One batch of children and everything under them, built in memory, then written."""

    def __init__(self, rng: random.Random, today: dt.date, workers: list[tuple[User, int]], children: int):
        self.rng = rng
        self.today = today
        self.children = children
        self.open_cases = sum(load for _, load in workers)
        self.all_workers = [w for w, _ in workers]
        # Each open case's worker, so that every worker holds exactly their caseload.
        self.open_workers = [w for w, load in workers for _ in range(load)]
        rng.shuffle(self.open_workers)

    def open_worker(self, k: int) -> User | None:
        """The worker of child k's open episode (k counts from 0 in this run), or None if it has none:
        the open cases are spread evenly through the run, exactly ``open_cases`` of them."""
        before = k * self.open_cases // self.children
        if (k + 1) * self.open_cases // self.children > before:
            return self.open_workers[before]
        return None

    def _closed_episode(self, end: dt.date) -> dict:
        """A closed episode that ended on ``end``: its reason and length."""
        reason = self.rng.choice(CLOSURE_REASONS)
        length = self.rng.randint(10, 45) if reason in AFTER_ASSESSMENT else self.rng.randint(60, 400)
        return {
            "referral": end - dt.timedelta(days=length),
            "closure": end,
            "reason": reason,
            "worker": self.rng.choice(self.all_workers),
        }

    def episodes_for(self, dob: dt.date, worker: User | None) -> list[dict]:
        """A child's episodes, oldest first: an open one if ``worker``, and earlier closed ones (a gap of two
        weeks to two and a half years between them), none before birth or before the history begins."""
        rng, today = self.rng, self.today
        age_days = (today - dob).days
        episodes = []
        if worker:
            oldest = min(age_days - 1, 720)
            referral = today - dt.timedelta(days=rng.randint(min(60, oldest), oldest))
            episodes.append({"referral": referral, "closure": None, "reason": "", "worker": worker})
            earlier = rng.choices((0, 1, 2), weights=(70, 22, 8))[0]
            next_referral = referral
        else:
            earlier = rng.choices((1, 2), weights=(80, 20))[0]
            last_closure = today - dt.timedelta(days=rng.randint(2, HISTORY_YEARS * 365))
            latest = self._closed_episode(max(last_closure, dob + dt.timedelta(days=60)))
            latest["referral"] = max(latest["referral"], dob + dt.timedelta(days=1))
            episodes.append(latest)
            next_referral = latest["referral"]
            earlier -= 1
        start_of_history = today - dt.timedelta(days=HISTORY_YEARS * 365)
        for _ in range(earlier):
            end = next_referral - dt.timedelta(days=rng.randint(14, 900))
            episode = self._closed_episode(end)
            if episode["referral"] <= max(dob, start_of_history):
                break
            episodes.append(episode)
            next_referral = episode["referral"]
        return episodes[::-1]

    def build_children(self, first: int, count: int, k0: int) -> list[tuple[Child, list[dict]]]:
        rng, today = self.rng, self.today
        out = []
        for k, index in enumerate(range(first, first + count), start=k0):
            sex = rng.choice("MF")
            age_days = rng.randint(400, 17 * 365)
            dob = today - dt.timedelta(days=age_days)
            has_upn = age_days > 5 * 365 and rng.random() < 0.9
            child = Child(
                la_child_id=f"{PREFIX}{index:0{ID_WIDTH}d}",
                upn=make_upn(f"001{index:09d}") if has_upn else "",
                upn_unknown="" if has_upn else ("UN6" if age_days < 6 * 365 else "UN5"),
                first_name=pick(rng, CHILD_NAMES["M" if sex == "M" else "F"]),
                last_name=pick(rng, SURNAMES),
                date_of_birth=dob,
                sex=sex,
                ethnicity=rng.choice(ETHNICITIES),
                disabilities=_disabilities(rng),
            )
            out.append((child, self.episodes_for(dob, self.open_worker(k))))
        return out

    def build_people(self, child: Child) -> list[tuple[Person, str, bool, bool]]:
        rng = self.rng
        surname = child.last_name
        street = (
            f"{rng.randint(1, 120)} {rng.choice(STREETS)}, Northmoor NM{rng.randint(1, 9)} "
            f"{rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXY')}{rng.choice('ABDEHLNPTU')}"
        )
        people = []

        def person(first, last, relationship, pr, lives, address):
            language = "English"
            reads = True
            interpreter = False
            if rng.random() < 0.05:
                language = rng.choice(LANGUAGES)
                reads = rng.random() < 0.5
                interpreter = not reads
            sensitive = rng.random() < 0.03
            p = Person(
                first_name=first,
                last_name=last,
                first_language=language,
                reads_english=reads,
                interpreter_needed=interpreter,
                address=address,
                phone=f"07700 9{rng.randint(0, 99999):05d}",
                contact_details_sensitive=sensitive,
                sensitivity_reason="Address withheld for the family's safety." if sensitive else "",
            )
            people.append((p, relationship, pr, lives))

        person(pick(rng, ADULT_NAMES["F"]), surname, Relationship.MOTHER, True, True, street)
        if rng.random() < 0.7:
            person(
                pick(rng, ADULT_NAMES["M"]),
                rng.choice((surname, pick(rng, SURNAMES))),
                Relationship.FATHER,
                True,
                rng.random() < 0.5,
                street,
            )
        else:
            person(
                pick(rng, ADULT_NAMES["M"]),
                pick(rng, SURNAMES),
                Relationship.PARTNER_OF_PARENT,
                False,
                True,
                street,
            )
        for _ in range(rng.randint(0, 2)):
            rel = rng.choice(
                (
                    Relationship.GRANDPARENT,
                    Relationship.SIBLING,
                    Relationship.OTHER_FAMILY,
                    Relationship.STEP_PARENT,
                )
            )
            names = ADULT_NAMES if rel != Relationship.SIBLING else CHILD_NAMES
            first = pick(rng, names[rng.choice("FM")])
            person(first, surname, rel, False, rel == Relationship.SIBLING, street)
        return people


def generate_caseload(
    *,
    children: int,
    seed: int = 0,
    today: dt.date | None = None,
    open_share: float = OPEN_SHARE,
    batch_children: int = BATCH_CHILDREN,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Add ``children`` invented children with their episodes, family, assessments, plans, actions and
    contacts, and the staff who hold the open cases, in batches. Returns how many rows of each kind
    were written."""
    today = today or dt.date.today()
    with transaction.atomic():
        first = next_index()
        rng = random.Random(f"{seed}:{first}")
        teams, managers = staffing(max(1, round(children * open_share)), rng)
        workers = ensure_staff(teams, managers)
    batch = _Batch(rng, today, workers, children)
    totals = dict.fromkeys(
        (
            "children",
            "episodes",
            "people",
            "child_people",
            "assessments",
            "section47s",
            "plans",
            "actions",
            "domestic_abuse",
            "contacts",
            "people_seen",
        ),
        0,
    )
    done = 0
    while done < children:
        count = min(batch_children, children - done)
        with transaction.atomic():
            counts = _write_batch(batch, first + done, count, done)
        for key, value in counts.items():
            totals[key] += value
        done += count
        if progress:
            progress(f"{done}/{children} children, {totals['contacts']} contacts")
    return totals


def _write_batch(batch: _Batch, first: int, count: int, k0: int) -> dict[str, int]:
    rng, today = batch.rng, batch.today
    rows = batch.build_children(first, count, k0)
    created = Child.objects.bulk_create([c for c, _ in rows], batch_size=INSERT_BATCH)

    people_rows = [batch.build_people(child) for child in created]
    Person.objects.bulk_create([p for fam in people_rows for p, *_ in fam], batch_size=INSERT_BATCH)
    links = [
        ChildPerson(
            child_id=child.pk,
            person_id=p.pk,
            relationship=rel,
            has_parental_responsibility=pr,
            lives_with_child=lives,
        )
        for child, fam in zip(created, people_rows, strict=True)
        for p, rel, pr, lives in fam
    ]
    ChildPerson.objects.bulk_create(links, batch_size=INSERT_BATCH)

    # Every episode with its family and, for a re-referral, the episode before it.
    episodes, fams, previous = [], [], []
    for child, (_, infos), fam in zip(created, rows, people_rows, strict=True):
        before = None
        for info in infos:
            closure, worker = info["closure"], info["worker"]
            episode = Episode(
                child_id=child.pk,
                referral_date=info["referral"],
                referral_source=rng.choice(SOURCES),
                primary_need=rng.choice(NEEDS),
                team_id=worker.team_id,
                worker_id=worker.pk,
                status=EpisodeStatus.CLOSED if closure else EpisodeStatus.OPEN,
                closure_date=closure,
                closed_at=_at(closure, rng) if closure else None,
                reason_for_closure=info["reason"],
            )
            episodes.append(episode)
            fams.append(fam)
            previous.append(before)
            before = episode
    Episode.objects.bulk_create(episodes, batch_size=INSERT_BATCH)
    referred_again = []
    for episode, before in zip(episodes, previous, strict=True):
        if before is not None:
            episode.previous_episode_id = before.pk
            episode.is_re_referral = episode.referral_date < birthday(before.closure_date, 1)
            referred_again.append(episode)
    Episode.objects.bulk_update(referred_again, ["previous_episode", "is_re_referral"], batch_size=1000)

    assessments, plans, planned, s47s, abuse = [], [], [], [], []
    for episode, fam in zip(episodes, fams, strict=True):
        end = episode.closure_date or today
        start = min(episode.referral_date + dt.timedelta(days=rng.randint(0, 5)), end)
        if episode.reason_for_closure in AFTER_ASSESSMENT:
            # Closed after assessment: the assessment is authorised on or before the closure; no plan.
            assessments.append(
                Assessment(
                    episode_id=episode.pk,
                    start_date=start,
                    authorisation_date=_day_between(rng, start, end),
                    factors=rng.sample(FACTORS, rng.randint(1, 2)),
                    summary="Assessment completed with the family.",
                )
            )
            continue
        authorised = start + dt.timedelta(days=rng.randint(15, 40))
        cp = rng.random() < CP_SHARE
        if cp:
            # A section 47 enquiry starts the day after the assessment, and its initial conference
            # (where the plan starts) comes 1 to 3 weeks later. The assessment runs alongside and is
            # authorised after the conference, so a census that holds the enquiry holds the
            # assessment too (CIN query 2991Q: a section 47 on an episode with no assessment).
            icpc = min(start + dt.timedelta(days=rng.randint(6, 21)), end)
            icpc = _working_day(icpc, episode.referral_date, end)
            authorised = max(authorised, icpc)
        if authorised > end:
            authorised = end if episode.closure_date else None
        factors = rng.sample(FACTORS, rng.randint(1, 3))
        if rng.random() < DA_SHARE:
            factors.append(rng.choice(sorted(DOMESTIC_ABUSE_FACTORS)))
            perpetrator, victim = fam[1][0], fam[0][0]
            custody = rng.choice(list(CustodyStatus.values))
            abuse.append(
                DomesticAbuse(
                    episode_id=episode.pk,
                    perpetrator_id=perpetrator.pk,
                    victim_id=victim.pk,
                    custody_status=custody,
                    expected_release_date=today + dt.timedelta(days=rng.randint(30, 700))
                    if custody == CustodyStatus.IN_CUSTODY
                    else None,
                    work_with_perpetrator="Referred to a perpetrator programme.",
                )
            )
        assessments.append(
            Assessment(
                episode_id=episode.pk,
                start_date=start,
                authorisation_date=authorised,
                factors=factors,
                summary="Assessment completed with the family.",
            )
        )
        if cp:
            plan_start = icpc
        else:
            plan_start = min((authorised or start) + dt.timedelta(days=rng.randint(0, 10)), end)
            plan_start = _working_day(plan_start, episode.referral_date, end)
        category = ""
        if cp:
            category = rng.choice(list(CategoryOfAbuse.values))
            s47_start = min(start + dt.timedelta(days=1), plan_start)
            s47s.append(
                Section47(
                    episode_id=episode.pk,
                    start_date=s47_start,
                    icpc_target_date=s47_start + dt.timedelta(days=21),
                    icpc_date=plan_start,
                )
            )
        plans.append(
            Plan(
                episode_id=episode.pk,
                kind=PlanType.CP if cp else PlanType.CIN,
                start_date=plan_start,
                # A plan lasts at least a day (CIN query 4012Q: starting and ending on the same day).
                end_date=_day_between(rng, plan_start + dt.timedelta(days=1), end)
                if episode.closure_date and end > plan_start
                else None,
                initial_category=category if cp else "",
                latest_category=category if cp else "",
            )
        )
        planned.append(episode)
    Assessment.objects.bulk_create(assessments, batch_size=INSERT_BATCH)
    Section47.objects.bulk_create(s47s, batch_size=INSERT_BATCH)
    DomesticAbuse.objects.bulk_create(abuse, batch_size=INSERT_BATCH)
    Plan.objects.bulk_create(plans, batch_size=INSERT_BATCH)

    actions = []
    for plan, episode in zip(plans, planned, strict=True):
        last = plan.end_date or today
        for dimension, description, responsible in rng.sample(ACTIONS, rng.randint(3, 6)):
            start = _day_between(rng, plan.start_date, last)
            finished = episode.closure_date is not None or rng.random() < 0.3
            actions.append(
                PlannedAction(
                    episode_id=episode.pk,
                    plan_id=plan.pk,
                    dimension=dimension,
                    description=description,
                    responsible=responsible,
                    planned_level=rng.choice(LEVELS),
                    start_date=start,
                    end_date=_day_between(rng, start, last) if finished else None,
                    actual_level="as planned" if finished else "",
                    outcome="Achieved." if finished else "",
                )
            )
    PlannedAction.objects.bulk_create(actions, batch_size=INSERT_BATCH)

    contacts, seen_people = [], []
    for episode, fam in zip(episodes, fams, strict=True):
        # Contacts end the day before closure (CIN rule 8565) or yesterday; about one a fortnight.
        last = (episode.closure_date or today) - dt.timedelta(days=1)
        days = max((last - episode.referral_date).days, 0)
        expected = days / CONTACT_EVERY_DAYS
        number = min(max(round(rng.uniform(0.7, 1.3) * expected), CONTACTS[0]), CONTACTS[1])
        for _ in range(number):
            kind = rng.choice(KINDS)
            seen = kind in SEEN_KINDS and rng.random() < 0.8
            contacts.append(
                Contact(
                    episode_id=episode.pk,
                    occurred_at=_at(_day_between(rng, episode.referral_date, last), rng),
                    kind=kind,
                    child_seen=seen,
                    child_seen_alone=seen and rng.random() < 0.4,
                    work=WorkKind.DIRECT if kind in SEEN_KINDS or rng.random() < 0.5 else WorkKind.INDIRECT,
                    note=rng.choice(NOTES[kind]),
                    worker_id=episode.worker_id,
                )
            )
            seen_people.append(
                [p.pk for p, *_ in rng.sample(fam, rng.randint(1, 2))] if kind in SEEN_KINDS else []
            )
    Contact.objects.bulk_create(contacts, batch_size=INSERT_BATCH)
    Through = Contact.people_seen.through
    through = [
        Through(contact_id=c.pk, person_id=pid)
        for c, pids in zip(contacts, seen_people, strict=True)
        for pid in pids
    ]
    Through.objects.bulk_create(through, batch_size=INSERT_BATCH)

    return {
        "children": len(created),
        "episodes": len(episodes),
        "people": sum(len(f) for f in people_rows),
        "child_people": len(links),
        "assessments": len(assessments),
        "section47s": len(s47s),
        "plans": len(plans),
        "actions": len(actions),
        "domestic_abuse": len(abuse),
        "contacts": len(contacts),
        "people_seen": len(through),
    }
