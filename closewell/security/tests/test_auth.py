"""Signing in: Argon2 hashes, throttling after repeated failures, 30 minutes idle, two-factor for
managers and administrators, and `check --deploy` clean with production settings."""

import datetime as dt
import importlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from closewell.accounts.models import Role, Team, User
from closewell.security.services import enrolment_code_issue

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "a-long-enough-password-42"


@pytest.fixture
def worker(db):
    east = Team.objects.create(name="East")
    return User.objects.create_user("wendy", password=PASSWORD, role=Role.SOCIAL_WORKER, team=east)


@pytest.fixture
def manager(db):
    return User.objects.create_user("mo", password=PASSWORD, role=Role.TEAM_MANAGER)


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


# --- Argon2 ---------------------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2_outside_the_tests():
    for module in ("config.settings.base", "config.settings.local"):
        hashers = importlib.import_module(module).PASSWORD_HASHERS
        assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher", module
    with override_settings(PASSWORD_HASHERS=importlib.import_module("config.settings.base").PASSWORD_HASHERS):
        assert identify_hasher(make_password("x" * 12)).algorithm == "argon2"


# --- Throttling (django-axes) ---------------------------------------------------------------------


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True


def test_five_wrong_passwords_lock_the_username_for_15_minutes(axes_on, worker, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=False)
    client = Client()
    for _ in range(4):
        assert sign_in(client, "wendy", "wrong password").status_code == 200
    locked = sign_in(client, "wendy", "wrong password")
    assert locked.status_code == 429
    assert b"You cannot sign in for 15 minutes" in locked.content
    assert b"IT service desk" in locked.content
    # Locked out: even the right password is refused, and says why.
    again = sign_in(client, "wendy")
    assert again.status_code == 429
    assert b"You cannot sign in for 15 minutes" in again.content
    # Another address, or another username, is not locked: one person cannot lock out the office.
    assert sign_in(Client(), "wendy", REMOTE_ADDR="10.0.0.9").status_code == 302
    # After 15 minutes the right password works again.
    time_machine.move_to(dt.datetime(2026, 11, 23, 9, 16, tzinfo=dt.UTC), tick=False)
    assert sign_in(Client(), "wendy").status_code == 302


def test_a_success_clears_the_count(axes_on, worker):
    client = Client()
    for _ in range(4):
        sign_in(client, "wendy", "wrong password")
    assert sign_in(client, "wendy").status_code == 302
    client.post("/logout/")
    for _ in range(4):
        assert sign_in(client, "wendy", "wrong password").status_code == 200
    assert sign_in(client, "wendy").status_code == 302


def test_throttling_counts_the_clients_address_behind_trusted_proxies_only(axes_on, worker, settings):
    # No proxy: a client's own X-Forwarded-For is ignored, so a new header each time escapes nothing.
    client = Client()
    for attempt in range(5):
        sign_in(client, "wendy", "wrong password", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}")
    assert sign_in(client, "wendy", HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429
    # Behind one proxy (all requests come from its address), the address it appends is the
    # client's: the locked-out client stays locked, a colleague behind the same proxy does not.
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(5):
        sign_in(Client(), "wendy", "wrong password", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", **proxy)
    assert sign_in(Client(), "wendy", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 429
    assert sign_in(Client(), "wendy", HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy).status_code == 302


def test_throttling_is_on_outside_the_tests():
    base = importlib.import_module("config.settings.base")
    assert base.AXES_FAILURE_LIMIT == 5
    assert base.AXES_COOLOFF_TIME == dt.timedelta(minutes=15)
    assert "axes.backends.AxesStandaloneBackend" == base.AUTHENTICATION_BACKENDS[0]
    assert base.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


# --- Sessions end after 30 minutes idle -----------------------------------------------------------


def test_a_session_ends_after_30_minutes_idle_but_not_while_in_use(worker, time_machine):
    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    client = Client()
    assert sign_in(client, "wendy").status_code == 302
    # In use: each request moves the end on (SESSION_SAVE_EVERY_REQUEST), so an hour's work with
    # pauses under 30 minutes never signs the worker out.
    for minutes in (29, 58, 87):
        time_machine.move_to(start + dt.timedelta(minutes=minutes), tick=False)
        assert client.get("/cases/").status_code == 200, f"signed out after {minutes} minutes in use"
    # Idle for 31 minutes: signed out.
    time_machine.move_to(start + dt.timedelta(minutes=87 + 31), tick=False)
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# --- Two-factor sign-in (django-otp TOTP) ---------------------------------------------------------


def code_for(device: TOTPDevice) -> str:
    """The code the manager's authenticator app shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def wrong_code(device: TOTPDevice) -> str:
    return "000000" if code_for(device) != "000000" else "111111"


@pytest.fixture
def two_factor(settings):
    settings.REQUIRE_TWO_FACTOR = True


def test_two_factor_is_off_by_default_and_on_in_production():
    assert importlib.import_module("config.settings.base").REQUIRE_TWO_FACTOR is False
    assert set(importlib.import_module("config.settings.base").OTP_REQUIRED_FOR_ROLES) == {
        Role.TEAM_MANAGER,
        Role.DATA_OFFICER,
        Role.ADMINISTRATOR,
    }
    assert (
        'REQUIRE_TWO_FACTOR = env_bool("REQUIRE_TWO_FACTOR", True)'
        in (ROOT / "config/settings/production.py").read_text()
    )


def test_a_manager_sets_up_an_app_then_gives_its_code(two_factor, manager, time_machine):
    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    client = Client()
    assert sign_in(client, "mo").status_code == 302
    # Password alone: every page sends the manager to give a code; with no app yet, to set one up.
    response = client.get("/team/")
    assert response.status_code == 302
    assert response["Location"] == "/two-factor/"
    response = client.get("/two-factor/")
    assert response["Location"] == "/two-factor/setup/"
    # Setting up an app needs the one-time code an administrator issued (test_enrolment).
    code = enrolment_code_issue(actor=None, user=manager)
    assert client.post("/two-factor/setup/", {"enrolment_code": code}).status_code == 302
    page = client.get("/two-factor/setup/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    secret = page.context["secret"]
    assert secret.encode() in page.content
    assert b"otpauth://totp/" in page.content
    assert b"<svg" in page.content
    # A wrong code does not confirm the app.
    wrong = client.post("/two-factor/setup/", {"code": wrong_code(device)})
    assert wrong.status_code == 200
    assert b"The code is not right" in wrong.content
    assert client.get("/team/").status_code == 302
    # django-otp slows guessing: the next try waits a second after a wrong one.
    time_machine.move_to(start + dt.timedelta(seconds=5), tick=False)
    done = client.post("/two-factor/setup/", {"code": code_for(device)})
    assert done.status_code == 302
    assert client.get("/team/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    # Next time: password, then the code from the confirmed app.
    time_machine.move_to(start + dt.timedelta(minutes=5), tick=False)
    later = Client()
    sign_in(later, "mo")
    assert later.get("/team/")["Location"] == "/two-factor/"
    assert later.get("/two-factor/setup/")["Location"] == "/two-factor/"
    assert b"Enter the code as 6 digits" in later.post("/two-factor/", {"code": "12345x"}).content
    assert b"The code is not right" in later.post("/two-factor/", {"code": wrong_code(device)}).content
    assert later.get("/team/").status_code == 302
    time_machine.move_to(start + dt.timedelta(minutes=5, seconds=5), tick=False)
    device.refresh_from_db()
    assert later.post("/two-factor/", {"code": code_for(device)}).status_code == 302
    assert later.get("/team/").status_code == 200


def test_a_worker_signs_in_with_a_password_alone(two_factor, worker):
    client = Client()
    sign_in(client, "wendy")
    assert client.get("/cases/").status_code == 200


def test_a_data_officer_needs_the_code_too(two_factor, db):
    """The data officer reads every child: a password alone is not enough."""
    User.objects.create_user("dee", password=PASSWORD, role=Role.DATA_OFFICER)
    client = Client()
    sign_in(client, "dee")
    assert client.get("/search/")["Location"] == "/two-factor/"


def test_production_asks_every_role_that_reads_across_teams_whatever_the_environment_says():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "closewell.example.org",
        "OTP_REQUIRED_FOR_ROLES": "administrator",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.REQUIRE_TWO_FACTOR, ','.join(sorted(settings.OTP_REQUIRED_FOR_ROLES)))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["True", "administrator,data_officer,team_manager"], result.stderr


def test_an_administrator_needs_the_code_too(two_factor, db):
    User.objects.create_user("admin", password=PASSWORD, role=Role.ADMINISTRATOR, is_staff=True)
    client = Client()
    sign_in(client, "admin")
    assert client.get("/admin/")["Location"] == "/two-factor/"


def test_without_the_setting_a_manager_signs_in_with_a_password(manager):
    client = Client()
    sign_in(client, "mo")
    assert client.get("/team/").status_code == 200


# --- check --deploy -------------------------------------------------------------------------------


def test_check_deploy_reports_nothing_with_production_settings():
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never does.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "closewell.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_with_the_code_owed_the_menu_shows_only_sign_out_and_set_up_says_it_worked(
    two_factor, manager, time_machine
):
    """No menu links that would all lead back to the code page; a success message once the app is set
    up; and a code just accepted, given again, is said to be used, not wrong."""
    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    client = Client()
    sign_in(client, "mo")
    code = enrolment_code_issue(actor=None, user=manager)
    client.post("/two-factor/setup/", {"enrolment_code": code})
    page = client.get("/two-factor/setup/").content.decode()
    menu = page[page.index('id="navigation"') : page.index("</nav>")]
    assert "Team cases" not in menu and "Search" not in menu and "Sign out" in menu
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    done = client.post("/two-factor/setup/", {"code": code_for(device)}, follow=True)
    assert "Two-factor sign-in is set up" in done.content.decode()
    assert "Team cases" in done.content.decode()

    # The same code again, in the same 30 seconds, from a new sign-in.
    again = Client()
    sign_in(again, "mo")
    device.refresh_from_db()
    used = again.post("/two-factor/", {"code": code_for(device)}).content.decode()
    assert "That code has already been used" in used
    assert "The code is not right" not in used
