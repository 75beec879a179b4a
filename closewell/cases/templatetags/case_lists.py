"""The rows of the case lists (My cases, Team cases), written in Python: a list of 25 cases rendered
through the template engine spent more than half its time on its rows' 275 variables."""

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from closewell.core.dates import long_date
from closewell.web.templatetags.closewell import row_url

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
