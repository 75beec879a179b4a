"""Every read of a child's case is in the trail: reading a child, its episodes, its contacts or a
Closure Record, through the pages or through the API, writes exactly one audit event; a write
writes its change, not a read as well; a refused read (another team's) writes nothing."""

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from closewell.api.services import token_create
from closewell.audit.models import Action, AuditEvent
from closewell.cases.tests.factories import ContactFactory, EpisodeFactory


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user) -> APIClient:
    client = APIClient()
    _, key = token_create(actor=None, user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def reads_during(call) -> list[AuditEvent]:
    """The audit events of reads that `call` wrote (it must answer 200)."""
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = call()
    assert response.status_code == 200, response.content[:500]
    return list(AuditEvent.objects.filter(pk__gt=last, action=Action.VIEW))


def api_reads(case, authorised):
    """Each API read of the case, by what it reads: (path, the audited object type)."""
    episode = case.episode
    return {
        "a child": (f"/api/v1/children/{case.child.pk}/", "cases.Child"),
        "an episode": (f"/api/v1/episodes/{episode.pk}/", "cases.Episode"),
        "a child's episodes": (f"/api/v1/episodes/?child={case.child.pk}", "cases.Child"),
        "an episode's plans": (f"/api/v1/episodes/{episode.pk}/plans/", "cases.Episode"),
        "an episode's contacts": (f"/api/v1/episodes/{episode.pk}/contacts/", "cases.Episode"),
        "a contact": (f"/api/v1/contacts/{case.visit.pk}/", "cases.Contact"),
        "a Closure Record": (f"/api/v1/closure-records/{authorised.pk}/", "closures.ClosureRecord"),
    }


@pytest.mark.parametrize(
    "what",
    [
        "a child",
        "an episode",
        "a child's episodes",
        "an episode's plans",
        "an episode's contacts",
        "a contact",
        "a Closure Record",
    ],
)
@pytest.mark.parametrize("role", ["worker", "manager", "data"])
def test_each_api_read_writes_one_audit_event(case, authorised, what, role):
    user = getattr(case, role)
    path, object_type = api_reads(case, authorised)[what]
    [event] = reads_during(lambda: api_client(user).get(path))
    assert (event.actor, event.object_type, event.child_id) == (user, object_type, case.child.pk)
    assert case.child.full_name in event.summary


@pytest.mark.parametrize(
    "path",
    [
        "/children/{child}/",
        "/closures/{record}/",
        "/children/{child}/contacts/{contact}/",
        "/children/{child}/contacts/add/",
        "/children/{child}/episodes/{episode}/contacts/",
    ],
)
def test_each_page_read_writes_one_audit_event(case, authorised, path):
    """The case page shows the child, every episode and its contacts: one read, one event."""
    child = authorised.episode.child
    # A closed case cannot be changed: the contact pages are read on an open episode.
    if "contacts" in path:
        episode = EpisodeFactory(team=case.east, worker=case.worker)
        child = episode.child
        contact = ContactFactory(episode=episode, worker=case.worker)
    else:
        contact = case.visit
    url = path.format(child=child.pk, record=authorised.pk, contact=contact.pk, episode=contact.episode_id)
    [event] = reads_during(lambda: page_client(case.worker).get(url))
    assert (event.actor, event.child_id) == (case.worker, child.pk)


def test_the_case_page_read_of_a_manager_is_one_event(case, authorised):
    [event] = reads_during(lambda: page_client(case.manager).get(f"/children/{case.child.pk}/"))
    assert event.object_type == "cases.Child"


def test_a_refused_read_writes_nothing(case, authorised):
    other = api_client(case.other_worker)
    before = AuditEvent.objects.count()
    for path, _ in api_reads(case, authorised).values():
        assert other.get(path).status_code in (200, 404)  # the child's episodes list answers empty
    assert page_client(case.other_worker).get(f"/children/{case.child.pk}/").status_code == 404
    assert AuditEvent.objects.count() == before


def test_a_list_of_cases_is_not_a_read_of_each(case, authorised):
    """The registers (children, episodes, records) name cases, not their content: not audited."""
    client = api_client(case.worker)
    for path in ("/api/v1/children/", "/api/v1/episodes/", "/api/v1/closure-records/"):
        assert reads_during(lambda path=path: client.get(path)) == []


def test_writing_through_the_api_is_audited_as_the_change_only(case, authorised):
    episode = EpisodeFactory(team=case.east, worker=case.worker)
    client = api_client(case.worker)
    last = AuditEvent.objects.order_by("-pk").first().pk
    response = client.post(
        f"/api/v1/episodes/{episode.pk}/contacts/",
        {"occurred_at": timezone.now().isoformat(), "kind": "home_visit", "note": "Saw them at home."},
        format="json",
    )
    assert response.status_code == 201, response.content
    events = AuditEvent.objects.filter(pk__gt=last)
    assert [e.action for e in events] == [Action.CREATE]
