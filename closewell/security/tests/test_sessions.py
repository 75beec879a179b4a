"""The idle sign-out without a write per request, and sessions in Redis when REDIS_URL is set."""

import datetime as dt
import os
import socket

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from closewell.audit.models import AuditEvent

WRITES = ("INSERT", "UPDATE", "DELETE")
START = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


@pytest.fixture
def signed_in(client, worker, episode):
    client.force_login(worker)
    return client


def test_a_page_read_writes_only_its_audit_event(signed_in, episode):
    with time_machine.travel(START, tick=False) as clock:
        signed_in.get(f"/children/{episode.child_id}/")
        clock.shift(10)
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(f"/children/{episode.child_id}/").status_code == 200
    written = writes(queries.captured_queries)
    assert len(written) == 1 and "audit_auditevent" in written[0], written


def test_the_idle_clock_moves_on_at_most_once_a_refresh_period(signed_in, episode):
    url = f"/children/{episode.child_id}/"
    period = settings.SESSION_REFRESH_SECONDS
    with time_machine.travel(START, tick=False) as clock:
        signed_in.get(url)
        expiry = Session.objects.get().expire_date
        clock.shift(period - 1)
        signed_in.get(url)
        assert Session.objects.get().expire_date == expiry  # not saved again
        clock.shift(2)
        signed_in.get(url)
        assert Session.objects.get().expire_date == expiry + dt.timedelta(seconds=period + 1)


def test_idle_for_the_session_age_signs_out(signed_in, episode):
    url = f"/children/{episode.child_id}/"
    with time_machine.travel(START, tick=False) as clock:
        assert signed_in.get(url).status_code == 200
        clock.shift(settings.SESSION_COOKIE_AGE - 5)
        assert signed_in.get(url).status_code == 200  # still active: the clock moved on
        clock.shift(settings.SESSION_COOKIE_AGE + 1)
        response = signed_in.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_signed_out_visitors_get_no_session(client, db):
    client.get("/login/")
    assert Session.objects.count() == 0


def redis_url() -> str | None:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI"):
            raise
        return None
    return url


def test_sessions_live_in_redis_when_redis_url_is_set(client, worker, episode):
    url = redis_url()
    if url is None:
        pytest.skip("no Redis on 127.0.0.1:6379 (CI runs this)")
    redis_cache = {"default": {"BACKEND": "closewell.core.cache.RedisCache", "LOCATION": url}}
    with override_settings(CACHES=redis_cache, SESSION_ENGINE="django.contrib.sessions.backends.cache"):
        try:
            client.force_login(worker)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/children/{episode.child_id}/").status_code == 200
            key = client.cookies[settings.SESSION_COOKIE_NAME].value
            stored = caches["default"].get(f"django.contrib.sessions.cache{key}")
            assert stored and stored["_auth_user_id"] == str(worker.pk)
            assert Session.objects.count() == 0
            assert [w for w in writes(queries.captured_queries) if "audit_auditevent" not in w] == []
            assert AuditEvent.objects.filter(actor=worker).exists()
        finally:
            caches["default"].clear()
            caches["default"].close()
