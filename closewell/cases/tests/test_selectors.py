"""Reads that check access: the one place a case is fetched for a user."""

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from closewell.accounts.tests.factories import DataOfficerFactory, TeamManagerFactory, UserFactory
from closewell.audit.models import Action, AuditEvent
from closewell.cases.models import Child, EpisodeStatus
from closewell.cases.selectors import (
    CONTACTS_SHOWN,
    child_case,
    child_get_for_user,
    children_search,
    episode_get_for_user,
    episodes_for_user,
    parse_date,
)
from closewell.cases.tests.factories import (
    AssessmentFactory,
    ChildFactory,
    ChildPersonFactory,
    ContactFactory,
    DomesticAbuseFactory,
    EpisodeFactory,
    LookedAfterPeriodFactory,
    PlanFactory,
    PlannedActionFactory,
    Section47Factory,
    at_ten,
)

pytestmark = pytest.mark.django_db
D = dt.date


class TestChildGetForUser:
    def test_own_team_child_is_returned_and_the_view_audited(self, worker, episode):
        child = child_get_for_user(worker, episode.child.pk)
        assert child == episode.child
        event = AuditEvent.objects.get()
        assert (event.action, event.actor, event.child_id) == (Action.VIEW, worker, child.pk)
        assert (event.object_type, event.object_id) == ("cases.Child", str(child.pk))

    def test_without_audit(self, worker, episode):
        child_get_for_user(worker, episode.child.pk, audit=False)
        assert not AuditEvent.objects.exists()

    def test_other_teams_child_and_a_missing_child_404_alike(self, other_team, episode):
        stranger = UserFactory(team=other_team)
        missing = Child.objects.order_by("-pk").first().pk + 1000
        with pytest.raises(Http404) as not_yours:
            child_get_for_user(stranger, episode.child.pk)
        with pytest.raises(Http404) as no_such:
            child_get_for_user(stranger, missing)
        assert str(not_yours.value) == str(no_such.value)
        assert not AuditEvent.objects.exists()

    def test_administrator_is_refused(self, episode):
        with pytest.raises(Http404):
            child_get_for_user(UserFactory(administrator=True), episode.child.pk)
        assert not AuditEvent.objects.exists()

    def test_data_officer_reads_any_child_and_is_audited(self, episode):
        officer = DataOfficerFactory()
        assert child_get_for_user(officer, episode.child.pk) == episode.child
        assert AuditEvent.objects.get().actor == officer


class TestEpisodeGetForUser:
    def test_own_and_others(self, worker, other_team, episode):
        assert episode_get_for_user(worker, episode.pk) == episode
        with pytest.raises(Http404):
            episode_get_for_user(UserFactory(team=other_team), episode.pk)
        with pytest.raises(Http404):
            episode_get_for_user(worker, episode.pk + 1000)


@pytest.fixture
def search_world(team, other_team, worker):
    def child(first, last, team_, **kw):
        return EpisodeFactory(team=team_, child=ChildFactory(first_name=first, last_name=last, **kw)).child

    return {
        "amelia": child(
            "Amelia",
            "Hartley-Stone",
            team,
            date_of_birth=D(2019, 3, 14),
            la_child_id="NMB001234",
            preferred_name="Millie",
        ),
        "amos": child("Amos", "Hartley", team, date_of_birth=D(2017, 7, 2)),
        "oliver": child("Oliver", "Pennington", team, date_of_birth=D(2019, 3, 15)),
        # Another team's child, the same name and date of birth as Amelia: never shown to `worker`.
        "twin": child(
            "Amelia", "Hartley-Stone", other_team, date_of_birth=D(2019, 3, 14), la_child_id="SVL009876"
        ),
    }


class TestChildrenSearch:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("amelia", ["amelia"]),
            ("Hartley", ["amos", "amelia"]),
            ("hart", ["amos", "amelia"]),
            ("amelia hartley", ["amelia"]),
            ("Hartley Amelia", ["amelia"]),
            ("  am   hart ", ["amos", "amelia"]),
            ("millie hart", ["amelia"]),
            ("amelia pennington", []),
            ("oliver", ["oliver"]),
            ("zebedee", []),
        ],
    )
    def test_by_name(self, worker, search_world, query, expected):
        found = list(children_search(worker, query))
        assert found == [search_world[key] for key in expected]

    @pytest.mark.parametrize(
        "query",
        [
            "14/03/2019",
            "14/3/2019",
            "14-03-2019",
            "14-3-2019",
            "14.03.2019",
            "2019-03-14",
            "14 March 2019",
            "14 Mar 2019",
            "14 march 2019",
        ],
    )
    def test_by_date_of_birth(self, worker, search_world, query):
        assert list(children_search(worker, query)) == [search_world["amelia"]]

    @pytest.mark.parametrize("query", ["NMB001234", "nmb001234", " NMB001234 "])
    def test_by_la_child_id(self, worker, search_world, query):
        assert list(children_search(worker, query)) == [search_world["amelia"]]

    def test_another_teams_child_is_never_found(self, worker, search_world):
        for query in ("SVL009876", "Amelia", "14/03/2019", "Hartley-Stone"):
            assert search_world["twin"] not in children_search(worker, query)

    def test_the_other_team_finds_only_theirs(self, other_team, search_world):
        found = list(children_search(UserFactory(team=other_team), "amelia"))
        assert found == [search_world["twin"]]

    def test_data_officer_finds_both(self, search_world):
        assert len(children_search(DataOfficerFactory(), "14/03/2019")) == 2

    @pytest.mark.parametrize("query", ["", "   "])
    def test_empty_query_finds_nothing(self, worker, search_world, query):
        assert not children_search(worker, query).exists()

    def test_a_child_with_two_episodes_is_found_once(self, worker, team, search_world):
        amos = search_world["amos"]
        amos.episodes.update(referral_date=D(2026, 1, 5))
        EpisodeFactory(child=amos, team=team, referral_date=D(2024, 1, 8), closed=True)
        assert list(children_search(worker, "amos")) == [amos]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14/03/2019", D(2019, 3, 14)),
        ("2019-03-14", D(2019, 3, 14)),
        ("31/02/2019", None),
        ("Amelia", None),
        ("14/03", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.fixture
def caseload(team, other_team, worker):
    colleague = UserFactory(team=team)
    mine_old = EpisodeFactory(
        team=team,
        worker=worker,
        referral_date=D(2026, 1, 5),
        child=ChildFactory(first_name="Zara", last_name="Young"),
    )
    mine_new = EpisodeFactory(
        team=team,
        worker=worker,
        referral_date=D(2026, 4, 1),
        child=ChildFactory(first_name="Alfie", last_name="Brook"),
    )
    colleagues = EpisodeFactory(
        team=team,
        worker=colleague,
        referral_date=D(2026, 2, 2),
        child=ChildFactory(first_name="Maisie", last_name="Moss", la_child_id="NMB777"),
    )
    unallocated = EpisodeFactory(
        team=team,
        worker=None,
        referral_date=D(2026, 3, 3),
        child=ChildFactory(first_name="Harvey", last_name="Lane"),
    )
    closed = EpisodeFactory(
        team=team,
        worker=worker,
        referral_date=D(2025, 1, 6),
        closed=True,
        child=ChildFactory(first_name="Ivy", last_name="Cole"),
    )
    other = EpisodeFactory(
        team=other_team,
        referral_date=D(2026, 1, 1),
        child=ChildFactory(first_name="Alfie", last_name="Brookes"),
    )
    ContactFactory(episode=mine_old, occurred_at=at_ten(D(2026, 5, 1)))
    ContactFactory(episode=mine_old, occurred_at=at_ten(D(2026, 1, 6)))
    ContactFactory(episode=mine_new, occurred_at=at_ten(D(2026, 4, 2)))
    ContactFactory(episode=colleagues, occurred_at=at_ten(D(2026, 3, 1)))
    return {
        "mine_old": mine_old,
        "mine_new": mine_new,
        "colleagues": colleagues,
        "unallocated": unallocated,
        "closed": closed,
        "other": other,
        "colleague": colleague,
    }


class TestEpisodesForUser:
    def test_worker_own_cases_are_the_open_ones_allocated_to_them(self, worker, caseload):
        assert list(episodes_for_user(worker)) == [caseload["mine_old"], caseload["mine_new"]]

    def test_worker_team_cases(self, worker, caseload):
        found = list(episodes_for_user(worker, own=False))
        assert found == [caseload[k] for k in ("mine_old", "colleagues", "unallocated", "mine_new")]

    def test_manager_own_cases_are_the_teams(self, team, caseload):
        manager = TeamManagerFactory(managed_teams=[team])
        assert set(episodes_for_user(manager)) == {
            caseload[k] for k in ("mine_old", "mine_new", "colleagues", "unallocated")
        }

    def test_another_teams_case_is_never_listed(self, worker, team, caseload):
        for kwargs in (
            {},
            {"own": False},
            {"status": EpisodeStatus.OPEN, "own": False},
            {"team_id": caseload["other"].team_id, "own": False},
            {"query": "Alfie", "own": False},
        ):
            assert caseload["other"] not in episodes_for_user(worker, **kwargs)

    def test_team_filter_for_a_manager_of_two_teams(self, team, other_team, caseload):
        manager = TeamManagerFactory(managed_teams=[team, other_team])
        assert list(episodes_for_user(manager, team_id=other_team.pk)) == [caseload["other"]]
        assert caseload["other"] not in episodes_for_user(manager, team_id=team.pk)

    def test_closed_cases_only_when_asked(self, worker, caseload):
        assert caseload["closed"] not in episodes_for_user(worker, own=False)
        closed = list(episodes_for_user(worker, status=EpisodeStatus.CLOSED))
        assert closed == [caseload["closed"]]

    def test_query_by_name_or_la_child_id(self, worker, caseload):
        assert list(episodes_for_user(worker, own=False, query="alfie")) == [caseload["mine_new"]]
        assert list(episodes_for_user(worker, own=False, query="nmb777")) == [caseload["colleagues"]]

    @pytest.mark.parametrize(
        ("order", "expected"),
        [
            ("referral_date", ["mine_old", "colleagues", "unallocated", "mine_new"]),
            ("-referral_date", ["mine_new", "unallocated", "colleagues", "mine_old"]),
            ("name", ["mine_new", "unallocated", "colleagues", "mine_old"]),
            ("-name", ["mine_old", "colleagues", "unallocated", "mine_new"]),
            # Longest without a contact first: never contacted comes before any contact.
            ("last_contact", ["unallocated", "colleagues", "mine_new", "mine_old"]),
            ("-last_contact", ["mine_old", "mine_new", "colleagues", "unallocated"]),
            ("child__date_of_birth; DROP TABLE", ["mine_old", "colleagues", "unallocated", "mine_new"]),
        ],
    )
    def test_sorting(self, worker, caseload, order, expected):
        found = list(episodes_for_user(worker, own=False, order=order))
        assert found == [caseload[k] for k in expected]

    def test_last_contact(self, worker, caseload):
        rows = {e.pk: e for e in episodes_for_user(worker, own=False)}
        assert rows[caseload["mine_old"].pk].last_contact == at_ten(D(2026, 5, 1))
        assert rows[caseload["unallocated"].pk].last_contact is None

    def test_a_list_counts_no_contacts_it_does_not_show(self, worker, caseload):
        sql = str(episodes_for_user(worker, own=False).query).upper()
        assert "COUNT(" not in sql

    def test_one_query(self, worker, caseload, django_assert_num_queries):
        manager = TeamManagerFactory(managed_teams=[caseload["other"].team])
        with django_assert_num_queries(2):  # the manager's teams, then the list itself
            rows = list(episodes_for_user(manager, own=False))
            assert [(e.child.full_name, e.team.name, e.worker) for e in rows]


def build_case(contacts: int) -> Child:
    """A case with every kind of record, and `contacts` contacts each seeing two family members."""
    episode = EpisodeFactory()
    child = episode.child
    EpisodeFactory(child=child, team=episode.team, referral_date=D(2024, 1, 8), closed=True)
    mother = ChildPersonFactory(child=child).person
    father = ChildPersonFactory(child=child, relationship="father").person
    AssessmentFactory(episode=episode, factors=["3B"])
    Section47Factory(episode=episode)
    plan = PlanFactory(episode=episode, cp=True)
    PlannedActionFactory.create_batch(3, episode=episode, plan=plan)
    PlannedActionFactory(episode=episode, unplanned=True)
    DomesticAbuseFactory(episode=episode, perpetrator=father, victim=mother)
    LookedAfterPeriodFactory(child=child)
    for n in range(contacts):
        contact = ContactFactory(
            episode=episode,
            occurred_at=at_ten(episode.referral_date + dt.timedelta(days=n)),
            worker=UserFactory(team=episode.team),
        )
        contact.people_seen.set([mother, father])
    return child


def read_everything(case: dict) -> list:
    """Touch everything a case page shows, as a template would."""
    seen = [case["child"].full_name, case["current"]]
    for episode in case["episodes"]:
        seen += [episode.team.name, episode.worker, episode.previous_episode]
        seen += [a.factors for a in episode.assessments_shown]
        seen += [s.is_completed for s in episode.section47s_shown]
        for plan in episode.plans_shown:
            seen += [a.description for a in plan.planned_actions]
        seen += [a.impact for a in episode.unplanned]
        for contact in episode.latest_contacts:
            seen += [str(contact.worker), [p.full_name for p in contact.people_shown]]
            seen += [contact.occurred_at, contact.get_kind_display(), contact.get_work_display()]
            seen += [contact.note, contact.child_seen, contact.child_seen_alone, contact.episode_id]
        seen.append(episode.contact_count)
        for d in episode.domestic_abuse_shown:
            seen += [d.perpetrator.full_name, d.victim.full_name, d.get_custody_status_display()]
            seen += [d.expected_release_date, d.work_with_perpetrator]
    seen += [link.person.full_name for link in case["family"]]
    seen += case["looked_after_periods"]
    return seen


def test_child_case_queries_do_not_grow_with_the_case():
    small, large = build_case(5), build_case(50)
    counts = []
    for child in (small, large):
        child = Child.objects.get(pk=child.pk)
        with CaptureQueriesContext(connection) as queries:
            case = child_case(child)
            read_everything(case)
        counts.append(len(queries))
        assert sum(e.contact_count for e in case["episodes"]) in (5, 50)
        assert all(len(e.latest_contacts) <= CONTACTS_SHOWN for e in case["episodes"])
    assert counts[0] == counts[1], counts


def test_child_case_reads_no_column_the_page_does_not_show_of_contacts_and_people():
    """The contacts' workers are read without their password hash or sign-in times, and the people
    seen or in domestic abuse without their addresses, phones and emails: the page shows names. Reading
    everything the page shows then costs no query more."""
    child = Child.objects.get(pk=build_case(5).pk)
    with CaptureQueriesContext(connection) as reads:
        case = child_case(child)
    starts = ('SELECT "cases_contact".', 'SELECT "cases_contact_people_seen".')
    starts += ('SELECT "cases_domesticabuse".',)
    shown = [q["sql"] for q in reads.captured_queries if q["sql"].startswith(starts)]
    assert len(shown) == 3
    sql = "\n".join(shown)
    for column in ('"password"', '"last_login"', '"phone"', '"email"', '"sensitivity_reason"'):
        assert column not in sql, column
    with CaptureQueriesContext(connection) as more:
        read_everything(case)
    assert len(more) == 0, [query["sql"] for query in more.captured_queries]


def test_child_case_content(django_assert_max_num_queries):
    child = build_case(5)
    with django_assert_max_num_queries(14):
        case = child_case(Child.objects.get(pk=child.pk))
    assert case["current"] is not None and not case["current"].is_closed
    assert len(case["episodes"]) == 2
    assert len(case["family"]) == 2
    contacts = case["current"].latest_contacts
    assert [c.occurred_at for c in contacts] == sorted((c.occurred_at for c in contacts), reverse=True)
    assert case["current"].contact_count == case["current"].contacts.count()
    assert len(case["current"].unplanned) == 1


def test_the_case_page_shows_the_latest_contacts_and_pages_the_rest(client, django_assert_max_num_queries):
    child = build_case(50)
    episode = Child.objects.get(pk=child.pk).episodes.get(status="open")
    total = episode.contacts.count()
    assert total > CONTACTS_SHOWN
    client.force_login(episode.worker)
    html = client.get(f"/children/{child.pk}/").content.decode()
    assert html.count('class="govuk-!-margin-bottom-6"') <= 2 * CONTACTS_SHOWN
    url = f"/children/{child.pk}/episodes/{episode.pk}/contacts/"
    assert f"See all {total} contacts" in html and f'href="{url}"' in html
    first = client.get(url)
    assert first.status_code == 200 and f"{total} contacts, newest first: 1 to 25" in first.content.decode()
    second = client.get(url + "?page=2").content.decode()
    assert "26 to" in second
    newest = episode.contacts.order_by("-occurred_at", "-pk").first()
    assert newest.note in first.content.decode()


def test_the_contacts_page_is_the_case_s_own_and_audited(client, worker, other_team):
    child = build_case(5)
    episode = child.episodes.get(status="open")
    outsider = UserFactory(team=other_team)
    client.force_login(outsider)
    assert client.get(f"/children/{child.pk}/episodes/{episode.pk}/contacts/").status_code == 404
    other_child = build_case(5)
    client.force_login(episode.worker)
    assert client.get(f"/children/{other_child.pk}/episodes/{episode.pk}/contacts/").status_code == 404
    before = AuditEvent.objects.filter(child_id=child.pk).count()
    assert client.get(f"/children/{child.pk}/episodes/{episode.pk}/contacts/").status_code == 200
    assert AuditEvent.objects.filter(child_id=child.pk).count() == before + 1


def test_the_latest_contacts_are_the_newest_whatever_the_ties():
    """Each episode shows its CONTACTS_SHOWN newest contacts, newest first (the later recorded first at
    the same moment), even when several share the moment at the edge of what is shown; and another
    episode's contacts stay with it."""
    episode = EpisodeFactory()
    closed = EpisodeFactory(child=episode.child, team=episode.team, referral_date=D(2024, 1, 8), closed=True)
    same = at_ten(episode.referral_date + dt.timedelta(days=3))
    tied = [ContactFactory(episode=episode, occurred_at=same) for _ in range(4)]
    older = [
        ContactFactory(episode=episode, occurred_at=at_ten(episode.referral_date + dt.timedelta(days=2)))
        for _ in range(3)
    ]
    newer = [
        ContactFactory(episode=episode, occurred_at=at_ten(episode.referral_date + dt.timedelta(days=4 + n)))
        for n in range(CONTACTS_SHOWN - 2)
    ]
    past = [ContactFactory(episode=closed, occurred_at=at_ten(D(2024, 1, 9)))]
    case = child_case(Child.objects.get(pk=episode.child_id))
    current = case["current"]
    expected = [*reversed(newer), *sorted(tied, key=lambda c: -c.pk)][:CONTACTS_SHOWN]
    assert [c.pk for c in current.latest_contacts] == [c.pk for c in expected]
    assert current.contact_count == len(tied) + len(older) + len(newer)
    (other,) = [e for e in case["episodes"] if e.pk == closed.pk]
    assert [c.pk for c in other.latest_contacts] == [c.pk for c in past] and other.contact_count == 1
