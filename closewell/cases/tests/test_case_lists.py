"""The rows of My cases and Team cases (cases.templatetags.case_lists): what the template wrote."""

import datetime as dt

from django.test import Client
from django.utils.html import escape

from closewell.accounts.models import Role
from closewell.accounts.tests.factories import UserFactory
from closewell.cases.tests.factories import ContactFactory, EpisodeFactory


def row_of(client: Client, url: str, name: str) -> str:
    """The row of the list at `url` that names `name` (as the page writes it: escaped)."""
    html = client.get(url).content.decode()
    start = html.index(escape(name))
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


def test_a_row_links_the_child_and_writes_each_column(worker, episode):
    child = episode.child
    child.first_name, child.last_name, child.date_of_birth = "Ruby", "O'Neill", dt.date(2016, 3, 14)
    child.save()
    ContactFactory(episode=episode, occurred_at=dt.datetime(2026, 3, 30, 22, 30, tzinfo=dt.UTC))
    client = Client()
    client.force_login(worker)
    row = row_of(client, "/cases/", child.full_name)
    assert f'<a class="govuk-link" href="/children/{child.pk}/">{escape(child.full_name)}</a>' in row
    referred = f"{episode.referral_date.day} {episode.referral_date:%B %Y}"
    for text in (child.la_child_id, "14 March 2016", referred, escape(worker)):
        assert f'<td class="govuk-table__cell">{text}</td>' in row
    assert '<strong class="govuk-tag govuk-tag--blue">Open</strong>' in row
    assert '<td class="govuk-table__cell">30 March 2026</td>' in row


def test_a_contact_late_at_night_is_on_its_london_day(worker, episode):
    ContactFactory(episode=episode, occurred_at=dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC))
    client = Client()
    client.force_login(worker)
    row = row_of(client, "/cases/", episode.child.full_name)
    assert '<td class="govuk-table__cell">2 July 2026</td>' in row


def test_what_is_missing_is_said_and_markup_in_a_name_is_text(team):
    manager = UserFactory(role=Role.TEAM_MANAGER, team=None)
    manager.managed_teams.add(team)
    unborn = {"child__date_of_birth": None, "child__expected_date_of_birth": dt.date(2026, 12, 1)}
    EpisodeFactory(team=team, worker=None, child__first_name="<b>Ruby</b>", **unborn)
    client = Client()
    client.force_login(manager)
    row = row_of(client, "/team/", "<b>Ruby</b>")
    assert "<b>" not in row
    for text in (">Not known<", ">Not allocated<", ">None yet<"):
        assert text in row
