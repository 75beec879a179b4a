"""Who put content into a Closure Record: noted by every service that changes one (four eyes)."""

from .models import LIVE, ClosureRecord, Contribution, ContributionKind


def contribution_note(*, record: ClosureRecord, user, kind: ContributionKind) -> None:
    """Note that `user` wrote, changed, submitted or signed `record` (once per kind). Called inside
    the service's transaction, so the note and the change commit together."""
    if getattr(user, "pk", None) is None:
        return
    Contribution.objects.get_or_create(record=record, user=user, kind=kind)


def contribution_note_episode(*, episode, user, kind: ContributionKind) -> None:
    """A change to case data a live record shows as its content (the planned actions its review
    section lists) counts as changing that record."""
    for record in ClosureRecord.objects.filter(episode=episode, status__in=LIVE):
        contribution_note(record=record, user=user, kind=kind)
