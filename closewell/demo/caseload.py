"""Synthetic caseload for load and performance testing: many invented children, fast.

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

import datetime as dt
import random
from collections.abc import Callable

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

from .demo import make_upn

PREFIX = "GEN"
ID_WIDTH = 7
TEAM_COUNT = 20
TEAMS_PER_MANAGER = 5
CLOSED_SHARE = 0.125  # about 10-15% of episodes were closed in the past
CP_SHARE = 0.12
DA_SHARE = 0.15
CONTACTS = (15, 25)  # about 20 contacts per child
BATCH_CHILDREN = 1000  # children generated and written per transaction
INSERT_BATCH = 5000  # rows per INSERT statement (Django lowers it if the database needs)
UTC = dt.UTC

FIRST_F = [
    "Amelia",
    "Ava",
    "Chloe",
    "Ella",
    "Erin",
    "Freya",
    "Grace",
    "Hannah",
    "Isla",
    "Jade",
    "Leah",
    "Lily",
    "Maya",
    "Mia",
    "Nadia",
    "Olivia",
    "Poppy",
    "Ruby",
    "Sofia",
    "Zara",
]
FIRST_M = [
    "Adam",
    "Alfie",
    "Ben",
    "Callum",
    "Dylan",
    "Ethan",
    "Finley",
    "George",
    "Harry",
    "Isaac",
    "Jack",
    "Kai",
    "Leo",
    "Mason",
    "Noah",
    "Oscar",
    "Reuben",
    "Samir",
    "Theo",
    "Tyler",
]
ADULT_F = ["Amy", "Carla", "Dawn", "Emma", "Gemma", "Jodie", "Karen", "Lisa", "Natalie", "Sarah"]
ADULT_M = ["Craig", "Darren", "Gary", "Jason", "Lee", "Mark", "Paul", "Shane", "Stuart", "Wayne"]
SURNAMES = [
    "Ashworth",
    "Bamford",
    "Birtwistle",
    "Calder",
    "Dunmore",
    "Eccleston",
    "Fairclough",
    "Garside",
    "Hallam",
    "Ingleby",
    "Jagger",
    "Kershaw",
    "Lomax",
    "Mellor",
    "Nuttall",
    "Ormerod",
    "Pickup",
    "Quarmby",
    "Ramsden",
    "Sutcliffe",
    "Tattersall",
    "Uttley",
    "Varley",
    "Whiteley",
    "Yates",
    "Ahmed",
    "Begum",
    "Hussain",
    "Khan",
    "Novak",
]
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
CLOSURE_REASONS = ["RC7"] * 8 + ["RC5", "RC3", "RC4", "RC6"]
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


def ensure_staff() -> list[User]:
    """Twenty generated teams, each with one worker, and a manager for every five teams.

    Made only when absent, so a second run reuses them. They have no usable password."""
    workers = []
    teams = []
    for i in range(1, TEAM_COUNT + 1):
        team, _ = Team.objects.get_or_create(name=f"Generated team {i:02d}")
        teams.append(team)
        worker = User.objects.filter(username=f"gen.worker{i:02d}").first()
        if worker is None:
            worker = User(
                username=f"gen.worker{i:02d}",
                first_name="Worker",
                last_name=f"{i:02d}",
                role=Role.SOCIAL_WORKER,
                team=team,
            )
            worker.set_unusable_password()
            worker.save()
        workers.append(worker)
    for m in range(TEAM_COUNT // TEAMS_PER_MANAGER):
        manager = User.objects.filter(username=f"gen.manager{m + 1:02d}").first()
        if manager is None:
            manager = User(
                username=f"gen.manager{m + 1:02d}",
                first_name="Manager",
                last_name=f"{m + 1:02d}",
                role=Role.TEAM_MANAGER,
            )
            manager.set_unusable_password()
            manager.save()
            manager.managed_teams.set(teams[m * TEAMS_PER_MANAGER : (m + 1) * TEAMS_PER_MANAGER])
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

    def __init__(self, rng: random.Random, today: dt.date, workers: list[User]):
        self.rng = rng
        self.today = today
        self.workers = workers

    def build_children(self, first: int, count: int) -> list[tuple[Child, dict]]:
        rng, today = self.rng, self.today
        out = []
        for index in range(first, first + count):
            sex = rng.choice("MF")
            age_days = rng.randint(400, 17 * 365)
            dob = today - dt.timedelta(days=age_days)
            has_upn = age_days > 5 * 365 and rng.random() < 0.9
            child = Child(
                la_child_id=f"{PREFIX}{index:0{ID_WIDTH}d}",
                upn=make_upn(f"001{index:09d}") if has_upn else "",
                upn_unknown="" if has_upn else ("UN6" if age_days < 6 * 365 else "UN5"),
                first_name=rng.choice(FIRST_M if sex == "M" else FIRST_F),
                last_name=rng.choice(SURNAMES),
                date_of_birth=dob,
                sex=sex,
                ethnicity=rng.choice(ETHNICITIES),
                disabilities=_disabilities(rng),
            )
            closed = rng.random() < CLOSED_SHARE
            if closed:
                # Referred 5 months to 4 years ago (never before birth), closed before today.
                oldest = min(age_days - 1, 4 * 365)
                referral = today - dt.timedelta(days=rng.randint(min(150, oldest), oldest))
                closure = min(
                    referral + dt.timedelta(days=rng.randint(60, 300)), today - dt.timedelta(days=2)
                )
            else:
                oldest = min(age_days - 1, 720)
                referral = today - dt.timedelta(days=rng.randint(min(60, oldest), oldest))
                closure = None
            out.append(
                (child, {"referral": referral, "closure": closure, "worker": rng.choice(self.workers)})
            )
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

        person(rng.choice(ADULT_F), surname, Relationship.MOTHER, True, True, street)
        if rng.random() < 0.7:
            person(
                rng.choice(ADULT_M),
                rng.choice((surname, rng.choice(SURNAMES))),
                Relationship.FATHER,
                True,
                rng.random() < 0.5,
                street,
            )
        else:
            person(
                rng.choice(ADULT_M), rng.choice(SURNAMES), Relationship.PARTNER_OF_PARENT, False, True, street
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
            first = (
                rng.choice(ADULT_F + ADULT_M)
                if rel != Relationship.SIBLING
                else rng.choice(FIRST_F + FIRST_M)
            )
            person(first, surname, rel, False, rel == Relationship.SIBLING, street)
        return people


def generate_caseload(
    *,
    children: int,
    seed: int = 0,
    today: dt.date | None = None,
    batch_children: int = BATCH_CHILDREN,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Add ``children`` invented children with their episodes, family, assessment, plan,
    actions and contacts, in batches. Returns how many rows of each kind were written."""
    today = today or dt.date.today()
    with transaction.atomic():
        workers = ensure_staff()
        first = next_index()
    rng = random.Random(f"{seed}:{first}")
    batch = _Batch(rng, today, workers)
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
            counts = _write_batch(batch, first + done, count)
        for key, value in counts.items():
            totals[key] += value
        done += count
        if progress:
            progress(f"{done}/{children} children, {totals['contacts']} contacts")
    return totals


def _write_batch(batch: _Batch, first: int, count: int) -> dict[str, int]:
    rng, today = batch.rng, batch.today
    rows = batch.build_children(first, count)
    created = Child.objects.bulk_create([c for c, _ in rows], batch_size=INSERT_BATCH)

    episodes = []
    for child, info in zip(created, (i for _, i in rows), strict=True):
        closure = info["closure"]
        worker = info["worker"]
        episodes.append(
            Episode(
                child_id=child.pk,
                referral_date=info["referral"],
                referral_source=rng.choice(SOURCES),
                primary_need=rng.choice(NEEDS),
                team_id=worker.team_id,
                worker_id=worker.pk,
                status=EpisodeStatus.CLOSED if closure else EpisodeStatus.OPEN,
                closure_date=closure,
                closed_at=_at(closure, rng) if closure else None,
                reason_for_closure=rng.choice(CLOSURE_REASONS) if closure else "",
            )
        )
    Episode.objects.bulk_create(episodes, batch_size=INSERT_BATCH)

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

    assessments, plans, s47s, abuse = [], [], [], []
    for episode, fam in zip(episodes, people_rows, strict=True):
        end = episode.closure_date or today
        start = episode.referral_date + dt.timedelta(days=rng.randint(0, 5))
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
    Assessment.objects.bulk_create(assessments, batch_size=INSERT_BATCH)
    Section47.objects.bulk_create(s47s, batch_size=INSERT_BATCH)
    DomesticAbuse.objects.bulk_create(abuse, batch_size=INSERT_BATCH)
    Plan.objects.bulk_create(plans, batch_size=INSERT_BATCH)

    actions = []
    for plan, episode in zip(plans, episodes, strict=True):
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
    for episode, fam in zip(episodes, people_rows, strict=True):
        # Contacts end the day before closure (CIN rule 8565) or yesterday.
        last = (episode.closure_date or today) - dt.timedelta(days=1)
        for _ in range(rng.randint(*CONTACTS)):
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
