"""Keeping and giving back drafts. Every function is scoped to one user: nothing of a draft is
ever read for, or shown to, anyone else.

The user's row says when they last kept a draft (User.draft_kept_at), so that a page read by someone
with no draft (almost every page) makes no query for one. It is set in the transaction that keeps a
draft and cleared only when no draft is left, under a lock on the user's row that keeping a draft
takes too: whichever of two tabs, two browsers or an expired session's POST keeps or discards first,
a kept draft is never left unmarked.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from .models import Draft, DraftSource

# Never kept: the CSRF token, passwords, one-time codes, the draft endpoint's own field, and a drawn
# signature (only the person signing puts a signature on a record, never a restored draft).
SKIPPED = ("csrfmiddlewaretoken", "password", "token", "otp", "draft_path", "image")
MAX_FIELDS = 500
MAX_CHARS = 2_000_000


def draft_lifetime() -> dt.timedelta:
    return dt.timedelta(seconds=settings.DRAFT_KEEP_SECONDS)


def _kept(name: str) -> bool:
    lowered = name.lower()
    return not any(word in lowered for word in SKIPPED)


def form_fields(data) -> dict[str, list[str]]:
    """The fields worth keeping from posted data (a QueryDict): text only, within size limits."""
    fields: dict[str, list[str]] = {}
    total = 0
    for name in list(data.keys())[:MAX_FIELDS]:
        if not _kept(name) or len(name) > 200:
            continue
        values = [str(value) for value in data.getlist(name)]
        total += sum(len(value) for value in values)
        if total > MAX_CHARS:
            break
        fields[name] = values
    return fields


def _clean_path(path: str) -> str:
    return path if path.startswith("/") and len(path) <= 300 and "\x00" not in path else ""


@transaction.atomic
def draft_save(*, user, path: str, data, source: str = DraftSource.AUTOSAVE) -> Draft | None:
    """Keep what `user` typed into the form at `path` (the latest replaces the one before).
    Also forgets this user's drafts older than DRAFT_KEEP_SECONDS."""
    path = _clean_path(path)
    fields = form_fields(data)
    if not path or not fields:
        return None
    Draft.objects.filter(user=user, updated_at__lt=timezone.now() - draft_lifetime()).delete()
    draft, _ = Draft.objects.update_or_create(
        user=user, path=path, defaults={"data": fields, "source": source}
    )
    # Locks the user's row until this commits: a discard deciding meanwhile that none is left waits.
    get_user_model().objects.filter(pk=user.pk).update(draft_kept_at=draft.updated_at)
    user.draft_kept_at = draft.updated_at
    return draft


def may_have_draft(user) -> bool:
    """Might `user` have a draft to give back? False (asking nothing of the database) unless they
    kept one within DRAFT_KEEP_SECONDS: every draft is at most as recent as User.draft_kept_at."""
    kept_at = getattr(user, "draft_kept_at", None)
    return (
        getattr(user, "is_authenticated", False)
        and kept_at is not None
        and kept_at >= timezone.now() - draft_lifetime()
    )


def draft_for(*, user, path: str) -> Draft | None:
    """The user's own draft of the form at `path`, if one is kept and not too old."""
    if not may_have_draft(user):
        return None
    return Draft.objects.filter(
        user=user, path=path, updated_at__gte=timezone.now() - draft_lifetime()
    ).first()


@transaction.atomic
def draft_discard(*, user, path: str) -> None:
    """The form was saved (or the user chose to discard what was kept): forget the draft, and once
    the user has none left, say so on their row so that their pages stop looking for one."""
    deleted, _ = Draft.objects.filter(user=user, path=path).delete()
    if not deleted:
        return
    # Locked, a draft_save of another page (which updates this row) either committed before, and the
    # check below sees its draft, or waits until this commits, and marks the row again.
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    if not _live_drafts_left(user):
        get_user_model().objects.filter(pk=user.pk).update(draft_kept_at=None)
        user.draft_kept_at = None


def _live_drafts_left(user) -> bool:
    return Draft.objects.filter(user=user, updated_at__gte=timezone.now() - draft_lifetime()).exists()


def as_data(draft: Draft) -> MultiValueDict:
    """The draft as posted data, for a form's widgets to read back."""
    return MultiValueDict({name: list(values) for name, values in draft.data.items()})
