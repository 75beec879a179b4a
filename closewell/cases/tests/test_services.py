"""Writes to the case register: each service's rules, its refusals, and its audit event."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from closewell.accounts.tests.factories import DataOfficerFactory, TeamManagerFactory, UserFactory
from closewell.audit.models import Action, AuditEvent
from closewell.cases.codes import ReasonForClosure
from closewell.cases.models import Child, ChildPerson, Contact, Episode, EpisodeStatus, Person
from closewell.cases.services import (
    action_create,
    action_update,
    child_create,
    contact_create,
    contact_update,
    episode_open,
    person_add,
    person_update,
)
from closewell.cases.tests.factories import (
    ChildFactory,
    ChildPersonFactory,
    ContactFactory,
    EpisodeFactory,
    PersonFactory,
    PlanFactory,
    PlannedActionFactory,
    at_ten,
)
from closewell.core.errors import DomainError

pytestmark = pytest.mark.django_db
D = dt.date


def events(action=None):
    qs = AuditEvent.objects.order_by("pk")
    return list(qs.filter(action=action) if action else qs)


class TestChildCreate:
    FIELDS = {
        "la_child_id": "NMB000042",
        "upn_unknown": "UN5",
        "first_name": "Rosie",
        "last_name": "Thornbury",
        "date_of_birth": D(2016, 9, 1),
        "sex": "F",
    }

    def test_creates_and_audits(self, worker):
        child = child_create(actor=worker, **self.FIELDS)
        assert Child.objects.get() == child
        event = AuditEvent.objects.get()
        assert (event.action, event.actor, event.child_id) == (Action.CREATE, worker, child.pk)
        assert event.after["la_child_id"] == "NMB000042"
        assert event.after["date_of_birth"] == "2016-09-01"

    @pytest.mark.parametrize(
        "change",
        [
            {"disabilities": ["FLYING"]},
            {"upn": "A123456789012"},
            {"date_of_birth": None},
            {"date_of_death": D(2016, 8, 31)},
            {"sex": "X"},
        ],
    )
    def test_invalid_child_is_refused_and_nothing_written(self, worker, change):
        with pytest.raises(ValidationError):
            child_create(actor=worker, **{**self.FIELDS, **change})
        assert not Child.objects.exists()
        assert not AuditEvent.objects.exists()

    def test_la_child_id_is_unique(self, worker):
        child_create(actor=worker, **self.FIELDS)
        with pytest.raises(ValidationError, match="LA child ID"):
            child_create(actor=worker, **{**self.FIELDS, "first_name": "Other"})


class TestEpisodeOpen:
    def open(self, actor, child, referral_date, team):
        return episode_open(
            actor=actor,
            child=child,
            referral_date=referral_date,
            referral_source="1A",
            team=team,
            worker=actor,
        )

    def closed_episode(self, team, closure_date):
        return EpisodeFactory(
            team=team,
            referral_date=closure_date - dt.timedelta(days=60),
            closure_date=closure_date,
            closed_at=at_ten(closure_date),
            status=EpisodeStatus.CLOSED,
            reason_for_closure=ReasonForClosure.RC7,
        )

    def test_first_episode(self, worker, team):
        child = ChildFactory()
        episode = self.open(worker, child, D(2026, 3, 2), team)
        assert episode.status == EpisodeStatus.OPEN
        assert episode.previous_episode is None and not episode.is_re_referral
        event = AuditEvent.objects.get()
        assert (event.action, event.child_id, event.object_id) == (Action.CREATE, child.pk, str(episode.pk))
        assert event.after["referral_date"] == "2026-03-02"

    @pytest.mark.parametrize("status", [EpisodeStatus.OPEN, EpisodeStatus.CLOSING])
    def test_refuses_a_second_open_episode(self, worker, team, episode, status):
        Episode.objects.filter(pk=episode.pk).update(status=status)
        with pytest.raises(DomainError, match="already has an open episode"):
            self.open(worker, episode.child, D(2026, 6, 1), team)
        assert episode.child.episodes.count() == 1
        assert not AuditEvent.objects.exists()

    @pytest.mark.parametrize(
        ("referral_date", "re_referral"),
        [(D(2025, 6, 10), True), (D(2026, 6, 9), True), (D(2026, 6, 10), False), (D(2027, 1, 4), False)],
    )
    def test_re_referral_within_12_months_of_the_last_closure(self, worker, team, referral_date, re_referral):
        previous = self.closed_episode(team, D(2025, 6, 10))
        episode = self.open(worker, previous.child, referral_date, team)
        assert episode.previous_episode == previous
        assert episode.is_re_referral is re_referral

    def test_re_referral_after_a_29_february_closure(self, worker, team):
        previous = self.closed_episode(team, D(2028, 2, 29))
        assert self.open(worker, previous.child, D(2029, 2, 28), team).is_re_referral

    def test_linked_to_the_latest_closure(self, worker, team):
        older = self.closed_episode(team, D(2023, 5, 1))
        latest = EpisodeFactory(
            child=older.child,
            team=team,
            referral_date=D(2024, 1, 8),
            closure_date=D(2025, 2, 3),
            closed_at=at_ten(D(2025, 2, 3)),
            status=EpisodeStatus.CLOSED,
            reason_for_closure="RC8",
        )
        episode = self.open(worker, older.child, D(2025, 9, 1), team)
        assert episode.previous_episode == latest and episode.is_re_referral

    def test_refuses_a_referral_before_the_last_closure(self, worker, team):
        previous = self.closed_episode(team, D(2025, 6, 10))
        with pytest.raises(DomainError) as refused:
            self.open(worker, previous.child, D(2025, 6, 9), team)
        assert refused.value.field == "referral_date"
        assert previous.child.episodes.count() == 1

    def test_referral_on_the_day_of_the_last_closure(self, worker, team):
        previous = self.closed_episode(team, D(2025, 6, 10))
        assert self.open(worker, previous.child, D(2025, 6, 10), team).is_re_referral


@pytest.fixture
def family(episode):
    mother = ChildPersonFactory(child=episode.child).person
    father = ChildPersonFactory(child=episode.child, relationship="father").person
    return mother, father


def contact_fields(episode, **extra):
    return {
        "occurred_at": at_ten(episode.referral_date + dt.timedelta(days=7)),
        "kind": "home_visit",
        "child_seen": True,
        "note": "Saw the child at home.",
        **extra,
    }


class TestContactCreate:
    def test_records_the_contact_and_audits(self, worker, episode, family):
        contact = contact_create(actor=worker, episode=episode, people_seen=family, **contact_fields(episode))
        assert contact.worker == worker
        assert set(contact.people_seen.all()) == set(family)
        event = AuditEvent.objects.get()
        assert (event.action, event.actor, event.child_id) == (Action.CREATE, worker, episode.child_id)
        assert event.object_type == "cases.Contact"
        assert sorted(event.after["people_seen"]) == sorted(p.pk for p in family)

    def test_manager_of_the_team_may_record(self, team, episode):
        manager = TeamManagerFactory(managed_teams=[team])
        assert contact_create(actor=manager, episode=episode, **contact_fields(episode)).pk

    def test_refused_on_a_closed_episode_rule_8565(self, worker, team):
        closed = EpisodeFactory(team=team, worker=worker, closed=True)
        with pytest.raises(DomainError, match="closed"):
            contact_create(actor=worker, episode=closed, **contact_fields(closed))
        assert not Contact.objects.exists() and not AuditEvent.objects.exists()

    @pytest.mark.parametrize(
        "who",
        ["other team's worker", "other team's manager", "data officer", "administrator", "inactive worker"],
    )
    def test_refused_for_anyone_who_may_not_edit(self, other_team, team, episode, who):
        actor = {
            "other team's worker": lambda: UserFactory(team=other_team),
            "other team's manager": lambda: TeamManagerFactory(managed_teams=[other_team]),
            "data officer": DataOfficerFactory,
            "administrator": lambda: UserFactory(administrator=True),
            "inactive worker": lambda: UserFactory(team=team, inactive=True),
        }[who]()
        with pytest.raises(PermissionDenied):
            contact_create(actor=actor, episode=episode, **contact_fields(episode))
        assert not Contact.objects.exists() and not AuditEvent.objects.exists()

    def test_refused_before_the_referral_date(self, worker, episode):
        fields = contact_fields(episode, occurred_at=at_ten(episode.referral_date - dt.timedelta(days=1)))
        with pytest.raises(DomainError) as refused:
            contact_create(actor=worker, episode=episode, **fields)
        assert refused.value.field == "occurred_at"
        assert not Contact.objects.exists()

    def test_allowed_just_after_midnight_on_the_referral_date(self, worker, episode):
        """00:30 in summer in London is the day before in UTC: the local date counts."""
        episode.referral_date = D(2026, 6, 1)
        episode.save()
        early = timezone.make_aware(dt.datetime(2026, 6, 1, 0, 30))
        contact = contact_create(actor=worker, episode=episode, **contact_fields(episode, occurred_at=early))
        contact = Contact.objects.get(pk=contact.pk)
        contact_update(actor=worker, contact=contact, version=contact.version, note="Amended.")
        assert Contact.objects.get().note == "Amended."

    def test_refuses_people_not_linked_to_the_child(self, worker, episode, family):
        stranger = PersonFactory()
        other_childs_parent = ChildPersonFactory().person
        for person in (stranger, other_childs_parent):
            with pytest.raises(DomainError) as refused:
                contact_create(
                    actor=worker, episode=episode, people_seen=[family[0], person], **contact_fields(episode)
                )
            assert refused.value.field == "people_seen"
        assert not Contact.objects.exists() and not AuditEvent.objects.exists()

    def test_seen_alone_needs_seen(self, worker, episode):
        with pytest.raises(ValidationError, match="seen alone"):
            contact_create(
                actor=worker,
                episode=episode,
                **contact_fields(episode, child_seen=False, child_seen_alone=True),
            )
        assert not Contact.objects.exists()


class TestVersionedUpdates:
    """A save from a stale form is refused; of two saves from the same version, one wins."""

    def test_contact_update_changes_and_audits_before_and_after(self, worker, episode, family):
        contact = ContactFactory(episode=episode, note="First note.")
        contact_update(actor=worker, contact=contact, version=1, note="Second note.", people_seen=[family[0]])
        contact.refresh_from_db()
        assert (contact.note, contact.version) == ("Second note.", 2)
        assert list(contact.people_seen.all()) == [family[0]]
        event = AuditEvent.objects.get()
        assert (event.action, event.actor, event.child_id) == (Action.UPDATE, worker, episode.child_id)
        assert event.before["note"] == "First note." and event.before["people_seen"] == []
        assert event.after["note"] == "Second note." and event.after["people_seen"] == [family[0].pk]
        assert (event.before["version"], event.after["version"]) == (1, 2)

    def test_stale_contact_update_is_refused_and_changes_nothing(self, worker, episode):
        contact = ContactFactory(episode=episode, note="First note.")
        Contact.objects.filter(pk=contact.pk).update(version=2)
        with pytest.raises(DomainError) as refused:
            contact_update(actor=worker, contact=contact, version=1, note="Overwrite.")
        assert refused.value.field == "version"
        contact.refresh_from_db()
        assert (contact.note, contact.version) == ("First note.", 2)
        assert not AuditEvent.objects.exists()

    def test_two_contact_saves_from_the_same_version_one_wins(self, worker, episode):
        ContactFactory(episode=episode, note="First note.")
        mine, theirs = Contact.objects.get(), Contact.objects.get()
        contact_update(actor=worker, contact=mine, version=1, note="Mine.")
        with pytest.raises(DomainError):
            contact_update(actor=worker, contact=theirs, version=1, note="Theirs.")
        assert (Contact.objects.get().note, Contact.objects.get().version) == ("Mine.", 2)
        assert len(events(Action.UPDATE)) == 1

    def test_contact_update_refused_on_a_closed_episode(self, worker, episode):
        contact = ContactFactory(episode=episode)
        Episode.objects.filter(pk=episode.pk).update(
            status=EpisodeStatus.CLOSED,
            closure_date=D(2026, 6, 1),
            closed_at=at_ten(D(2026, 6, 1)),
            reason_for_closure="RC7",
        )
        contact = Contact.objects.select_related("episode").get(pk=contact.pk)
        with pytest.raises(DomainError, match="closed"):
            contact_update(actor=worker, contact=contact, version=1, note="Late.")

    def test_contact_update_refused_for_another_team(self, other_team, episode):
        contact = ContactFactory(episode=episode)
        with pytest.raises(PermissionDenied):
            contact_update(actor=UserFactory(team=other_team), contact=contact, version=1, note="x")

    def test_contact_cannot_be_moved_before_the_referral(self, worker, episode):
        contact = ContactFactory(episode=episode)
        with pytest.raises(DomainError) as refused:
            contact_update(
                actor=worker,
                contact=contact,
                version=1,
                occurred_at=at_ten(episode.referral_date - dt.timedelta(days=1)),
            )
        assert refused.value.field == "occurred_at"
        assert Contact.objects.get().version == 1

    def test_action_update_and_its_audit(self, worker, episode):
        action = PlannedActionFactory(episode=episode, actual_level="")
        action_update(
            actor=worker,
            action=action,
            version=1,
            actual_level="Weekly for 10 weeks",
            outcome="Attended every session.",
        )
        action.refresh_from_db()
        assert (action.actual_level, action.version) == ("Weekly for 10 weeks", 2)
        event = AuditEvent.objects.get()
        assert event.before["actual_level"] == "" and event.after["actual_level"] == "Weekly for 10 weeks"

    def test_action_update_stale_and_race(self, worker, episode):
        PlannedActionFactory(episode=episode, outcome="")
        first, second = episode.actions.get(), episode.actions.get()
        action_update(actor=worker, action=first, version=1, outcome="Done.")
        with pytest.raises(DomainError) as refused:
            action_update(actor=worker, action=second, version=1, outcome="Not done.")
        assert refused.value.field == "version"
        assert (episode.actions.get().outcome, episode.actions.get().version) == ("Done.", 2)

    def test_action_update_validates(self, worker, episode):
        action = PlannedActionFactory(episode=episode)
        with pytest.raises(ValidationError):
            action_update(actor=worker, action=action, version=1, plan=None, is_unplanned=False)
        action.refresh_from_db()
        assert action.plan is not None and action.version == 1

    def test_person_update_and_its_audit(self, worker, episode, family):
        mother = family[0]
        person_update(
            actor=worker,
            episode=episode,
            person=mother,
            version=1,
            phone="07700 900123",
            lives_with_child=False,
        )
        mother.refresh_from_db()
        assert (mother.phone, mother.version) == ("07700 900123", 2)
        assert not ChildPerson.objects.get(person=mother).lives_with_child
        event = AuditEvent.objects.get()
        assert (event.before["phone"], event.after["phone"]) == ("", "07700 900123")

    def test_person_update_stale_changes_nothing_not_even_the_link(self, worker, episode, family):
        mother = family[0]
        Person.objects.filter(pk=mother.pk).update(version=3)
        with pytest.raises(DomainError) as refused:
            person_update(
                actor=worker,
                episode=episode,
                person=mother,
                version=2,
                phone="07700 900123",
                lives_with_child=False,
            )
        assert refused.value.field == "version"
        mother.refresh_from_db()
        assert (mother.phone, mother.version) == ("", 3)
        assert ChildPerson.objects.get(person=mother).lives_with_child

    def test_person_update_refused_on_a_closed_episode(self, worker, team, family):
        closed = EpisodeFactory(team=team, worker=worker, closed=True)
        ChildPersonFactory(child=closed.child, person=family[0])
        with pytest.raises(DomainError):
            person_update(actor=worker, episode=closed, person=family[0], version=1, phone="1")

    def test_person_update_refused_for_a_person_not_linked_to_the_child(self, worker, episode):
        stranger = ChildPersonFactory().person
        with pytest.raises(PermissionDenied):
            person_update(actor=worker, episode=episode, person=stranger, version=1, phone="1")
        stranger.refresh_from_db()
        assert stranger.phone == "" and stranger.version == 1


class TestCreates:
    def test_action_create_audits(self, worker, episode):
        plan = PlanFactory(episode=episode)
        action = action_create(
            actor=worker,
            episode=episode,
            plan=plan,
            dimension="health",
            description="Dental check",
            responsible="parent",
        )
        event = AuditEvent.objects.get()
        assert (event.action, event.object_id, event.summary) == (
            Action.CREATE,
            str(action.pk),
            "Added a planned action",
        )

    def test_action_create_refuses_another_episodes_plan(self, worker, episode):
        with pytest.raises(ValidationError):
            action_create(
                actor=worker,
                episode=episode,
                plan=PlanFactory(),
                dimension="health",
                description="Dental check",
                responsible="parent",
            )

    def test_action_create_refused_on_closed_episode(self, worker, team):
        closed = EpisodeFactory(team=team, worker=worker, closed=True)
        with pytest.raises(DomainError):
            action_create(
                actor=worker,
                episode=closed,
                is_unplanned=True,
                dimension="health",
                description="Dental check",
                responsible="parent",
            )

    def test_person_add_links_and_audits(self, worker, episode):
        person = person_add(
            actor=worker, episode=episode, relationship="grandparent", first_name="Edna", last_name="Marlow"
        )
        link = ChildPerson.objects.get(person=person)
        assert (link.child, link.relationship) == (episode.child, "grandparent")
        event = AuditEvent.objects.get()
        assert event.after["relationship"] == "grandparent" and event.after["first_name"] == "Edna"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_from_the_same_version_exactly_one_wins():
    """Two people press Save at the same moment on separate connections."""
    contact = ContactFactory(note="First note.")
    worker = contact.worker
    barrier = threading.Barrier(2)
    outcomes = []

    def save(note):
        try:
            mine = Contact.objects.select_related("episode").get(pk=contact.pk)
            barrier.wait(timeout=10)
            contact_update(actor=worker, contact=mine, version=1, note=note)
            outcomes.append("saved")
        except DomainError as error:
            outcomes.append(error.field)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=save, args=(note,)) for note in ("Mine.", "Theirs.")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["saved", "version"]
    saved = Contact.objects.get(pk=contact.pk)
    assert saved.version == 2 and saved.note in ("Mine.", "Theirs.")
    assert AuditEvent.objects.filter(action=Action.UPDATE).count() == 1
