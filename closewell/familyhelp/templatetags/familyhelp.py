"""Template helpers for the handover to Family Help."""

from django import template

from closewell.accounts.permissions import record_permissions
from closewell.familyhelp import content, selectors

register = template.Library()


@register.filter
def handover_rows(part) -> list[tuple[str, str]]:
    return content.handover_rows(part or {})


@register.simple_tag
def handover_addable(record) -> bool:
    """A record being written that has no handover due yet: the worker may add one."""
    return record.addendum_to_id is None and not content.handover_due(record)


@register.simple_tag
def loop_back_for(user, episode):
    """The closure before a re-referral and its handover ({loop, record_access}), or None."""
    if episode is None or not episode.is_re_referral:
        return None
    loop = selectors.loop_back(episode)
    if loop is None:
        return None
    return {
        "loop": loop,
        "can_read_record": bool(loop.record) and record_permissions(user, loop.record).can_view,
    }
