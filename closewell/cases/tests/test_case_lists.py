"""The rows of My cases and Team cases and the case pages' contacts (cases.templatetags.case_lists):
what the templates wrote."""

import datetime as dt
import re

from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from closewell.accounts.models import Role
from closewell.accounts.tests.factories import UserFactory
from closewell.cases.models import Episode, Responsible
from closewell.cases.tests.factories import (
    ContactFactory,
    EpisodeFactory,
    PersonFactory,
    PlannedActionFactory,
)


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


# --- The contacts of a case page and of an episode's list of contacts ---------------------------------


def contact_item(client: Client, url: str, note: str) -> str:
    """The item of the list of contacts at `url` with the note `note` (escaped, as the page writes it)."""
    html = client.get(url).content.decode()
    start = html.index(escape(note))
    return html[html.rindex("<li", 0, start) : html.index("</li>", start)]


def closed(episode: Episode) -> None:
    """The episode closed (as the database has it), for what a closed case's page offers."""
    Episode.objects.filter(pk=episode.pk).update(
        status="closed",
        closure_date=episode.referral_date + dt.timedelta(days=30),
        closed_at=timezone.now(),
        reason_for_closure="RC8",
    )


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_contact_says_when_what_who_and_who_was_seen_with_a_link_to_change_it(worker, episode):
    child = episode.child
    child.first_name = "Ruby"
    child.save()
    contact = ContactFactory(
        episode=episode,
        occurred_at=dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC),
        child_seen=True,
        child_seen_alone=True,
        note="Talked about <school> & friends.",
    )
    contact.people_seen.add(
        PersonFactory(first_name="Ann", last_name="O'Hara"), PersonFactory(first_name="Bo", last_name="Zed")
    )
    client = Client()
    client.force_login(worker)
    for url in (f"/children/{child.pk}/", f"/children/{child.pk}/episodes/{episode.pk}/contacts/"):
        item = contact_item(client, url, contact.note)
        text = text_of(item)
        assert text.startswith("2 July 2026, 00:30: Home visit Direct work by ")
        assert f"by {worker}. Ruby was seen alone." in text
        assert "Ruby was seen alone. Also seen: Ann O&#x27;Hara, Bo Zed." in text
        assert escape("Talked about <school> & friends.") in item and "<school>" not in item
        change = f'href="/children/{child.pk}/contacts/{contact.pk}/">Change'
        assert change in item
        assert text.endswith("Change the home visit on 2 July 2026")


def test_a_contact_where_the_child_was_not_seen_says_so_and_a_closed_case_offers_no_change(worker, episode):
    contact = ContactFactory(episode=episode, child_seen=False, note="Phoned the school.")
    client = Client()
    client.force_login(worker)
    item = contact_item(client, f"/children/{episode.child.pk}/", contact.note)
    assert f"{episode.child.first_name} was not seen." in text_of(item)
    assert "Also seen" not in item
    closed(episode)
    child = episode.child.pk
    for url in (f"/children/{child}/", f"/children/{child}/episodes/{episode.pk}/contacts/"):
        assert "Change" not in contact_item(client, url, contact.note)


def test_the_contacts_page_heads_its_contacts_at_level_two_and_the_case_page_at_four(worker, episode):
    contact = ContactFactory(episode=episode, note="A note to find.")
    client = Client()
    client.force_login(worker)
    child = episode.child.pk
    case = contact_item(client, f"/children/{child}/", contact.note)
    listed = contact_item(client, f"/children/{child}/episodes/{episode.pk}/contacts/", contact.note)
    assert '<h4 class="govuk-heading-s govuk-!-margin-bottom-1">' in case and "</h4>" in case
    assert '<h2 class="govuk-heading-s govuk-!-margin-bottom-1">' in listed and "</h2>" in listed


# --- The actions and services of a case page ----------------------------------------------------------


def action_row(client: Client, url: str, description: str) -> str:
    """The row of the case page's actions at `url` that describes `description` (escaped)."""
    html = client.get(url).content.decode()
    start = html.index(escape(description))
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


def test_an_action_says_what_who_when_received_and_outcome_with_a_link_to_change_it(worker, episode):
    action = PlannedActionFactory(
        episode=episode,
        description="Family <group> conference",
        responsible=Responsible.PARENT,
        planned_level="",
        start_date=dt.date(2026, 3, 2),
        end_date=dt.date(2026, 5, 29),
        actual_level="",
        outcome="",
        parent="corporate_parent",
    )
    client = Client()
    client.force_login(worker)
    row = action_row(client, f"/children/{episode.child.pk}/", action.description)
    assert escape("Family <group> conference") in row and "<group>" not in row
    assert '<strong class="govuk-tag govuk-tag--purple">Corporate parent</strong>' in row
    assert text_of(row) == (
        f"{escape(action.description)} Corporate parent A parent or carer Not set From 2 March 2026 to "
        "29 May 2026 Not recorded Not recorded Change this action"
    )
    assert f'href="/children/{episode.child.pk}/actions/{action.pk}/">Change' in row


def test_an_unplanned_service_names_who_and_its_impact_and_a_closed_case_offers_no_change(worker, episode):
    action = PlannedActionFactory(
        episode=episode,
        unplanned=True,
        description="Food bank referral",
        responsible_name="Northmoor Food Bank",
        planned_level="Weekly",
        start_date=dt.date(2026, 4, 1),
        end_date=None,
        actual_level="Twice",
        outcome="Fed well",
        impact="Less <worry>",
    )
    client = Client()
    client.force_login(worker)
    row = action_row(client, f"/children/{episode.child.pk}/", action.description)
    assert text_of(row) == (
        "Food bank referral Northmoor Food Bank Weekly From 1 April 2026 Twice Fed well Impact: "
        f"{escape('Less <worry>')} Change this action"
    )
    closed(episode)
    assert "Change" not in action_row(client, f"/children/{episode.child.pk}/", action.description)
