"""Settings: production refuses to start without a real secret key; DATABASE_URL chooses the
database. Each case runs in a fresh interpreter, so the environment is read as at start-up."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from config.settings.base import env_bool, env_list

ROOT = Path(__file__).resolve().parents[3]
STRIPPED = ("SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CONN_MAX_AGE", "DEBUG")


def run(code: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in STRIPPED}
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def database(module="config.settings.base", **env) -> dict:
    result = run(f"import json, {module} as s; print(json.dumps(s.DATABASES['default'], default=str))", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


class TestProductionSecretKey:
    def test_refuses_to_import_without_secret_key(self):
        result = run("import config.settings.production")
        assert result.returncode != 0
        assert "SECRET_KEY" in result.stderr

    @pytest.mark.parametrize("key", ["", "short", "Ab3-" * 12, "x" * 60])
    def test_refuses_a_short_or_repetitive_key(self, key):
        assert run("import config.settings.production", SECRET_KEY=key).returncode != 0

    def test_starts_with_a_50_character_key(self):
        result = run(
            "import config.settings.production as s; "
            "assert not s.DEBUG and s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE; "
            "assert s.SECURE_HSTS_SECONDS >= 31536000 and s.SECURE_SSL_REDIRECT",
            SECRET_KEY="k" * 25 + "Q7-p!x0#zR" * 2 + "abcdefghij",
        )
        assert result.returncode == 0, result.stderr

    def test_local_settings_start_without_a_key(self):
        result = run("import config.settings.local as s; assert len(s.SECRET_KEY) >= 32 and s.DEBUG")
        assert result.returncode == 0, result.stderr


class TestDatabaseUrl:
    def test_sqlite_under_var_by_default(self):
        db = database()
        assert db["ENGINE"] == "django.db.backends.sqlite3"
        assert db["NAME"] == str(ROOT / "var" / "closewell.sqlite3")
        assert db["OPTIONS"] == {"timeout": 20, "transaction_mode": "IMMEDIATE"}
        # Kept between requests: a new SQLite connection parses the schema before its first query.
        assert db["CONN_MAX_AGE"] == 60 and db["CONN_HEALTH_CHECKS"] is True

    def test_the_development_server_opens_a_connection_a_request(self):
        """runserver's threads would each leave a kept connection open; gunicorn's bench keeps them."""
        assert database("config.settings.local")["CONN_MAX_AGE"] == 0
        assert database("config.settings.local", CONN_MAX_AGE="30")["CONN_MAX_AGE"] == 30
        assert database("bench.settings")["CONN_MAX_AGE"] == 60

    def test_an_empty_url_is_the_default(self):
        assert database(DATABASE_URL="")["NAME"] == str(ROOT / "var" / "closewell.sqlite3")

    def test_sqlite_url(self, tmp_path):
        path = tmp_path / "council.sqlite3"
        db = database(DATABASE_URL=f"sqlite:///{path}")
        assert db["ENGINE"] == "django.db.backends.sqlite3"
        assert db["NAME"] == str(path)
        assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"

    @pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
    def test_postgres_url(self, scheme):
        db = database(
            DATABASE_URL=f"{scheme}://closewell:s3cret@db.example.invalid:5433/closewell", CONN_MAX_AGE="120"
        )
        assert db["ENGINE"] == "django.db.backends.postgresql"
        assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("closewell", "closewell", "s3cret")
        assert (db["HOST"], int(db["PORT"])) == ("db.example.invalid", 5433)
        assert db["CONN_MAX_AGE"] == 120 and db["CONN_HEALTH_CHECKS"] is True
        assert "transaction_mode" not in db.get("OPTIONS", {})

    def test_production_reads_the_url_too(self):
        db = database(
            "config.settings.production",
            SECRET_KEY="sK9-x" * 11,
            DATABASE_URL="postgres://closewell@db.example.invalid/closewell",
        )
        assert db["ENGINE"] == "django.db.backends.postgresql"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, False),
        ("1", True),
        ("true", True),
        (" Yes ", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("", False),
    ],
)
def test_env_bool(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("CLOSEWELL_FLAG", raising=False)
    else:
        monkeypatch.setenv("CLOSEWELL_FLAG", value)
    assert env_bool("CLOSEWELL_FLAG") is expected


def test_env_bool_default(monkeypatch):
    monkeypatch.delenv("CLOSEWELL_FLAG", raising=False)
    assert env_bool("CLOSEWELL_FLAG", True) is True


def test_env_list(monkeypatch):
    monkeypatch.setenv("CLOSEWELL_HOSTS", " closewell.example.invalid, ,localhost,")
    assert env_list("CLOSEWELL_HOSTS") == ["closewell.example.invalid", "localhost"]
    assert env_list("CLOSEWELL_UNSET_LIST", "a,b") == ["a", "b"]


def test_safe_defaults_in_every_environment():
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE
    assert settings.AUTH_USER_MODEL == "accounts.User"
    assert settings.SESSION_COOKIE_AGE == 1800 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.USE_TZ and settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"


class TestPreparedStatements:
    URL = "postgres://closewell@db.example.invalid:5432/closewell"

    def test_postgresql_prepares_what_a_connection_runs_often(self):
        options = database(DATABASE_URL=self.URL)["OPTIONS"]
        assert options["server_side_binding"] is True and options["prepare_threshold"] == 5

    def test_switched_off_behind_a_pooler_that_cannot_keep_them(self):
        options = database(DATABASE_URL=self.URL, PREPARED_STATEMENTS="0").get("OPTIONS", {})
        assert "server_side_binding" not in options and "prepare_threshold" not in options

    def test_sqlite_has_no_such_options(self):
        assert "prepare_threshold" not in database()["OPTIONS"]
