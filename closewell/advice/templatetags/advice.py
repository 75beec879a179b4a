"""Writing advice on the Closure Record pages: {% advice_panel record section %} beside a section
being written, {% advice_summary record %} on the manager's review page."""

from django import template

from closewell.advice.selectors import advice_for_record, advice_for_section

register = template.Library()


@register.inclusion_tag("advice/panel.html")
def advice_panel(record, section):
    return {"advice": advice_for_section(record, section)}


@register.inclusion_tag("advice/summary.html")
def advice_summary(record):
    return {"advice": advice_for_record(record)}
