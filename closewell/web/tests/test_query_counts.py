"""Pages do only what they show: a page's SQL queries do not grow with the size of a case (2 contacts
against 40, with family, actions and plans to match) or of a list (3 cases against 30), and no page
reads the same rows twice. Behaviour, not timings: the timings are make bench's (bench/pages.py)."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from closewell.accounts.models import Role, Team, User
from closewell.cases.models import (
    Assessment,
    Child,
    ChildPerson,
    Contact,
    DomesticAbuse,
    Episode,
    LookedAfterPeriod,
    Person,
    Place,
    Plan,
    PlannedAction,
)
from closewell.closures import services
from closewell.closures.contributors import contribution_note

TODAY = dt.date.today()
SURNAME = "Quennell"


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


class Council:
    """One team: a worker, a manager over it, a data officer; cases added to order."""

    def __init__(self):
        self.team = Team.objects.create(name="East")
        self.worker = User.objects.create_user(
            "w", role=Role.SOCIAL_WORKER, team=self.team, first_name="Wendy", last_name="Ash"
        )
        self.manager = User.objects.create_user(
            "m", role=Role.TEAM_MANAGER, first_name="Mo", last_name="Birch"
        )
        self.manager.managed_teams.add(self.team, Team.objects.create(name="East 2"))
        self.data = User.objects.create_user("d", role=Role.DATA_OFFICER)
        self.made = 0

    def case(self, contacts: int = 2) -> Episode:
        """An open case of the team with `contacts` contacts, and family, actions and plans growing
        with it: one family member, one planned action and one unplanned service for every 4 contacts;
        and a place and a period looked after (the case page reads only some of their columns)."""
        self.made += 1
        n = self.made
        child = Child.objects.create(
            la_child_id=f"Q{n:05d}",
            upn_unknown="UN5",
            first_name=f"Child{n}",
            last_name=SURNAME,
            date_of_birth=days_ago(9 * 365 + n),
            sex="F",
            disabilities=["NONE"],
        )
        episode = Episode.objects.create(
            child=child,
            referral_date=days_ago(200),
            referral_source="6",
            primary_need="N1",
            team=self.team,
            worker=self.worker,
        )
        Episode.objects.create(
            child=child,
            referral_date=days_ago(900),
            referral_source="6",
            team=self.team,
            worker=self.worker,
            status="closed",
            closure_date=days_ago(800),
            closed_at=timezone.make_aware(dt.datetime.combine(days_ago(800), dt.time(10))),
            reason_for_closure="RC7",
        )
        Place.objects.create(child=child, kind="school", name="Northmoor Primary", address="1 School Lane")
        LookedAfterPeriod.objects.create(
            child=child, start_date=days_ago(700), end_date=days_ago(600), legal_status="C2"
        )
        family = []
        for i in range(1 + contacts // 4):
            person = Person.objects.create(first_name=f"Parent{i}", last_name=SURNAME)
            relationship = "mother" if i == 0 else "other"
            ChildPerson.objects.create(child=child, person=person, relationship=relationship)
            family.append(person)
        if len(family) > 1:
            DomesticAbuse.objects.create(
                episode=episode, perpetrator=family[1], victim=family[0], custody_status="in_community"
            )
        Assessment.objects.create(
            episode=episode, start_date=days_ago(195), authorisation_date=days_ago(170), factors=["3A"]
        )
        plan = Plan.objects.create(episode=episode, kind="cin", start_date=days_ago(160))
        for i in range(1 + contacts // 4):
            PlannedAction.objects.create(
                episode=episode,
                plan=plan,
                dimension="health",
                description=f"Action {i}",
                responsible="service",
                start_date=days_ago(150),
            )
            PlannedAction.objects.create(
                episode=episode,
                is_unplanned=True,
                dimension="housing",
                description=f"Service {i}",
                responsible="service",
            )
        for i in range(contacts):
            contact = Contact.objects.create(
                episode=episode,
                occurred_at=timezone.make_aware(dt.datetime.combine(days_ago(150 - i), dt.time(10))),
                kind="home_visit",
                child_seen=True,
                note=f"Visit {i}",
                worker=self.worker,
            )
            contact.people_seen.set(family)
        return episode

    def record(self, episode: Episode, *, submit: bool = False):
        record = services.closure_start(
            actor=self.worker, episode=episode, decision_date=days_ago(10), decision_by="Wendy with Mo"
        )
        if submit:
            # Submitted as the service would after its checks (closures/tests cover the checks); what
            # is measured here is the reading of a submitted record, whatever the sections hold.
            contribution_note(record=record, user=self.worker, kind="submitted")
            record = services.transition(
                actor=self.worker,
                record=record,
                to="submitted",
                summary="Submitted",
                submitted_at=timezone.now(),
            )
        return record


def page_queries(client, url: str) -> list[str]:
    """The SQL of one GET of a page (after a first GET, which creates what any first request does)."""
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


def repeated(queries: list[str]) -> list[str]:
    """Statements run more than once on one page: the same rows read again."""
    return [sql for sql, n in Counter(queries).items() if n > 1]


@pytest.fixture
def council(db):
    return Council()


def signed_in(client, user):
    client.force_login(user)
    return client


def grow_list(council: Council, cases: int) -> None:
    """The team has `cases` open cases, each with a Closure Record: every other one submitted (the
    manager's queue), the rest drafts (the worker's)."""
    while council.made < cases:
        council.record(council.case(2), submit=council.made % 2 == 1)


LISTS = {
    "my cases": ("worker", lambda c: "/cases/"),
    "team cases": ("manager", lambda c: "/team/"),
    "team cases, sorted by last contact": ("manager", lambda c: "/team/?order=-last_contact"),
    "search": ("data", lambda c: f"/search/?q={SURNAME}"),
    "search, first and last name": ("data", lambda c: f"/search/?q=Child1+{SURNAME}"),
    "manager's Closure Records queue": ("manager", lambda c: "/closures/"),
    "worker's Closure Records queue": ("worker", lambda c: "/closures/"),
    "reports": ("manager", lambda c: "/reports/"),
}


@pytest.mark.parametrize("page", LISTS)
def test_a_list_reads_the_same_whatever_its_length(page, council, client):
    who, url = LISTS[page]
    signed_in(client, getattr(council, who))
    grow_list(council, 3)
    three = page_queries(client, url(council))
    grow_list(council, 30)
    thirty = page_queries(client, url(council))
    assert len(thirty) == len(three), (len(three), len(thirty))
    assert repeated(thirty) == []


CASE_PAGES = {
    "case page": ("worker", lambda e, r: f"/children/{e.child_id}/", False),
    "case page, manager": ("manager", lambda e, r: f"/children/{e.child_id}/", False),
    "contacts page": ("worker", lambda e, r: f"/children/{e.child_id}/episodes/{e.pk}/contacts/", False),
    "Closure Record task list": ("worker", lambda e, r: f"/closures/{r.pk}/", False),
    "Closure Record page": ("manager", lambda e, r: f"/closures/{r.pk}/", True),
    "review page": ("manager", lambda e, r: f"/closures/{r.pk}/review/", True),
    "check answers": ("worker", lambda e, r: f"/closures/{r.pk}/check/", False),
}


@pytest.mark.parametrize("page", CASE_PAGES)
def test_a_case_page_reads_the_same_whatever_the_size_of_the_case(page, council, client):
    who, url, submitted = CASE_PAGES[page]
    signed_in(client, getattr(council, who))
    counts = []
    for contacts in (2, 40):
        episode = council.case(contacts)
        record = council.record(episode, submit=submitted)
        queries = page_queries(client, url(episode, record))
        assert repeated(queries) == []
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


LIST_ROWS = {
    "my cases": ("worker", "/cases/", "cases_episode", "30 cases"),
    "team cases": ("manager", "/team/", "cases_episode", "30 cases"),
    "search": ("data", f"/search/?q={SURNAME}", "cases_child", "30 children found"),
    # Child1 and Child10 to Child19
    "search, first and last name": (
        "data",
        f"/search/?q=Child1+{SURNAME}",
        "cases_child",
        "11 children found",
    ),
}


@pytest.mark.parametrize("page", LIST_ROWS)
def test_a_list_reads_its_page_and_how_many_in_one_statement(page, council, client):
    """Not a COUNT over the whole list and then the page: one round trip, and a search reads its
    matches once (closewell.web.pagination.OneQueryPaginator). On SQLite, in this process, there is
    no round trip to save, and its COUNT reads the indexes alone: both statements there."""
    who, url, table, count = LIST_ROWS[page]
    signed_in(client, getattr(council, who))
    grow_list(council, 30)  # two pages of 25
    queries = page_queries(client, url)
    one = 2 if connection.vendor == "sqlite" else 1
    reading = [sql for sql in queries if table_of(sql) == table]
    assert len(reading) == one, reading
    assert count in client.get(url).content.decode()


def test_a_managers_teams_are_read_once_a_page(council, client):
    """The team filter's choices and the scope of the list are the same teams, read once."""
    signed_in(client, council.manager)
    grow_list(council, 3)
    queries = page_queries(client, "/team/")
    assert len([sql for sql in queries if "accounts_user_managed_teams" in sql]) == 1


def test_the_queue_does_not_count_again_the_records_it_lists(council, client):
    """The manager's queue lists every record to authorise: the navigation's number is its length,
    not a COUNT of its own; on other pages the navigation counts them."""
    signed_in(client, council.manager)
    grow_list(council, 6)  # three submitted
    queries = page_queries(client, "/closures/")
    assert [sql for sql in queries if sql.startswith("SELECT COUNT(*)")] == []
    for url in ("/closures/", "/team/"):
        text = client.get(url).content.decode()
        assert 'To authorise <strong class="govuk-tag govuk-tag--blue">3<' in text, url


# The rows of a case and of a record's own parts: a page reads each of these tables once, whatever
# helpers (the rules, the content, the signatures task, the advice) ask for them.
CASE_TABLES = re.compile(r"^(cases_|documents_|familyhelp_|closures_returncomment|closures_parentview)")
FROM_TABLE = re.compile(r'\bFROM "(\w+)"')
PARENTHESES = re.compile(r"\([^()]*\)")


def table_of(sql: str) -> str:
    """The table a statement reads from: its own FROM, not a subquery's."""
    while True:
        shorter = PARENTHESES.sub("", sql)
        if shorter == sql:
            break
        sql = shorter
    found = FROM_TABLE.search(sql)
    return found.group(1) if found else ""


def tables_read_twice(queries: list[str]) -> dict[str, int]:
    """The case's tables that more than one SELECT on the page reads from."""
    read = Counter(table_of(sql) for sql in queries if sql.startswith("SELECT"))
    return {table: n for table, n in read.items() if n > 1 and CASE_TABLES.match(table)}


# The contacts page counts its contacts for its pages, then reads one page of them.
READ_ONCE = [page for page in CASE_PAGES if page != "contacts page"]


@pytest.mark.parametrize("page", READ_ONCE)
def test_a_case_page_reads_each_of_the_cases_tables_once(page, council, client):
    who, url, submitted = CASE_PAGES[page]
    signed_in(client, getattr(council, who))
    episode = council.case(12)
    record = council.record(episode, submit=submitted)
    assert tables_read_twice(page_queries(client, url(episode, record))) == {}


def test_the_case_page_reads_only_the_latest_contacts(council, client):
    """Of a case with 40 contacts the page reads the 10 it shows (an index range), not all 40 to
    number them; and it says how many there are."""
    signed_in(client, council.worker)
    episode = council.case(40)
    queries = page_queries(client, f"/children/{episode.child_id}/")
    contacts = [sql for sql in queries if table_of(sql) == "cases_contact"]
    assert len(contacts) == 1 and "ROW_NUMBER" not in contacts[0].upper()
    assert 'occurred_at" >=' in contacts[0]
    html = client.get(f"/children/{episode.child_id}/").content.decode()
    assert "The latest 10 of 40 contacts." in html
    assert html.count("Visit ") == 10 and "Visit 39<" in html and "Visit 29<" not in html


def test_the_case_page_reads_the_child_by_its_key_without_an_order_or_a_limit(council, client):
    """One child at most answers its key: .first()'s ORDER BY and LIMIT were only cost."""
    signed_in(client, council.worker)
    episode = council.case(2)
    queries = page_queries(client, f"/children/{episode.child_id}/")
    child = [sql for sql in queries if table_of(sql) == "cases_child"]
    assert len(child) == 1 and "ORDER BY" not in child[0] and "LIMIT" not in child[0], child


def test_a_re_referral_s_case_page_reads_the_previous_team_with_the_episodes(council, client):
    """The banner of a re-referral names the team of the episode before (familyhelp/_loop_back.html):
    it comes with the child's episodes, not in a query of its own."""
    signed_in(client, council.worker)
    episode = council.case(2)
    previous = episode.child.episodes.get(status="closed")
    Episode.objects.filter(pk=previous.pk).update(closure_date=days_ago(300))
    Episode.objects.filter(pk=episode.pk).update(previous_episode=previous, is_re_referral=True)
    queries = page_queries(client, f"/children/{episode.child_id}/")
    assert "Referred again" in client.get(f"/children/{episode.child_id}/").content.decode()
    assert [table_of(sql) for sql in queries].count("accounts_team") == 0


RECORD_PAGES = ["Closure Record task list", "Closure Record page", "review page", "check answers"]


@pytest.mark.parametrize("page", RECORD_PAGES)
def test_a_record_is_read_by_its_key_without_an_order_or_a_limit(page, council, client):
    """The record and its case come in one join of nine tables; .first()'s ORDER BY and LIMIT made
    PostgreSQL's planner weigh that join's orders for longer than the query runs."""
    who, url, submitted = CASE_PAGES[page]
    signed_in(client, getattr(council, who))
    episode = council.case(2)
    record = council.record(episode, submit=submitted)
    by_key = f'"closures_closurerecord"."id" = {record.pk}'
    main = [sql for sql in page_queries(client, url(episode, record)) if "U0" in sql and by_key in sql]
    assert main and "ORDER BY" not in main[0] and "LIMIT" not in main[0], main


CASE_FORMS = {
    "add a contact": lambda e: f"/children/{e.child_id}/contacts/add/",
    "add an action": lambda e: f"/children/{e.child_id}/actions/add/",
    "add a person": lambda e: f"/children/{e.child_id}/people/add/",
    "add a place": lambda e: f"/children/{e.child_id}/places/add/",
}
# What the case page shows and a form on the case does not: its assessments, enquiries, domestic abuse,
# contacts, time looked after and places.
NOT_A_FORMS = {
    "cases_assessment",
    "cases_section47",
    "cases_domesticabuse",
    "cases_contact",
    "cases_lookedafterperiod",
    "cases_place",
}


@pytest.mark.parametrize("form", CASE_FORMS)
def test_a_form_on_a_case_reads_its_open_episode_not_the_case_page(form, council, client):
    """Adding a contact (and the other forms on a case) reads the child, its open episode and what the
    form offers (the family, as people seen; the plans, for an action): not the rest of the case page,
    however big the case."""
    signed_in(client, council.worker)
    counts = []
    for contacts in (2, 40):
        episode = council.case(contacts)
        queries = page_queries(client, CASE_FORMS[form](episode))
        assert {table_of(sql) for sql in queries if sql.startswith("SELECT")} & NOT_A_FORMS == set()
        assert repeated(queries) == []
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
