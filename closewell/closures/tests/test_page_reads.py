"""What the record's pages leave unread: the work a page does not need is not done (the rules still run)."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from closewell.closures import services
from closewell.closures.models import ClosureRecord
from closewell.documents.services import signature_add
from closewell.documents.tests.conftest import SIGNATURE_PNG


def page_queries(user, url: str) -> list[str]:
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in ctx.captured_queries]


def reads_places(queries: list[str]) -> bool:
    """Whether the page built what the record says (its header lists the child's places)."""
    return any('FROM "cases_place"' in sql for sql in queries)


def test_the_task_list_builds_the_record_to_hash_it_only_when_someone_has_signed(complete_record, case):
    """The digest covers everything the record says: it is built to compare with a signature, and
    a record nobody has signed yet has none to compare."""
    url = f"/closures/{complete_record.pk}/"
    assert not reads_places(page_queries(case.worker, url))
    signature_add(
        actor=case.worker,
        record=complete_record,
        signer="child",
        method="drawn",
        signed_on=timezone.localdate(),
        image=SIGNATURE_PNG,
    )
    assert reads_places(page_queries(case.worker, url))
    record = ClosureRecord.objects.get(pk=complete_record.pk)
    services.closure_update(
        actor=case.worker,
        record=record,
        section="involvement",
        version=record.version,
        data={"reason_for_involvement": "Worries about Ruby's school attendance, said differently now."},
    )
    client = Client()
    client.force_login(case.worker)
    page = client.get(url).content.decode()
    assert "signature is out of date: the record changed after they signed" in page


def test_the_review_of_a_record_not_authorised_looks_for_no_addenda(complete_record, case):
    """An addendum is started only on an authorised record, so a submitted one has none to read."""
    record = services.closure_submit(actor=case.worker, record=complete_record)
    queries = page_queries(case.manager, f"/closures/{record.pk}/review/")
    assert not [sql for sql in queries if f'"addendum_to_id" = {record.pk}' in sql]
