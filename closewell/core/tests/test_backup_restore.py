"""The backup of PostgreSQL restores whole: scripts/backup-restore-check.sh dumps the test database,
restores it into a new one and compares every table's row count and the audit chain (PostgreSQL only)."""

import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from django.db import connection

from closewell.demo.demo import load_demo

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "backup-restore-check.sh"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL's backup: run with DATABASE_URL=postgres://… (CI does)",
    ),
]


def database_url() -> str:
    s = connection.settings_dict
    user = urllib.parse.quote(s["USER"] or "")
    password = f":{urllib.parse.quote(s['PASSWORD'])}" if s["PASSWORD"] else ""
    return f"postgres://{user}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def run_script(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own script, our own arguments)
        ["/bin/bash", str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def test_the_backup_restores_whole(tmp_path):
    load_demo()
    env = {**os.environ, "PYTHON": sys.executable, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    env.pop("DATABASE_URL", None)
    done = run_script(database_url(), "--keep", str(tmp_path), env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Row counts match" in done.stdout and "Audit chain intact" in done.stdout
    assert list(tmp_path.glob("closewell-*.dump"))


def test_a_restore_that_loses_rows_is_caught(tmp_path):
    """The comparison is real: a restore that loses a table's rows fails, naming the table."""
    load_demo()
    fake = tmp_path / "pg_restore"
    # pg_restore, then the contacts lost from the copy.
    fake.write_text(
        "#!/usr/bin/env bash\n"
        "set -e\n"
        '/usr/bin/pg_restore "$@"\n'
        'for arg in "$@"; do case "$arg" in --dbname=*) db="${arg#--dbname=}" ;; esac; done\n'
        'psql -q -X "$db" -c "TRUNCATE cases_contact CASCADE"\n'
    )
    fake.chmod(0o755)
    env = {
        **os.environ,
        "PYTHON": sys.executable,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PATH": f"{tmp_path}:{os.environ['PATH']}",
    }
    env.pop("DATABASE_URL", None)
    done = run_script(database_url(), env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "row counts differ" in done.stderr and "-cases_contact " in done.stdout
