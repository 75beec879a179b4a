"""Faults: the database unavailable (a real gunicorn pointed at a database that does not answer),
and the server killed in the middle of authorisations (a real gunicorn on PostgreSQL, SIGKILLed)."""

import http.client as http_client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]
GUNICORN = Path(sys.executable).parent / "gunicorn"
UNREACHABLE = "postgres://postgres@127.0.0.1:1/none"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {process.stderr.read().decode()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("gunicorn did not start listening")


def start_gunicorn(database_url: str, *, workers: int = 1, extra_env: dict | None = None):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "0",
        **(extra_env or {}),
    }
    process = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
        [
            str(GUNICORN),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--graceful-timeout",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    wait_for(port, process)
    return process, f"http://127.0.0.1:{port}"


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def fetch(url: str, data: dict | None = None, cookies: str = "") -> tuple[int, dict, str]:
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Cookie": cookies} if cookies else {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (a local test server)
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


# --- The database unavailable ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def server_without_database():
    process, base = start_gunicorn(UNREACHABLE)
    yield base
    stop(process)


def test_healthz_says_the_database_is_unavailable(server_without_database):
    status, _, body = fetch(server_without_database + "/healthz")
    assert status == 503
    assert '"database": "unavailable"' in body


def test_a_page_answers_the_503_page_with_retry_after(server_without_database):
    # A signed-in user's request: loading the session needs the database.
    status, headers, body = fetch(server_without_database + "/cases/", cookies="sessionid=abc123abc123")
    assert status == 503
    assert headers["Retry-After"] == "60"
    assert "Sorry, the service is unavailable" in body
    assert "Traceback" not in body


CSRF = "a" * 32  # a CSRF secret; the same value posted back passes the check without the database

TYPED = {
    "note": "Saw Ruby at school. She said <b>“I’m fine”</b> & smiled.\nSecond line.",
    "occurred_at_day": "21",
    "reason_for_involvement": "Referred by the school.",
    "extra_detail": "Kept too.",
    "password": "never shown",
}


def test_a_failed_post_shows_back_what_was_typed(server_without_database):
    status, headers, body = fetch(
        server_without_database + "/children/1/contacts/add/",
        data={**TYPED, "csrfmiddlewaretoken": CSRF},
        cookies=f"sessionid=abc123abc123; csrftoken={CSRF}",
    )
    assert status == 503
    assert headers["Retry-After"] == "60"
    assert "What you typed has not been saved" in body
    boxes = dict(
        re.findall(
            r'<label class="govuk-label" for="typed-\d+">([^<]*)</label>\s*'
            r"<textarea[^>]*readonly>([^<]*)</textarea>",
            body,
        )
    )
    # Labelled as the form labels them, or the field's name in words where no form declares it.
    assert boxes["Note of the contact"] == (
        "Saw Ruby at school. She said &lt;b&gt;“I’m fine”&lt;/b&gt; &amp; smiled.\nSecond line."
    )
    assert boxes["When was the contact? (day)"] == "21"
    assert boxes["Why were services provided?"] == "Referred by the school."
    assert boxes["Extra detail"] == "Kept too."
    assert "password" not in boxes and "never shown" not in body
    assert CSRF not in body
    assert "<b>" not in body


def test_sign_in_without_the_database_answers_503_keeping_the_username(server_without_database):
    status, _, body = fetch(
        server_without_database + "/login/",
        data={"username": "wendy.ash", "password": "secret-words", "csrfmiddlewaretoken": CSRF},
        cookies=f"csrftoken={CSRF}",
    )
    assert status == 503
    assert "wendy.ash" in body
    assert "secret-words" not in body


@pytest.mark.django_db
def test_in_process_a_database_error_in_a_view_is_the_503_page(monkeypatch, django_user_model):
    """The same in the test process: a view whose query fails answers 503, not 500."""
    user = django_user_model.objects.create_user("d", role="data_officer")
    client = Client(raise_request_exception=False)
    client.force_login(user)

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("closewell.cases.views.children_search", down)
    response = client.get("/search/", {"q": "Ruby"})
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert b"Sorry, the service is unavailable" in response.content


# --- SIGKILL during authorisations under load -----------------------------------------------------

RECORDS = 40
THREADS = 8
KILL_AFTER = 10  # authorisations answered before the server is killed


def postgres_admin_url() -> str:
    """The PostgreSQL server to create the throwaway database on: the suite's own when it runs on
    PostgreSQL (CI's second pass), else the local default."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urllib.parse.urlsplit(url)
        return urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    return os.environ.get("KILL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def kill_database():
    """A database of its own on PostgreSQL, migrated, dropped afterwards. Skipped only where no
    PostgreSQL answers (CI has one)."""
    psycopg = pytest.importorskip("psycopg")
    admin_url = postgres_admin_url()
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        if os.environ.get("CI") and os.environ.get("DATABASE_URL", "").startswith("postgres"):
            pytest.fail(f"PostgreSQL is not reachable in CI: {error}")
        pytest.skip(f"PostgreSQL is not reachable: {error}")
    name = f"closewell_kill_{os.getpid()}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    url = urllib.parse.urlunsplit(urllib.parse.urlsplit(admin_url)._replace(path=f"/{name}"))
    try:
        manage(url, "migrate", "--noinput")
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def manage(database_url: str, *args: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": database_url}
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def http(base: str, method: str, path: str, data: dict | None = None, cookies: str = ""):
    """One request, no redirects followed: (status, Set-Cookie values)."""
    parts = urllib.parse.urlsplit(base)
    connection = http_client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        body = urllib.parse.urlencode(data) if data is not None else None
        headers = {"Cookie": cookies}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.headers.get_all("Set-Cookie") or []
    finally:
        connection.close()


@pytest.mark.slow
def test_sigkill_during_authorisations_leaves_no_half_closed_episode(kill_database):
    from closewell.security.tests import kill_scenario  # noqa: PLC0415 (only for its constants)

    out = manage(
        kill_database,
        "shell",
        "-c",
        f"from closewell.security.tests.kill_scenario import prepare; prepare({RECORDS})",
    )
    record_pks = json.loads(out.strip().splitlines()[-1])
    assert len(record_pks) == RECORDS

    process, base = start_gunicorn(kill_database, workers=3)
    try:
        status, cookies = http(
            base,
            "POST",
            "/login/",
            {"username": "kill.manager", "password": kill_scenario.PASSWORD, "csrfmiddlewaretoken": CSRF},
            cookies=f"csrftoken={CSRF}",
        )
        assert status == 302, status
        session = next(c.split(";")[0] for c in cookies if c.startswith("sessionid="))
        jar = f"{session}; csrftoken={CSRF}"

        todo: queue.Queue = queue.Queue()
        for pk in record_pks:
            todo.put(pk)
        answered, failed = [], []
        lock = threading.Lock()
        enough = threading.Event()

        def authorise_some():
            while not todo.empty():
                try:
                    pk = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    status, _ = http(
                        base, "POST", f"/closures/{pk}/authorise/", {"csrfmiddlewaretoken": CSRF}, cookies=jar
                    )
                except OSError as error:
                    with lock:
                        failed.append((pk, repr(error)))
                    continue
                with lock:
                    answered.append((pk, status))
                    if len(answered) >= KILL_AFTER:
                        enough.set()

        threads = [threading.Thread(target=authorise_some) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        assert enough.wait(timeout=600), f"too few answers before the kill: {answered} {failed}"
        # SIGKILL the master and every worker at once, mid-flight: no chance to finish anything.
        os.killpg(process.pid, signal.SIGKILL)
        for thread in threads:
            thread.join(timeout=180)
    finally:
        stop(process)

    assert all(status == 302 for _, status in answered), answered
    import psycopg  # noqa: PLC0415 (imported by the fixture already, or the test skipped)

    with psycopg.connect(kill_database) as connection:
        rows = connection.execute(
            """SELECT r.id, r.status, r.authorised_at IS NOT NULL, r.snapshot_sha256 <> '',
                      e.status, e.closure_date IS NOT NULL, e.reason_for_closure
               FROM closures_closurerecord r JOIN cases_episode e ON e.id = r.episode_id
               WHERE r.id = ANY(%s)""",
            (record_pks,),
        ).fetchall()
    assert len(rows) == RECORDS
    closed = [row for row in rows if row[1] == "authorised"]
    waiting = [row for row in rows if row[1] == "submitted"]
    assert len(closed) + len(waiting) == RECORDS, rows
    # (authorised_at set, content frozen, episode status, closure date set, reason for closure)
    for pk, _, *state in closed:
        assert tuple(state) == (True, True, "closed", True, "RC7"), f"record {pk}: {state}"
    for pk, _, *state in waiting:
        assert tuple(state[:4]) == (False, False, "closing", False), f"record {pk}: {state}"
    # Every authorisation the server answered stuck; the kill came before the last of them.
    assert {pk for pk, _ in answered} <= {row[0] for row in closed}
    assert waiting, "the server finished every authorisation before it was killed"
    # The audit trail is whole: what committed before the kill but was not yet sealed is sealed now, and
    # every event links to the one before, the head included.
    checked = manage(
        kill_database,
        "shell",
        "-c",
        "from closewell.audit.services import seal_pending, verify_chain; "
        "seal_pending(wait=True); print(sum(verify_chain()))",
    )
    assert int(checked.strip().splitlines()[-1]) > RECORDS
