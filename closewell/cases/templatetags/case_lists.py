"""Rows written in Python: the case lists' (My cases, Team cases; a list of 25 cases rendered through
the template engine spent more than half its time on its rows' 275 variables) and the contacts of a case
page and of an episode's list of contacts (the case page's largest template cost, ~100 µs a contact)."""

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
