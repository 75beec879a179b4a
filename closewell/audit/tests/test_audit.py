"""The audit trail: append-only in the database, hash-chained, and checked by verify_audit."""

import io
import re
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from closewell.accounts.tests.factories import UserFactory
from closewell.audit.models import Action, AuditEvent, AuditHead
from closewell.audit.services import GENESIS, ChainBroken, event_hash, log_event, verify_chain
from closewell.cases.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(db):
    """Five events about one child, by one worker."""
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
            restore = ["ALTER TABLE audit_auditevent ENABLE TRIGGER audit_no_change"]
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_auditevent'"
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


def forge(prev_hash: str, hash_: str, summary="Forged"):
    """Insert an event by hand, bypassing log_event()."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (at, action, object_type, object_id, summary, "
            "prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [timezone.now(), "view", "cases.Child", "1", summary, prev_hash, hash_],
        )
    return AuditEvent.objects.order_by("-pk").first()


class TestChain:
    def test_each_event_links_to_the_one_before(self, chain):
        assert chain[0].prev_hash == GENESIS
        for before, after in zip(chain, chain[1:], strict=False):
            assert after.prev_hash == before.hash
        assert AuditHead.objects.get().last_hash == chain[-1].hash

    def test_hashes_match_the_stored_content(self, chain):
        for event in AuditEvent.objects.order_by("pk"):
            assert event.hash == event_hash(event)
            assert len(event.hash) == 64

    def test_record_fills_in_the_event(self, chain):
        event = AuditEvent.objects.order_by("pk").first()
        assert event.object_type == "cases.Child"
        assert event.before["on"] == timezone.now().date().isoformat()
        assert event.after["names"] == ["Ada", "Ćirić"]

    def test_anonymous_actor_is_recorded_as_none(self):
        event = log_event(actor=AnonymousUser(), action=Action.VIEW, obj=ChildFactory(), summary="x")
        assert event.actor is None

    def test_verify_chain_intact(self, chain):
        assert verify_chain() == 5

    def test_verify_chain_on_an_empty_trail(self):
        assert verify_chain() == 0

    def test_verify_chain_names_the_broken_event(self, chain):
        with append_only_lifted():
            AuditEvent.objects.filter(pk=chain[1].pk).update(summary="Nothing to see")
        with pytest.raises(ChainBroken) as broken:
            verify_chain()
        assert broken.value.event.pk == chain[1].pk

    def test_changing_any_field_changes_the_hash(self, chain):
        event = AuditEvent.objects.order_by("pk").first()
        original = event.hash
        for name, value in [
            ("summary", "Other"),
            ("action", "delete"),
            ("object_id", "999"),
            ("child_id", 12345),
            ("before", {"n": 99}),
            ("after", None),
            ("prev_hash", "f" * 64),
            ("actor_id", None),
        ]:
            copy = AuditEvent.objects.get(pk=event.pk)
            setattr(copy, name, value)
            assert event_hash(copy) != original, name


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


class TestVerifyAudit:
    def test_exits_0_when_intact(self, chain):
        code, out, err = verify()
        assert code == 0
        assert "intact: 5 events" in out and err == ""

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
        with append_only_lifted():
            AuditEvent.objects.filter(pk=chain[2].pk).delete()
        code, _, err = verify()
        assert code == 1 and names(err, chain[3])

    def test_exits_1_when_a_hash_is_recomputed_after_an_edit(self, chain):
        """Re-hashing an edited event still breaks the link from the next one."""
        event = AuditEvent.objects.get(pk=chain[2].pk)
        event.summary = "Nothing to see"
        with append_only_lifted():
            AuditEvent.objects.filter(pk=event.pk).update(summary=event.summary, hash=event_hash(event))
        code, _, err = verify()
        assert code == 1 and names(err, chain[3])

    def test_exits_1_when_the_latest_event_is_removed(self, chain):
        with append_only_lifted():
            AuditEvent.objects.filter(pk=chain[-1].pk).delete()
        code, _, err = verify()
        assert code == 1 and "broken" in err

    def test_exits_1_naming_a_forged_row_with_a_wrong_hash(self, chain):
        forged = forge(prev_hash=chain[-1].hash, hash_="0" * 63 + "1")
        code, _, err = verify()
        assert code == 1 and names(err, forged)

    def test_exits_1_naming_a_forged_row_that_does_not_link(self, chain):
        forged = AuditEvent(
            at=timezone.now(),
            action="view",
            object_type="cases.Child",
            object_id="1",
            summary="Forged",
            prev_hash=GENESIS,
        )
        forged = forge(prev_hash=GENESIS, hash_=event_hash(forged))
        code, _, err = verify()
        assert code == 1 and names(err, forged)
