"""Development on one machine: `make run`. Debug on, a fixed throwaway key."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, SECRET_KEY, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "local-development-only-not-a-secret-0123456789abcdef"  # noqa: S105
# runserver answers each request in a thread of its own, and a connection kept for the next request
# stays open after its thread ends: 235 open SQLite files after 400 pages. One connection a request
# here, as Django advises for the development server; gunicorn (production, make bench) keeps them.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "0"))
