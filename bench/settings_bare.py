"""A bare Django hello for bench.throughput: bench.settings with no middleware at all (no session, no
authentication, no database read), so /bench/bare/ is the floor /bench/hello/ is compared with."""

from .settings import *  # noqa: F403

MIDDLEWARE = []
