"""The test suite: fast hashing, in-memory email, the same database choice as base."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-a-secret-0123456789abcdef0123456789"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Sign-in throttling needs a request; Django's test Client.login() has none. The security tests
# turn it on where they test it.
AXES_ENABLED = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared memory: concurrency tests need SQLite's real locking between connections.
    # One file per test process, so that two runs on one machine never share a database.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"closewell-test-{os.getpid()}.sqlite3")
    }

# Tasks run as soon as they are queued (after the commit), so a test sees their effect at once; the
# queue tests (closewell/outbox/tests) run the real database and Redis queues with their workers.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
