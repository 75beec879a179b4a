"""Small template filters for the pages."""

from django import template
from django.template.base import NodeList
from django.template.loader_tags import BlockNode
from django.utils.html import format_html

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


@register.simple_tag(takes_context=True)
def heading(context):
    """The page's `{% block heading %}`, rendered where its h1 is. base.html renders the same block in
    <title>, so the title and the h1 cannot drift apart (WCAG 2.4.2)."""
    return BlockNode("heading", NodeList()).render(context)


class TableRegionNode(template.Node):
    def __init__(self, labelledby, nodelist):
        self.labelledby = labelledby
        self.nodelist = nodelist

    def render(self, context):
        return format_html(
            '<div class="closewell-table-region" role="region" aria-labelledby="{}" tabindex="0">{}</div>',
            self.labelledby.resolve(context),
            self.nodelist.render(context),
        )


@register.tag
def table_region(parser, token):
    """{% table_region "id-of-its-visible-label" %}<table …>…</table>{% endtable_region %}

    A wide table scrolls inside its own box instead of widening the page (WCAG 1.4.10 reflow at 320 CSS
    pixels); the box is a named region that takes keyboard focus, so it can be scrolled without a mouse.
    The label is the id of a visible heading or caption that names the table."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("table_region takes one argument: the id of the table's label")
    nodelist = parser.parse(("endtable_region",))
    parser.delete_first_token()
    return TableRegionNode(parser.compile_filter(bits[1]), nodelist)
