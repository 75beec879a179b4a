"""Production: secret key required, HTTPS only, static files compressed and hashed."""

from .base import *  # noqa: F403
from .base import CROSS_TEAM_ROLES, OTP_REQUIRED_FOR_ROLES, STORAGES, env_bool, require_secret_key

require_secret_key()

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
REQUIRE_TWO_FACTOR = env_bool("REQUIRE_TWO_FACTOR", True)
# Two-factor for every role that reads children across teams, whatever the environment lists.
OTP_REQUIRED_FOR_ROLES = sorted({*OTP_REQUIRED_FOR_ROLES, *CROSS_TEAM_ROLES})
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "closewell.web.storage.StaticStorage"},
}
