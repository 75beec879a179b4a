"""Template filters of the documents app: whether a user takes signatures and gives copies of a record."""

from django import template

from closewell.accounts.permissions import can_release_copy as _can_release
from closewell.documents.selectors import can_handle_documents as _can_handle

register = template.Library()


@register.filter
def can_handle_documents(user, record) -> bool:
    return _can_handle(user, record)


@register.filter
def can_release_copy(user, copy) -> bool:
    return _can_release(user, copy)
