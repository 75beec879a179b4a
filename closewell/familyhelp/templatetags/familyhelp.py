"""Template helpers for the handover to Family Help."""

from django import template

from closewell.familyhelp import content

register = template.Library()


@register.filter
def handover_rows(part) -> list[tuple[str, str]]:
    return content.handover_rows(part or {})


@register.simple_tag
def handover_addable(record) -> bool:
    """A record being written that has no handover due yet: the worker may add one."""
    return record.addendum_to_id is None and not content.handover_due(record)
