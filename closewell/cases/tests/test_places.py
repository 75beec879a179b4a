"""Places that could show where someone is: recorded on the case, frozen into the Closure Record."""

import pytest
from django.urls import reverse

from closewell.accounts.models import Role, Team, User
from closewell.audit.models import AuditEvent
from closewell.cases.models import Place

from .factories import EpisodeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    team, other = Team.objects.create(name="East"), Team.objects.create(name="West")
    worker = User.objects.create_user("w", role=Role.SOCIAL_WORKER, team=team)
    stranger = User.objects.create_user("s", role=Role.SOCIAL_WORKER, team=other)
    episode = EpisodeFactory(team=team, worker=worker)
    return worker, stranger, episode


def test_add_and_remove_a_place(client, setting):
    worker, stranger, episode = setting
    child = episode.child
    client.force_login(worker)
    add = reverse("cases:place_add", args=[child.pk])
    errors = client.post(add, {}).content.decode()
    assert "Select what kind of place it is" in errors and "Enter the place&#x27;s name" in errors
    response = client.post(
        add, {"kind": "school", "name": "St Aidan's Primary", "also_known_as": "St Aidan's\nthe school"}
    )
    assert response.status_code == 302
    place = Place.objects.get()
    assert place.other_names == ["St Aidan's", "the school"]
    page = client.get(child.get_absolute_url()).content.decode()
    assert "St Aidan&#x27;s Primary" in page and "Places that could show where someone is" in page
    assert AuditEvent.objects.filter(object_type="cases.Place", action="create").exists()
    client.force_login(stranger)
    assert client.post(add, {"kind": "gp", "name": "X"}).status_code == 404
    assert client.post(reverse("cases:place_remove", args=[child.pk, place.pk])).status_code == 404
    client.force_login(worker)
    assert client.post(reverse("cases:place_remove", args=[child.pk, place.pk])).status_code == 302
    assert not Place.objects.exists()
