"""Development on one machine: `make run`. Debug on, a fixed throwaway key."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "local-development-only-not-a-secret-0123456789abcdef"  # noqa: S105
