"""Small template filters for the pages."""

import datetime as dt
import functools
import re
import secrets

from django import template
from django.template.base import NodeList
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from closewell.core.dates import long_date as _long_date

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, or '' when it is missing."""
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return ""


@register.filter(expects_localtime=True)
def long_date(value) -> str:
    """{{ value|long_date }}: "14 March 2026" (a moment's day in local time), as |date:"j F Y" writes
    it in English, '' for none, at a hundredth of its cost: a case page writes dozens of dates."""
    if not isinstance(value, dt.date):
        return ""
    return _long_date(value.date() if isinstance(value, dt.datetime) else value)


@register.filter(expects_localtime=True)
def long_date_time(value) -> str:
    """{{ value|long_date_time }}: "14 March 2026, 09:05" in local time, as |date:"j F Y, H:i"."""
    if not isinstance(value, dt.datetime):
        return ""
    return f"{_long_date(value.date())}, {value:%H:%M}"


@register.filter
def yes_no(value) -> str:
    return "Yes" if value else "No"


@functools.lru_cache(maxsize=128)
def _fixed_url(name: str, prefix: str, urlconf) -> str:
    return reverse(name, urlconf=urlconf)


@register.simple_tag
def fixed_url(name: str) -> str:
    """{% url 'name' %} for a URL that takes no arguments, reversed once per process (per script
    prefix and URL map), not on every page: the header, menu and footer of every page link to a
    dozen of them."""
    return _fixed_url(name, get_script_prefix(), get_urlconf())


# Stand-ins for a row URL's ids while reversing it once: integers no table's ids reach.
_ID_STANDINS = tuple(str(9_000_000_000_000_000_001 + n) for n in range(4))


@functools.lru_cache(maxsize=256)
def _row_url_format(name: str, ids: int, prefix: str, urlconf) -> str:
    """The URL `name` with {0}, {1}… where its ids go: reversed once with stand-in ids."""
    url = reverse(name, args=_ID_STANDINS[:ids], urlconf=urlconf).replace("{", "{{").replace("}", "}}")
    for n, standin in enumerate(_ID_STANDINS[:ids]):
        url = url.replace(standin, f"{{{n}}}")
    return url


@register.simple_tag
def row_url(name: str, *ids) -> str:
    """{% url 'name' id … %} for a link on every row of a table or list (each contact's "Change"):
    the URL reversed once per process for its name, then its ids (whole numbers, as the URL map's
    <int:…> takes) put in, not a walk of the URL map for every row. Anything else is reversed as
    {% url %} would."""
    if 0 < len(ids) <= len(_ID_STANDINS) and all(type(i) is int and i >= 0 for i in ids):
        return _row_url_format(name, len(ids), get_script_prefix(), get_urlconf()).format(*ids)
    return reverse(name, args=ids)


@register.simple_tag(takes_context=True)
def heading(context):
    """The page's `{% block heading %}`, rendered where its h1 is. base.html renders the same block in
    <title>, so the title and the h1 cannot drift apart (WCAG 2.4.2)."""
    return BlockNode("heading", NodeList()).render(context)


_CAPTION = re.compile(r"<caption\b([^>]*)>")
_ID = re.compile(r'\bid="([^"]+)"')


class TableRegionNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        html = self.nodelist.render(context)
        caption = _CAPTION.search(html)
        if caption is None:
            raise template.TemplateSyntaxError("table_region: the table needs a <caption> to name its region")
        found = _ID.search(caption.group(1))
        if found:
            label = found.group(1)
        else:
            label = f"table-{secrets.token_hex(4)}"
            html = f'{html[: caption.start()]}<caption id="{label}"{caption.group(1)}>{html[caption.end() :]}'
        return format_html(
            '<div class="closewell-table-region" role="region" aria-labelledby="{}" tabindex="0">{}</div>',
            label,
            mark_safe(html),  # noqa: S308 (the template's own rendered output)
        )


@register.tag
def table_region(parser, token):
    """{% table_region %}<table class="govuk-table"><caption …>…</caption>…</table>{% endtable_region %}

    A wide table scrolls inside its own box instead of widening the page (WCAG 1.4.10 reflow at 320 CSS
    pixels); the box is a region named by the table's caption that takes keyboard focus, so it can be
    scrolled without a mouse. Every table on the pages goes in one."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("table_region takes no arguments")
    nodelist = parser.parse(("endtable_region",))
    parser.delete_first_token()
    return TableRegionNode(nodelist)
