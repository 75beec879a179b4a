"""The audit trail: append-only in the database, appended without a shared lock, sealed into a hash chain,
and checked by verify_audit."""

import io
import re
import threading
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction
from django.test import override_settings
from django.utils import timezone

from closewell.accounts.tests.factories import UserFactory
from closewell.audit import services
from closewell.audit.models import Action, AuditEvent, AuditHead, AuditPending, AuditSeal
from closewell.audit.services import (
    GENESIS,
    ChainBroken,
    event_digest,
    log_event,
    seal_hash,
    seal_pending,
    verify_chain,
)
from closewell.cases.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def five_events():
    actor = UserFactory()
    child = ChildFactory()
    return [
        log_event(
            actor=actor,
            action=Action.UPDATE,
            obj=child,
            child_id=child.pk,
            summary=f"Change {n}",
            before={"n": n, "on": timezone.now().date()},
            after={"n": n + 1, "names": ["Ada", "Ćirić"]},
        )
        for n in range(5)
    ]


@pytest.fixture
def chain(db):
    """Five events about one child, by one worker, sealed."""
    events = five_events()
    assert seal_pending() == 5
    return events


def names(err: str, event) -> bool:
    return re.search(rf"\bevent {event.pk}\b", err, re.IGNORECASE) is not None


def verify():
    """Run the command; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


@contextmanager
def append_only_lifted():
    """Lift the append-only triggers for a moment, as someone with the owner's rights could.

    Inside the test's transaction, so they come back when it rolls back; restored anyway."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending trigger events
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_no_change")
            cursor.execute("ALTER TABLE audit_auditseal DISABLE TRIGGER audit_seal_no_change")
            restore = [
                "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_no_change",
                "ALTER TABLE audit_auditseal ENABLE TRIGGER audit_seal_no_change",
            ]
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name IN ('audit_auditevent', 'audit_auditseal')"
            )
            triggers = cursor.fetchall()
            assert triggers, "the audit table has no trigger to lift"
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            restore = [sql for _, sql in triggers]
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for sql in restore:
                cursor.execute(sql)


def forge(digest: str, summary="Forged"):
    """Insert an event by hand, bypassing log_event()."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (at, action, object_type, object_id, summary, digest) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [timezone.now(), "view", "cases.Child", "1", summary, digest],
        )
    return AuditEvent.objects.order_by("-pk").first()


def remove(event):
    """Delete an event and its seal, as someone with the owner's rights could."""
    with append_only_lifted():
        AuditSeal.objects.filter(event=event).delete()
        AuditEvent.objects.filter(pk=event.pk).delete()


class TestChain:
    def test_each_seal_links_to_the_one_before(self, chain):
        seals = list(AuditSeal.objects.order_by("seq"))
        assert [s.event_id for s in seals] == [e.pk for e in chain]
        assert [s.seq for s in seals] == [1, 2, 3, 4, 5]
        assert seals[0].prev_hash == GENESIS
        for before, after in zip(seals, seals[1:], strict=False):
            assert after.prev_hash == before.hash
            assert after.hash == seal_hash(seq=after.seq, digest=after.event.digest, prev_hash=before.hash)
        head = AuditHead.objects.get()
        assert (head.last_hash, head.last_seq) == (seals[-1].hash, 5)

    def test_digests_match_the_stored_content(self, chain):
        for event in AuditEvent.objects.order_by("pk"):
            assert event.digest == event_digest(event)
            assert len(event.digest) == 64

    def test_sealing_again_seals_only_what_is_new(self, chain):
        assert seal_pending() == 0
        log_event(actor=AnonymousUser(), action=Action.VIEW, obj=ChildFactory(), summary="x")
        assert seal_pending() == 1
        assert AuditSeal.objects.order_by("-seq").first().prev_hash == AuditSeal.objects.get(seq=5).hash

    def test_record_fills_in_the_event(self, chain):
        event = AuditEvent.objects.order_by("pk").first()
        assert event.object_type == "cases.Child"
        assert event.before["on"] == timezone.now().date().isoformat()
        assert event.after["names"] == ["Ada", "Ćirić"]

    def test_anonymous_actor_is_recorded_as_none(self):
        event = log_event(actor=AnonymousUser(), action=Action.VIEW, obj=ChildFactory(), summary="x")
        assert event.actor is None

    def test_verify_chain_intact(self, chain):
        assert verify_chain() == (5, 0)

    def test_verify_chain_counts_events_not_yet_sealed(self, chain):
        five_events()
        assert verify_chain() == (5, 5)

    def test_verify_chain_on_an_empty_trail(self):
        assert verify_chain() == (0, 0)


class TestTheSealersQueue:
    """The sealer reads the events queued for it, not every event without a seal (which read the whole
    trail, a row for every read of a case, on every seal)."""

    def test_each_event_is_queued_as_it_is_inserted_and_taken_off_when_sealed(self):
        events = five_events()
        assert set(AuditPending.objects.values_list("event_id", flat=True)) == {e.pk for e in events}
        assert seal_pending() == 5
        assert not AuditPending.objects.exists()

    def test_the_database_queues_an_event_however_it_was_inserted(self):
        forged = forge(digest="0" * 64)
        assert AuditPending.objects.filter(event=forged).exists()

    def test_the_sealer_seals_what_is_queued_and_verify_names_an_event_taken_off_the_queue(self, chain):
        kept, taken_off = five_events()[:2]
        AuditPending.objects.filter(event=taken_off).delete()
        assert seal_pending() == 4  # the queue is what it reads
        assert not AuditSeal.objects.filter(event=taken_off).exists()
        with pytest.raises(ChainBroken) as broken:
            verify_chain()
        assert broken.value.event == taken_off and "queue" in str(broken.value)
        assert AuditSeal.objects.filter(event=kept).exists()

    def test_verify_chain_names_the_broken_event(self, chain):
        with append_only_lifted():
            AuditEvent.objects.filter(pk=chain[1].pk).update(summary="Nothing to see")
        with pytest.raises(ChainBroken) as broken:
            verify_chain()
        assert broken.value.event.pk == chain[1].pk

    def test_changing_any_field_changes_the_digest(self, chain):
        event = AuditEvent.objects.order_by("pk").first()
        original = event.digest
        for name, value in [
            ("summary", "Other"),
            ("action", "delete"),
            ("object_id", "999"),
            ("child_id", 12345),
            ("before", {"n": 99}),
            ("after", None),
            ("actor_id", None),
            ("at", timezone.now()),
        ]:
            copy = AuditEvent.objects.get(pk=event.pk)
            setattr(copy, name, value)
            assert event_digest(copy) != original, name


class TestAppendOnly:
    def test_update_is_refused(self, chain):
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=chain[0].pk).update(summary="Tampered")
        assert AuditEvent.objects.get(pk=chain[0].pk).summary == "Change 0"

    def test_save_of_an_existing_event_is_refused(self, chain):
        event = AuditEvent.objects.get(pk=chain[1].pk)
        event.summary = "Tampered"
        with pytest.raises(DatabaseError), transaction.atomic():
            event.save()

    def test_delete_is_refused(self, chain):
        if connection.vendor != "postgresql":
            pytest.skip("SQLite allows DELETE (test flushes need it); verify_audit detects it")
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=chain[2].pk).delete()
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM audit_auditevent")
        assert AuditEvent.objects.count() == 5

    def test_seals_cannot_be_changed_or_removed(self, chain):
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditSeal.objects.filter(seq=2).update(hash="f" * 64)
        if connection.vendor == "postgresql":
            with pytest.raises(DatabaseError), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("DELETE FROM audit_auditseal")
        assert AuditSeal.objects.get(seq=2).hash == chain_seal(2).hash


def chain_seal(seq):
    return AuditSeal.objects.get(seq=seq)


class TestVerifyAudit:
    def test_exits_0_when_intact(self, chain):
        code, out, err = verify()
        assert code == 0
        assert "intact: 5 events" in out and err == ""

    def test_seals_what_is_pending_first(self, chain):
        five_events()
        code, out, _ = verify()
        assert code == 0 and "intact: 10 events (0 not yet sealed)" in out
        assert AuditSeal.objects.count() == 10

    def test_exits_1_naming_an_edited_event_not_yet_sealed(self, chain):
        later = five_events()
        with append_only_lifted():
            AuditEvent.objects.filter(pk=later[1].pk).update(summary="Nothing to see")
        code, _, err = verify()
        assert code == 1 and names(err, later[1])

    def test_exits_1_naming_an_edited_event(self, chain):
        with append_only_lifted():
            AuditEvent.objects.filter(pk=chain[2].pk).update(summary="Nothing to see")
        code, _, err = verify()
        assert code == 1
        assert names(err, chain[2])

    def test_names_the_first_of_two_edited_events(self, chain):
        with append_only_lifted():
            AuditEvent.objects.filter(pk__in=[chain[1].pk, chain[3].pk]).update(after={"n": 0})
        code, _, err = verify()
        assert code == 1 and names(err, chain[1])

    def test_exits_1_when_an_event_is_removed(self, chain):
        remove(chain[2])
        code, _, err = verify()
        assert code == 1 and names(err, chain[3])

    def test_exits_1_when_a_digest_is_recomputed_after_an_edit(self, chain):
        """Re-digesting an edited event still breaks its seal."""
        event = AuditEvent.objects.get(pk=chain[2].pk)
        event.summary = "Nothing to see"
        with append_only_lifted():
            AuditEvent.objects.filter(pk=event.pk).update(summary=event.summary, digest=event_digest(event))
        code, _, err = verify()
        assert code == 1 and names(err, chain[2])

    def test_exits_1_when_a_seal_is_recomputed_after_an_edit(self, chain):
        """Re-sealing an edited event breaks the link from the next seal."""
        event = AuditEvent.objects.get(pk=chain[2].pk)
        event.summary = "Nothing to see"
        event.digest = event_digest(event)
        seal = AuditSeal.objects.get(event=event)
        with append_only_lifted():
            AuditEvent.objects.filter(pk=event.pk).update(summary=event.summary, digest=event.digest)
            AuditSeal.objects.filter(pk=seal.pk).update(
                hash=seal_hash(seq=seal.seq, digest=event.digest, prev_hash=seal.prev_hash)
            )
        code, _, err = verify()
        assert code == 1 and names(err, chain[3])

    def test_exits_1_when_the_latest_event_is_removed(self, chain):
        remove(chain[-1])
        code, _, err = verify()
        assert code == 1 and "broken" in err

    def test_exits_1_naming_a_forged_row_with_a_wrong_digest(self, chain):
        forged = forge(digest="0" * 63 + "1")
        code, _, err = verify()
        assert code == 1 and names(err, forged)

    def test_exits_1_naming_an_event_slipped_into_the_sealed_chain(self, chain):
        """An event inserted between two sealed ones needs a seal in the middle: the links break."""
        forged = forge(digest="0" * 64)
        forged.digest = event_digest(forged)
        with append_only_lifted():
            AuditEvent.objects.filter(pk=forged.pk).update(digest=forged.digest)
            AuditSeal.objects.filter(seq=3).delete()
            AuditSeal.objects.create(
                seq=3,
                event=forged,
                prev_hash=chain_seal(2).hash,
                hash=seal_hash(seq=3, digest=forged.digest, prev_hash=chain_seal(2).hash),
            )
        code, _, err = verify()
        assert code == 1 and names(err, chain[3])


@pytest.mark.django_db(transaction=True)
class TestNoSharedLock:
    """Appending an event must never wait for another request, nor for the sealer."""

    def test_appending_does_not_wait_for_the_sealer(self):
        if connection.vendor != "postgresql":
            pytest.skip("SQLite has one writer at a time whatever the design")
        child = ChildFactory()
        AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
        held, done = threading.Event(), threading.Event()

        def hold_the_head():
            try:
                with transaction.atomic():
                    AuditHead.objects.select_for_update().get(pk=1)
                    held.set()
                    done.wait(10)
            finally:
                connections.close_all()

        holder = threading.Thread(target=hold_the_head)
        holder.start()
        try:
            assert held.wait(10)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '1s'")
                log_event(actor=None, action=Action.VIEW, obj=child, child_id=child.pk, summary="Read")
            assert seal_pending() == 0  # another sealer holds the head: skip, do not queue
        finally:
            done.set()
            holder.join()
        assert seal_pending() == 1
        assert verify_chain() == (1, 0)

    @override_settings(AUDIT_SEAL_SECONDS=3600)
    def test_committed_events_are_kept_until_sealed(self):
        """A process that dies after its page committed but before any seal loses nothing: the events are in
        the table, and the next seal (any process, or verify_audit) chains them."""
        services._last_seal = 10**12  # this process sealed "just now": no seal after these commits
        with transaction.atomic():
            events = five_events()
        assert AuditSeal.objects.count() == 0
        assert verify_chain() == (0, 5)
        code, out, _ = verify()
        assert code == 0 and "intact: 5 events (0 not yet sealed)" in out
        assert list(AuditSeal.objects.order_by("seq").values_list("event_id", flat=True)) == [
            e.pk for e in events
        ]

    def test_a_commit_seals_soon_after(self):
        services._last_seal = 0.0
        with transaction.atomic():
            events = five_events()
        assert AuditSeal.objects.count() == len(events)
