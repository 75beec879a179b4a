"""What every signed-in request pays before its view runs: its session and its user, read afresh each
time (no process keeps either, so a sign-out or a deactivation ends access at once on every server),
and nothing else; and at most one commit for a page read."""

from contextlib import contextmanager

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from closewell.accounts.models import Role, User
from closewell.accounts.tests.factories import UserFactory
from closewell.security import sso
from closewell.security.sessions import REFRESHED


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


# This module is the URLconf of its tests: /hello/ (a view that does nothing) and the project's pages.
urlpatterns = [path("hello/", hello), path("", include("config.urls"))]
pytestmark = pytest.mark.urls(__name__)

WRITES = ("INSERT", "UPDATE", "DELETE")


def signed_in(user, backend=None) -> Client:
    client = Client()
    client.force_login(user, backend=backend)
    client.get("/hello/")  # the session's first refresh (security.sessions) is behind it
    return client


def queries_of(client: Client, url: str = "/hello/") -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response
    return [q["sql"] for q in queries.captured_queries]


def select(model) -> str:
    """core.rows' SELECT of the model's every column."""
    columns = ", ".join(f'"{field.column}"' for field in model._meta.concrete_fields)
    return f'SELECT {columns} FROM "{model._meta.db_table}"'  # noqa: S608 - a test's expected text


def user_lookup(user) -> str:
    return f"{select(User)} WHERE id = {user.pk}"


def test_a_signed_in_request_reads_its_session_and_its_user_and_nothing_else(worker):
    session, user = queries_of(signed_in(worker))
    assert session.startswith(f"{select(Session)} WHERE session_key = ")
    assert user == user_lookup(worker)


def test_with_sessions_in_a_cache_only_the_user_is_read(worker):
    with override_settings(
        SESSION_ENGINE="django.contrib.sessions.backends.cache",
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    ):
        assert queries_of(signed_in(worker)) == [user_lookup(worker)]


def test_a_single_sign_on_session_reads_the_same(worker):
    queries = queries_of(signed_in(worker, backend=sso.BACKEND))
    assert queries[1:] == [user_lookup(worker)]


@pytest.mark.parametrize("backend", [None, sso.BACKEND])
def test_a_deactivated_user_is_signed_out_at_their_next_request(worker, backend):
    client = signed_in(worker, backend=backend)
    User.objects.filter(pk=worker.pk).update(is_active=False)
    response = client.get("/hello/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_password_session_ends_when_local_sign_in_is_switched_off(worker, settings):
    client = signed_in(worker)
    settings.OIDC_ENABLED, settings.LOCAL_SIGN_IN = True, "none"
    assert client.get("/hello/").status_code == 302


def test_a_signed_out_or_expired_session_is_not_read_again(worker):
    client = signed_in(worker)
    Session.objects.update(expire_date="2000-01-01T00:00:00Z")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/hello/").status_code == 302
    assert len(queries) == 1  # the session, not found: no user is read
    client = signed_in(worker)
    client.post("/logout/")
    assert client.get("/hello/").status_code == 302


@pytest.fixture
def verified_manager(db, settings):
    """A manager who gave their authenticator's code in this session, with two-factor sign-in on."""
    settings.REQUIRE_TWO_FACTOR = True
    manager = UserFactory(role=Role.TEAM_MANAGER, team=None)
    device = TOTPDevice.objects.create(user=manager, name="Phone", confirmed=True)
    client = Client()
    client.force_login(manager)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.get("/hello/")
    return client, device


def test_a_verified_manager_pays_one_more_query_for_the_device_they_verified_with(verified_manager):
    """django-otp reads the session's device on every request, once: a device an administrator
    removes stops counting at the owner's next request."""
    client, device = verified_manager
    queries = queries_of(client)
    assert len(queries) == 3 and "otp_totp_totpdevice" in queries[2]
    device.delete()
    response = client.get("/hello/")
    assert response.status_code == 302 and response["Location"] == "/two-factor/"


# --- Commits -------------------------------------------------------------------------------------------


@contextmanager
def counting_commits():
    """Counts the transactions committed: atomic blocks, and each write made outside one (autocommit)."""
    count = [0]
    commit = connection.commit

    def counted_commit():
        count[0] += 1
        commit()

    def count_writes(execute, sql, params, many, context):
        if not connection.in_atomic_block and sql.lstrip().upper().startswith(WRITES):
            count[0] += 1
        return execute(sql, params, many, context)

    connection.commit = counted_commit
    try:
        with connection.execute_wrapper(count_writes):
            yield count
    finally:
        del connection.commit


@pytest.mark.django_db(transaction=True)
@override_settings(AUDIT_SEAL_SECONDS=10**9)  # the audit sealer's batch, every few seconds, held off
def test_a_page_read_commits_at_most_once_and_a_signed_in_request_not_at_all(worker, episode):
    client = signed_in(worker)
    client.get(f"/children/{episode.child_id}/")
    with counting_commits() as commits:
        assert client.get("/hello/").status_code == 200
    assert commits[0] == 0
    with counting_commits() as commits:
        assert client.get(f"/children/{episode.child_id}/").status_code == 200
    assert commits[0] == 1  # its audit event
    # Once a SESSION_REFRESH_SECONDS the session is saved too, to push the idle sign-out on.
    session = client.session
    session[REFRESHED] -= settings.SESSION_REFRESH_SECONDS
    session.save()
    with counting_commits() as commits:
        assert client.get("/hello/").status_code == 200
    assert commits[0] == 1
