"""Rows written in Python: the case lists' (My cases, Team cases; a list of 25 cases rendered through
the template engine spent more than half its time on its rows' 275 variables), and the contacts (the
case page's largest template cost, ~100 µs a contact) and the actions and services of a case page."""

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from closewell.core.dates import long_date
from closewell.web.templatetags.closewell import long_date_time, row_url

register = template.Library()

ROW = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a></td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell"><strong class="govuk-tag {}">{}</strong>{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    "</tr>"
)
RETURNED = (
    '<br><strong class="govuk-tag govuk-tag--orange govuk-!-margin-top-1">Record returned</strong> '
    '<a class="govuk-link govuk-body-s" href="{}">Amend the Closure Record'
    '<span class="govuk-visually-hidden"> for {}</span></a>'
)


@register.simple_tag
def case_rows(episodes, status_tags):
    """A table row for each case of a list page."""
    return format_html_join("\n", ROW, (_row(episode, status_tags) for episode in episodes))


def _row(episode, status_tags) -> tuple:
    child = episode.child
    returned = ""
    if episode.returned_record:
        returned = format_html(RETURNED, row_url("closures:record", episode.returned_record), child.full_name)
    last_contact = episode.last_contact
    return (
        row_url("cases:child", child.pk),
        child.full_name,
        child.la_child_id,
        long_date(child.date_of_birth) if child.date_of_birth else "Not known",
        long_date(episode.referral_date),
        episode.worker or "Not allocated",
        status_tags.get(episode.status, ""),
        episode.get_status_display(),
        returned,
        long_date(timezone.localtime(last_contact).date()) if last_contact else "None yet",
    )


CONTACT = (
    '<li class="govuk-!-margin-bottom-6">\n'
    '<h{} class="govuk-heading-s govuk-!-margin-bottom-1">{}: {}</h{}>\n'
    '<p class="govuk-body-s govuk-!-margin-bottom-1">{} by {}. {}{}</p>\n'
    '<p class="govuk-body closewell-note govuk-!-margin-bottom-1">{}</p>\n'
    "{}</li>"
)
CONTACT_CHANGE = (
    '<a class="govuk-link govuk-body-s" href="{}">Change'
    '<span class="govuk-visually-hidden"> the {} on {}</span></a>\n'
)


@register.simple_tag
def contact_items(contacts, child, editable=False, level=4):
    """The contacts as the items of a list, newest first as given: when and what, who worked and who
    was seen, the note, and a link to change it when `editable`. `level` is their headings' level."""
    level = int(level)
    return format_html(
        '<ol class="govuk-list">\n{}\n</ol>',
        format_html_join("\n", CONTACT, (_contact(c, child, editable, level) for c in contacts)),
    )


def _contact(contact, child, editable: bool, level: int) -> tuple:
    when = timezone.localtime(contact.occurred_at)
    kind = contact.get_kind_display()
    if contact.child_seen:
        seen = format_html("{} was seen{}.", child.first_name, " alone" if contact.child_seen_alone else "")
    else:
        seen = format_html("{} was not seen.", child.first_name)
    people = contact.people_shown
    also = format_html(" Also seen: {}.", ", ".join(str(p) for p in people)) if people else ""
    change = ""
    if editable:
        url = row_url("cases:contact_edit", child.pk, contact.pk)
        change = format_html(CONTACT_CHANGE, url, kind.lower(), long_date(when.date()))
    return (
        level,
        long_date_time(when),
        kind,
        level,
        contact.get_work_display(),
        contact.worker,
        seen,
        also,
        contact.note,
        change,
    )


ACTION = (
    '<tr class="govuk-table__row">\n'
    '<td class="govuk-table__cell closewell-note">{}{}</td>\n'
    '<td class="govuk-table__cell">{}</td>\n'
    '<td class="govuk-table__cell">{}{}</td>\n'
    '<td class="govuk-table__cell">{}</td>\n'
    '<td class="govuk-table__cell closewell-note">{}{}</td>\n'
    "{}</tr>"
)
CORPORATE_PARENT = format_html(
    '<br><strong class="govuk-tag govuk-tag--purple">{}</strong>', "Corporate parent"
)
ACTION_CHANGE = (
    '<td class="govuk-table__cell"><a class="govuk-link" href="{}">Change'
    '<span class="govuk-visually-hidden"> this action</span></a></td>\n'
)


@register.simple_tag
def action_rows(actions, child_id, editable=False):
    """A table row for each action or service: what, who, planned (and when), received, outcome and
    impact, and a link to change it when `editable`."""
    return format_html_join("\n", ACTION, (_action(action, child_id, editable) for action in actions))


def _action(action, child_id: int, editable: bool) -> tuple:
    when = ""
    if action.start_date:
        to = format_html(" to {}", long_date(action.end_date)) if action.end_date else ""
        when = format_html(
            '<br><span class="govuk-body-s">From {}{}</span>', long_date(action.start_date), to
        )
    change = ""
    if editable:
        change = format_html(ACTION_CHANGE, row_url("cases:action_edit", child_id, action.pk))
    return (
        action.description,
        CORPORATE_PARENT if action.parent == "corporate_parent" else "",
        action.responsible_name or action.get_responsible_display(),
        action.planned_level or "Not set",
        when,
        action.actual_level or "Not recorded",
        action.outcome or "Not recorded",
        format_html("<br>Impact: {}", action.impact) if action.impact else "",
        change,
    )
