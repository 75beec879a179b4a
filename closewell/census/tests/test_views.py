"""The data-quality page and the download for every role."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from closewell.accounts.models import Role, Team, User
from closewell.audit.models import Action, AuditEvent
from closewell.cases.tests.factories import AssessmentFactory, ChildFactory, EpisodeFactory
from closewell.census.forms import current_census_year

from .helpers import assert_valid

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(db):
    east = Team.objects.create(name="East")
    west = Team.objects.create(name="West")
    year = current_census_year()
    referral = dt.date(year - 1, 5, 4)
    # East: a child with no primary need (8610). West: a child whose UPN has a wrong check letter (1510).
    east_child = ChildFactory(first_name="Eddie", last_name="East", la_child_id="EAST1")
    east_episode = EpisodeFactory(child=east_child, team=east, referral_date=referral, primary_need="")
    AssessmentFactory(episode=east_episode)
    west_child = ChildFactory(
        first_name="Wanda", last_name="West", la_child_id="WEST1", upn="B201123456789", upn_unknown=""
    )
    AssessmentFactory(
        episode=EpisodeFactory(child=west_child, team=west, referral_date=referral, primary_need="N1")
    )
    manager = User.objects.create_user("m", role=Role.TEAM_MANAGER)
    manager.managed_teams.add(east)
    return {
        "year": year,
        "east_child": east_child,
        "west_child": west_child,
        "worker": User.objects.create_user("w", role=Role.SOCIAL_WORKER, team=east),
        "manager": manager,
        "data": User.objects.create_user("d", role=Role.DATA_OFFICER),
        "admin": User.objects.create_user("a", role=Role.ADMINISTRATOR),
    }


def test_anonymous_is_sent_to_sign_in(client, scene):
    for name in ("census:quality", "census:download"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("who", ["worker", "admin"])
def test_workers_and_administrators_are_refused(client, scene, who):
    client.force_login(scene[who])
    assert client.get(reverse("census:quality")).status_code == 403
    assert client.get(reverse("census:download"), {"year": scene["year"]}).status_code == 403


def test_data_officer_sees_every_child_with_a_link_to_fix_it(client, scene):
    client.force_login(scene["data"])
    html = client.get(reverse("census:quality")).content.decode()
    assert "Eddie East" in html and "8610" in html
    assert "Wanda West" in html and "1510" in html
    assert reverse("cases:child", args=[scene["east_child"].pk]) in html
    assert reverse("cases:child", args=[scene["west_child"].pk]) in html
    assert "Download the" in html


def test_manager_sees_only_their_teams_and_cannot_download(client, scene):
    client.force_login(scene["manager"])
    response = client.get(reverse("census:quality"))
    html = response.content.decode()
    assert "Eddie East" in html and "Wanda West" not in html
    assert "Download the" not in html
    assert client.get(reverse("census:download"), {"year": scene["year"]}).status_code == 403


def test_a_year_not_offered_is_an_error(client, scene):
    client.force_login(scene["data"])
    html = client.get(reverse("census:quality"), {"year": "1999"}).content.decode()
    assert "There is a problem" in html and "Select a census year from the list" in html
    assert client.get(reverse("census:download"), {"year": "1999"}).status_code == 400


def test_download_streams_a_valid_return_and_is_audited(client, scene):
    client.force_login(scene["data"])
    response = client.get(reverse("census:download"), {"year": scene["year"]})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"] == f'attachment; filename="CIN_999_{scene["year"]}.xml"'
    doc = assert_valid(b"".join(response.streaming_content))
    assert {c.findtext("ChildIdentifiers/LAchildID") for c in doc.iter("Child")} == {"EAST1", "WEST1"}
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.actor == scene["data"] and event.object_id == str(scene["year"])


def test_the_quality_page_counts_the_return_not_only_its_problems(client, scene):
    """Children in the return, their episodes and the closures in the year: every team for the data
    officer, the manager's teams for a manager (issue 21)."""
    year = scene["year"]
    EpisodeFactory(
        child=ChildFactory(la_child_id="EAST2"),
        team=scene["east_child"].episodes.get().team,
        referral_date=dt.date(year - 1, 5, 4),
        closure_date=dt.date(year - 1, 9, 1),
        closed_at=timezone.make_aware(dt.datetime(year - 1, 9, 1, 12)),
        reason_for_closure="RC7",
        status="closed",
    )
    client.force_login(scene["data"])
    response = client.get(reverse("census:quality"), {"year": year})
    counts = response.context["counts"]
    assert (counts.children, counts.episodes, counts.closures) == (3, 3, 1)
    assert "Children in the return" in response.content.decode()
    client.force_login(scene["manager"])
    counts = client.get(reverse("census:quality"), {"year": year}).context["counts"]
    assert (counts.children, counts.episodes, counts.closures) == (2, 2, 1)
