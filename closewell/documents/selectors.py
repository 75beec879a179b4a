"""Reads of signatures and copies that check access (who may handle them: record_permissions)."""

from django.http import Http404

from closewell.accounts.permissions import record_permissions
from closewell.closures.models import ClosureRecord
from closewell.closures.selectors import record_get_for_user

from .models import Copy, Signature


def record_for_documents(user, pk: int, *, audit_read: bool = True) -> ClosureRecord:
    """The record when the user may take its signatures or give its copies; 404 for another team's
    record (as the record's own selector answers), 404 too for a role that does not handle them,
    so the pages do not say that a record exists."""
    record = record_get_for_user(user, pk, audit_read=audit_read)
    if not record_permissions(user, record).can_handle_documents:
        raise Http404("No such record.")
    return record


def signatures_for(record: ClosureRecord) -> list[Signature]:
    """The record's signatures: the child's first, then each parent's or carer's, as they were added."""
    return list(record.signatures.select_related("witness", "person").order_by("signer_kind", "pk"))


def copies_for(record: ClosureRecord):
    """The copies register of a record, in the order they were given. The PDF bytes are left out."""
    return (
        record.copies.select_related("given_by", "person", "released_by", "record__episode")
        .defer("pdf")
        .order_by("given_on", "pk")
    )


def copy_get(record: ClosureRecord, pk: int) -> Copy:
    """One copy of this record (the record already checked for the user); 404 for any other."""
    copy = (
        Copy.objects.select_related("given_by", "released_by", "record__episode")
        .filter(record=record, pk=pk)
        .first()
    )
    if copy is None:
        raise Http404("No such copy.")
    return copy
