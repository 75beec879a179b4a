"""Small template filters for the pages."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, or '' when it is missing."""
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return ""


@register.filter
def yes_no(value) -> str:
    return "Yes" if value else "No"
