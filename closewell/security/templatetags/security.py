"""Template tags for the security includes: the case page's "Who viewed this case"."""

from django import template

from closewell.security.selectors import case_views, may_see_case_views

register = template.Library()


@register.simple_tag(takes_context=True)
def who_viewed(context, child) -> dict:
    user = context["request"].user
    return {"shown": may_see_case_views(user, child), "events": list(case_views(user, child))}
