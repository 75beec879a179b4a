"""One known scenario for every report figure: two teams, closures in June and July 2026, Closure
Records with known timings, returns, re-referrals, copies and signatures."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from closewell.accounts.models import Role, Team, User
from closewell.cases.models import ChildPerson, Episode, EpisodeStatus, Person, Relationship
from closewell.cases.tests.factories import ChildFactory, EpisodeFactory
from closewell.closures.models import ClosureRecord, ReturnComment, Section, Status
from closewell.documents.models import Copy, RecipientKind, Signature, SignatureMethod, SignerKind

D = dt.date


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def close(team, worker, reason, day, **kwargs) -> Episode:
    return EpisodeFactory(
        team=team,
        worker=worker,
        referral_date=day - dt.timedelta(days=100),
        primary_need="N1",
        status=EpisodeStatus.CLOSED,
        closure_date=day,
        closed_at=at(day),
        reason_for_closure=reason,
        **kwargs,
    )


def record(episode, author, status, decision, submitted=None, authorised=None, by=None) -> ClosureRecord:
    extra = {}
    if status == Status.AUTHORISED:
        extra = {
            "authorised_at": at(authorised),
            "authorised_by": by,
            "snapshot": {"k": 1},
            "snapshot_sha256": "0" * 64,
        }
    return ClosureRecord.objects.create(
        episode=episode,
        author=author,
        status=status,
        decision_date=decision,
        decision_by="Worker",
        submitted_at=at(submitted) if submitted else None,
        **extra,
    )


@pytest.fixture
def scene(db):
    east = Team.objects.create(name="East")
    west = Team.objects.create(name="West")
    worker = User.objects.create_user(
        "w", role=Role.SOCIAL_WORKER, team=east, first_name="Wren", last_name="Ash"
    )
    west_worker = User.objects.create_user(
        "w2", role=Role.SOCIAL_WORKER, team=west, first_name="Iris", last_name="Elm"
    )
    manager = User.objects.create_user("m", role=Role.TEAM_MANAGER, first_name="Mo", last_name="Birch")
    manager.managed_teams.add(east)
    west_manager = User.objects.create_user("m2", role=Role.TEAM_MANAGER)
    west_manager.managed_teams.add(west)
    data = User.objects.create_user("d", role=Role.DATA_OFFICER)

    # Closures: June RC7 and RC8 in East, July RC7 in West, one long before.
    june_rc7 = close(east, worker, "RC7", D(2026, 6, 10))
    june_rc8 = close(east, worker, "RC8", D(2026, 6, 20))
    july_rc7 = close(west, west_worker, "RC7", D(2026, 7, 5))
    close(east, worker, "RC1", D(2025, 1, 1))
    # Re-referrals: June's RC7 child came back within 12 months; July's came back later than that.
    EpisodeFactory(
        child=june_rc7.child,
        team=east,
        worker=worker,
        referral_date=D(2026, 9, 1),
        previous_episode=june_rc7,
        is_re_referral=True,
    )
    EpisodeFactory(
        child=july_rc7.child,
        team=west,
        worker=west_worker,
        referral_date=D(2026, 9, 1),
        previous_episode=july_rc7,
        is_re_referral=False,
    )

    # Timeliness (working days): A 4 + 2 = 6, B 10 + 1 = 11, C 1 + 8 = 9; all decided Monday 1 June.
    a = record(june_rc7, worker, Status.AUTHORISED, D(2026, 6, 1), D(2026, 6, 5), D(2026, 6, 9), manager)
    b = record(june_rc8, worker, Status.AUTHORISED, D(2026, 6, 1), D(2026, 6, 15), D(2026, 6, 16), manager)
    c = record(
        july_rc7, west_worker, Status.AUTHORISED, D(2026, 6, 1), D(2026, 6, 2), D(2026, 6, 12), west_manager
    )
    # In progress: an East draft decided long ago (overdue) and a West record submitted today (not).
    today = timezone.localdate()
    late = EpisodeFactory(
        team=east,
        worker=worker,
        status=EpisodeStatus.CLOSING,
        child=ChildFactory(first_name="Lottie", last_name="Late", la_child_id="LATE1"),
    )
    overdue = record(late, worker, Status.DRAFT, today - dt.timedelta(days=60))
    fresh = EpisodeFactory(team=west, worker=west_worker, status=EpisodeStatus.CLOSING)
    record(fresh, west_worker, Status.SUBMITTED, today, today)

    # Returns: B returned about two sections, C about one; A never returned.
    ReturnComment.objects.create(record=b, section=Section.REASON, text="Say why now.", author=manager)
    ReturnComment.objects.create(record=b, section=Section.CHILD_VIEWS, text="Add views.", author=manager)
    ReturnComment.objects.create(record=b, section=Section.REASON, text="And progress.", author=manager)
    ReturnComment.objects.create(record=c, section=Section.REASON, text="Say why now.", author=west_manager)

    # Copies and signatures. A: child and mother signed, mother given a copy (complete).
    # B: the child signed, the mother (with parental responsibility) did not; no copy.
    # C: no one with parental responsibility; the child declined, with a reason; a copy to a professional.
    def mother(child):
        person = Person.objects.create(first_name="Mum", last_name=child.last_name)
        ChildPerson.objects.create(
            child=child, person=person, relationship=Relationship.MOTHER, has_parental_responsibility=True
        )
        return person

    def sign(rec, person=None, method=SignatureMethod.DRAWN, reason=""):
        Signature.objects.create(
            record=rec,
            signer_kind=SignerKind.PERSON if person else SignerKind.CHILD,
            person=person,
            signer_name="Someone",
            relationship="Mother",
            method=method,
            signed_on=D(2026, 6, 8),
            not_signed_reason=reason,
            witness=worker,
        )

    def copy(rec, kind, person=None):
        Copy.objects.create(
            record=rec,
            recipient_kind=kind,
            person=person,
            recipient_name="Someone",
            given_on=D(2026, 6, 10),
            method="in_person",
            given_by=worker,
            stamp="Copy",
            pdf=b"%PDF",
            sha256="0" * 64,
            size=4,
            renderer="test",
        )

    a_mum = mother(june_rc7.child)
    sign(a)
    sign(a, a_mum)
    copy(a, RecipientKind.PERSON, a_mum)
    mother(june_rc8.child)
    sign(b)
    sign(c, method=SignatureMethod.NOT_SIGNED, reason="declined")
    copy(c, RecipientKind.PROFESSIONAL)

    return SimpleNamespace(
        east=east,
        west=west,
        worker=worker,
        west_worker=west_worker,
        manager=manager,
        west_manager=west_manager,
        data=data,
        a=a,
        b=b,
        c=c,
        overdue=overdue,
        today=today,
        june_rc7=june_rc7,
        june_rc8=june_rc8,
        july_rc7=july_rc7,
    )
