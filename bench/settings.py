"""Settings for benchmark runs: the local settings with debug off (no query log in memory), any host
(the test Client's 'testserver', gunicorn on loopback) and a URL map that adds a bare "hello" view."""

import os

from config.settings.local import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
# Connections kept between requests as production keeps them (the local settings open one a request,
# for runserver's thread a request); gunicorn's workers serve every request from one thread.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))  # noqa: F405
ROOT_URLCONF = "bench.urls"
# Argon2 for real logins (locust) would dominate a short run; the bench users' hashes are PBKDF2-cheap.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S105 — bench-only DB

import warnings  # noqa: E402

# STATIC_ROOT exists only after collectstatic; the pages measured never serve a static file.
warnings.filterwarnings("ignore", message="No directory at")
