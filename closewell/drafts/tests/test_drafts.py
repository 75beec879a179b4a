"""No text lost: a form posted after the idle sign-out is kept for its author alone and put back
after they sign in; drafts saved while typing come back the same way; a saved form forgets its draft."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from closewell.cases.models import Contact
from closewell.closures import services as closure_services
from closewell.drafts.models import Draft, DraftSource
from closewell.web.tests.conftest import PASSWORD

NOTE = "Saw Amelia after school; she showed me her drawings of the new flat."
BANNER = "What you typed and had not saved has been put back into the form"


def contact_data(**overrides) -> dict:
    data = {
        "occurred_at_day": "20",
        "occurred_at_month": "3",
        "occurred_at_year": "2026",
        "occurred_at_time": "14:30",
        "kind": "home_visit",
        "work": "direct",
        "child_seen": "on",
        "note": NOTE,
    }
    data.update(overrides)
    return data


def sign_in(client: Client, user) -> None:
    client.post("/login/", {"username": user.username, "password": PASSWORD})


def expire_sessions() -> None:
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))


@pytest.fixture
def url(web):
    return f"/children/{web.child.pk}/contacts/add/"


def test_a_post_after_the_idle_sign_out_is_kept_and_put_back_after_sign_in(web, url):
    client = Client()
    sign_in(client, web.worker)
    assert client.get(url).status_code == 200
    expire_sessions()
    contacts = Contact.objects.count()

    response = client.post(url, contact_data())
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert "signed_out=kept" in response["Location"]
    assert Contact.objects.count() == contacts  # never replayed
    draft = Draft.objects.get(user=web.worker, path=url)
    assert draft.source == DraftSource.EXPIRED_POST
    assert "csrfmiddlewaretoken" not in draft.data

    login = client.get(response["Location"])
    assert "You were signed out because you had not done anything for a while" in login.content.decode()
    response = client.post(
        "/login/", {"username": web.worker.username, "password": PASSWORD, "next": url}, follow=True
    )
    page = response.content.decode()
    assert response.request["PATH_INFO"] == url
    assert BANNER in page
    assert NOTE in page
    assert 'value="14:30"' in page
    assert Contact.objects.count() == contacts  # still only in the form, for the worker to save

    saved = client.post(url, contact_data())
    assert saved.status_code == 302
    assert Contact.objects.count() == contacts + 1
    assert not Draft.objects.filter(user=web.worker).exists()
    assert BANNER not in client.get(url).content.decode()


def test_nobody_else_gets_the_draft(web, url):
    client = Client()
    sign_in(client, web.worker)
    expire_sessions()
    client.post(url, contact_data())
    # The manager of the team signs in on the same browser: the worker's words are not theirs.
    response = client.post(
        "/login/", {"username": web.manager.username, "password": PASSWORD, "next": url}, follow=True
    )
    page = response.content.decode()
    assert NOTE not in page and BANNER not in page
    assert Draft.objects.filter(user=web.worker).exists()


def test_without_a_session_nothing_is_kept(web, url):
    """Never signed in (or signed out on purpose): there is nobody to keep it for."""
    client = Client()
    response = client.post(url, contact_data())
    assert response.status_code == 302
    assert not Draft.objects.exists()
    sign_in(client, web.worker)
    client.post("/logout/")
    client.post(url, contact_data())
    assert not Draft.objects.exists()


def test_autosave_is_the_users_own_and_never_changes_the_record(web, as_user):
    record = closure_services.closure_start(
        actor=web.worker, episode=web.episode, decision_date=dt.date(2026, 3, 20), decision_by="Wendy"
    )
    version = record.version
    path = f"/closures/{record.pk}/section/reason/"
    client = as_user("worker")
    response = client.post(
        "/drafts/save/",
        {"draft_path": path, "reason_for_closure": "Amelia is settled at school.", "version": "1"},
    )
    assert response.status_code == 204
    record.refresh_from_db()
    assert record.version == version and record.reason_for_closure == ""
    page = client.get(path).content.decode()
    assert "Amelia is settled at school." in page and BANNER in page

    manager = Client()
    manager.force_login(web.manager)
    assert "Amelia is settled at school." not in manager.get(path).content.decode()

    client.post("/drafts/discard/", {"draft_path": path})
    assert "Amelia is settled at school." not in client.get(path).content.decode()


def test_drafts_and_keep_alive_need_a_session_and_csrf(web):
    anonymous = Client()
    assert anonymous.post("/drafts/keep-alive/").status_code == 401
    assert anonymous.post("/drafts/save/", {"draft_path": "/", "note": "x"}).status_code == 401
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(web.worker)
    assert strict.post("/drafts/save/", {"draft_path": "/", "note": "x"}).status_code == 403
    assert not Draft.objects.exists()
    signed_in = Client()
    signed_in.force_login(web.worker)
    assert signed_in.post("/drafts/keep-alive/").json() == {"signed_in": True}
    assert signed_in.get("/drafts/keep-alive/").status_code == 405


def test_old_drafts_are_not_given_back(web, url, settings):
    settings.DRAFT_KEEP_SECONDS = 60
    client = Client()
    client.force_login(web.worker)
    client.post("/drafts/save/", {"draft_path": url, "note": NOTE})
    Draft.objects.update(updated_at=timezone.now() - dt.timedelta(seconds=61))
    assert NOTE not in client.get(url).content.decode()


def test_the_warning_dialog_is_on_signed_in_pages_only(web, url, settings):
    settings.SESSION_COOKIE_AGE = 600
    client = Client()
    client.force_login(web.worker)
    page = client.get(url).content.decode()
    assert 'data-session-idle="600"' in page and 'data-session-warning="120"' in page
    assert "You will be signed out soon" in page
    assert "You will be signed out soon" not in Client().get("/login/").content.decode()
