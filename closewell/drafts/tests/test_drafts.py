"""No text lost: a form posted after the idle sign-out is kept for its author alone and put back
after they sign in; drafts saved while typing come back the same way; a saved form forgets its draft."""

import datetime as dt
import importlib
import threading

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from closewell.accounts.models import User
from closewell.accounts.tests.factories import TeamFactory, UserFactory
from closewell.cases.models import Contact
from closewell.closures import services as closure_services
from closewell.drafts import services
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
    User.objects.update(draft_kept_at=timezone.now() - dt.timedelta(seconds=61))
    assert NOTE not in client.get(url).content.decode()
    assert draft_queries(client, url) == []  # the user's row says none is young enough


def test_the_warning_dialog_is_on_signed_in_pages_only(web, url, settings):
    settings.SESSION_COOKIE_AGE = 600
    client = Client()
    client.force_login(web.worker)
    page = client.get(url).content.decode()
    assert 'data-session-idle="600"' in page and 'data-session-warning="120"' in page
    assert "You will be signed out soon" in page
    assert "You will be signed out soon" not in Client().get("/login/").content.decode()


# --- Looking for a draft only when one may be kept (User.draft_kept_at) --------------------------------


def draft_queries(client: Client, url: str, method: str = "get", data=None) -> list[str]:
    """The SQL a request runs against the drafts table."""
    with CaptureQueriesContext(connection) as queries:
        getattr(client, method)(url, data or {})
    return [q["sql"] for q in queries.captured_queries if "drafts_draft" in q["sql"]]


def signed_in(user) -> Client:
    """A browser of its own (its own session), signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def test_pages_of_someone_without_a_draft_ask_nothing_about_drafts(web, url):
    client = signed_in(web.worker)
    assert draft_queries(client, url) == []
    assert draft_queries(client, url, "post", contact_data()) == []  # a saved form: nothing to forget
    assert Contact.objects.filter(note=NOTE).exists()


def test_a_draft_kept_in_one_browser_is_given_back_in_another_at_once(web, url):
    office, laptop = signed_in(web.worker), signed_in(web.worker)
    assert BANNER not in laptop.get(url).content.decode()
    office.post("/drafts/save/", {"draft_path": url, "note": NOTE})
    page = laptop.get(url).content.decode()
    assert BANNER in page and NOTE in page
    # Saved in the second browser: the draft is forgotten everywhere, and pages stop looking for one.
    assert laptop.post(url, contact_data()).status_code == 302
    assert not Draft.objects.exists()
    assert BANNER not in office.get(url).content.decode()
    assert draft_queries(office, url) == []


def test_two_tabs_keep_two_drafts_until_both_are_gone(web, url):
    client = signed_in(web.worker)
    other = f"/children/{web.child.pk}/"
    client.post("/drafts/save/", {"draft_path": url, "note": NOTE})
    client.post("/drafts/save/", {"draft_path": other, "note": "Second tab."})
    client.post("/drafts/discard/", {"draft_path": other})
    assert NOTE in client.get(url).content.decode()  # the other tab's draft is still given back
    client.post("/drafts/discard/", {"draft_path": url})
    assert NOTE not in client.get(url).content.decode()
    web.worker.refresh_from_db()
    assert web.worker.draft_kept_at is None
    assert draft_queries(client, url) == []


def test_a_post_kept_after_the_sign_out_reaches_the_users_other_browsers_too(web, url):
    laptop = signed_in(web.worker)
    office = Client()
    sign_in(office, web.worker)
    office.get(url)
    Session.objects.exclude(session_key=laptop.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert office.post(url, contact_data()).status_code == 302  # to sign in: the post is kept
    page = laptop.get(url).content.decode()
    assert BANNER in page and NOTE in page


def test_saving_a_user_read_before_a_draft_was_kept_does_not_hide_it(web, url):
    """An administrator's edit or a password change saves a user object read earlier: what it read
    of User.draft_kept_at must not be written back over the draft kept meanwhile."""
    read_before = User.objects.get(pk=web.worker.pk)
    client = signed_in(web.worker)
    client.post("/drafts/save/", {"draft_path": url, "note": NOTE})
    read_before.first_name = "Wendy"
    read_before.save()
    assert User.objects.get(pk=web.worker.pk).first_name == "Wendy"
    assert NOTE in client.get(url).content.decode()


def test_drafts_kept_before_the_users_were_marked_are_still_given_back(web, url):
    """Migration accounts/0005 marks the users who already had drafts."""
    draft = Draft.objects.create(user=web.worker, path=url, data={"note": [NOTE]})
    User.objects.update(draft_kept_at=None)
    migration = importlib.import_module("closewell.accounts.migrations.0005_user_draft_kept_at")
    migration.mark_users_with_drafts(apps, None)
    assert User.objects.get(pk=web.worker.pk).draft_kept_at == draft.updated_at
    assert User.objects.get(pk=web.manager.pk).draft_kept_at is None
    assert NOTE in signed_in(web.worker).get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_draft_kept_while_the_last_other_one_is_discarded_is_not_hidden(monkeypatch):
    """The race: in one tab the user discards their only draft; in another, a draft of another page is
    saved just after the discard has found no draft left. The save waits for the discard's lock on
    the user's row and marks it again, so the new draft is still given back. (On SQLite every write
    transaction waits for the one before: the test passes there without the lock.)"""
    worker = UserFactory(team=TeamFactory())
    services.draft_save(user=worker, path="/first/", data=QueryDict("note=First"))
    checked, go = threading.Event(), threading.Event()
    left = services._live_drafts_left

    def found_none_then_pause(user):
        found = left(user)
        checked.set()
        go.wait(timeout=10)
        return found

    monkeypatch.setattr(services, "_live_drafts_left", found_none_then_pause)

    def in_a_thread(work):
        def run():
            try:
                work()
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    discard = in_a_thread(lambda: services.draft_discard(user=worker, path="/first/"))
    assert checked.wait(timeout=10)
    save = in_a_thread(
        lambda: services.draft_save(
            user=User.objects.get(pk=worker.pk), path="/second/", data=QueryDict("note=Second")
        )
    )
    save.join(timeout=1)  # were it free to, the save would finish before the discard clears the mark
    go.set()
    discard.join(timeout=30)
    save.join(timeout=30)
    assert not discard.is_alive() and not save.is_alive()
    worker = User.objects.get(pk=worker.pk)
    assert services.draft_for(user=worker, path="/second/").data == {"note": ["Second"]}
