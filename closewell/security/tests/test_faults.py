"""Faults: the database unavailable (a real gunicorn pointed at a database that does not answer),
and the server killed in the middle of authorisations (a real gunicorn on PostgreSQL, SIGKILLed)."""

import os
import re
import signal
import socket
import subprocess
import sys
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
    "occurred_at_0": "21/11/2026",
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
    assert boxes["note"] == (
        "Saw Ruby at school. She said &lt;b&gt;“I’m fine”&lt;/b&gt; &amp; smiled.\nSecond line."
    )
    assert boxes["occurred_at_0"] == "21/11/2026"
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

    monkeypatch.setattr("closewell.web.views.children_search", down)
    response = client.get("/search/", {"q": "Ruby"})
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert b"Sorry, the service is unavailable" in response.content
