"""Settings for every environment; reads the environment. The other modules only override."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "closewell.core",
    "closewell.accounts",
    "closewell.cases",
    "closewell.closures",
    "closewell.documents",
    "closewell.audit",
    "closewell.web",
    # After closewell.web, whose templates/admin/ restyle the admin; the council's admin site and the
    # third-party apps' plain names are in closewell/web/apps.py.
    "closewell.web.apps.CouncilAdminConfig",
    "closewell.ssd",
    "closewell.api",
    "rest_framework",
    "drf_spectacular",
    "closewell.advice",
    "closewell.census",
    "closewell.reports",
    "closewell.security",
    "closewell.demo",
    "closewell.drafts",
    "closewell.familyhelp",
    "closewell.web.apps.SignInsConfig",
    "django_otp",
    "closewell.web.apps.AuthenticatorAppsConfig",
    "django_tasks",
    "django_tasks_db",
    "closewell.outbox",
    "closewell.jobs",
]
# The admin registers its own versions of django-axes' pages (closewell/accounts/admin.py).
AXES_ENABLE_ADMIN = False

MIDDLEWARE = [
    # Outermost: a database that does not answer gives the 503 page, whatever inside needed it.
    "closewell.security.middleware.DatabaseUnavailableMiddleware",
    "closewell.security.middleware.NullCharacterMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "closewell.security.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "closewell.security.sessions.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Before LoginRequiredMiddleware: a form posted after the idle sign-out is kept, not lost.
    "closewell.drafts.middleware.DraftMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "closewell.security.middleware.TwoFactorMiddleware",
    # A Family Help lead practitioner reaches their handovers only: any other URL answers 404.
    "closewell.familyhelp.middleware.ConfinedRoleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "closewell.web.context_processors.service",
                "closewell.drafts.context_processors.session_timeout",
            ],
            # {% heading %}, {% table_region %} and the small filters in every template without a load.
            "builtins": ["closewell.web.templatetags.closewell"],
        },
    },
]
# Forms render through GOV.UK templates (closewell/web/templates/govuk/forms/).
FORM_RENDERER = "closewell.web.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        # An empty DATABASE_URL (a blank line in an environment file) is the default, not an error.
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'closewell.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time; wait rather than fail when another request holds the lock. The connection is
    # kept between requests as PostgreSQL's is (CONN_MAX_AGE): a new one reads the whole schema before its
    # first query, about 1 ms of CPU, more than the rest of a signed-in request before its view.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
elif env_bool("PREPARED_STATEMENTS", True):
    # PostgreSQL plans a query again each time it is sent as text: for a case page's 15 index lookups
    # that planning took three times as long as running them. Sent with server-side binding, a query a
    # connection has run 5 times (prepare_threshold) is prepared and its plan kept for that connection.
    # PREPARED_STATEMENTS=0 behind a pooler that cannot keep them (PgBouncer before 1.21 in
    # transaction mode).
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "server_side_binding": True,
        "prepare_threshold": 5,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes first: it refuses a locked-out username and address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's password backend, keeping to LOCAL_SIGN_IN when single sign-on is on.
    "closewell.security.sso.PasswordBackend",
    "closewell.accounts.permissions.RoleBackend",
    # Single sign-on: authenticates only from a verified callback (closewell.security.sso).
    "closewell.security.sso.Backend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after 30 minutes idle: a shared office computer must not stay signed in. The idle clock is
# pushed on at most once a minute (closewell.security.sessions), not saved on every request: a page read
# then writes only its audit event.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
SESSION_REFRESH_SECONDS = min(60, SESSION_COOKIE_AGE // 10)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# A dialog warns this many seconds before the idle sign-out ("Stay signed in"); typing in a form
# counts as activity. What was typed into a form and not saved is kept for its author this long.
SESSION_WARNING_SECONDS = int(os.environ.get("SESSION_WARNING_SECONDS", "120"))
DRAFT_KEEP_SECONDS = int(os.environ.get("DRAFT_KEEP_SECONDS", str(24 * 60 * 60)))
CSRF_COOKIE_HTTPONLY = True

# With REDIS_URL (e.g. redis://127.0.0.1:6379/0) sessions live in Redis, so app servers keep no state and a
# page read writes no session row; without it, sessions stay in the database (nothing to install), read by
# closewell.security.sessions.SessionStore (Django's, with its lookup written out as SQL).
SESSION_ENGINE = "closewell.security.sessions"
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # The writing advice on a record's text (closewell.advice.selectors), which quotes the text: in each
    # process's own memory, never in a shared cache.
    "advice": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "advice"},
}
if REDIS_URL:
    CACHES["default"] = {"BACKEND": "closewell.core.cache.RedisCache", "LOCATION": REDIS_URL}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"

# Background work (emails, exports, imports) goes through Django's task interface (the django-tasks
# backport of Django 6's django.tasks): one task definition, run by the queue TASK_QUEUE names.
# "database" (the default): tasks wait in a table of the app's own database (SQLite or PostgreSQL),
# nothing else to install; `manage.py run_worker` runs them. "redis": RQ on TASK_REDIS_URL (default
# REDIS_URL), for several workers across machines; `manage.py run_worker` then runs an RQ worker.
TASK_QUEUE = os.environ.get("TASK_QUEUE", "database").strip().lower()
TASK_REDIS_URL = os.environ.get("TASK_REDIS_URL", REDIS_URL or "redis://127.0.0.1:6379/0")
TASK_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    "redis": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
}
if TASK_QUEUE not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASK_QUEUE must be one of {', '.join(TASK_BACKENDS)}, not {TASK_QUEUE!r}.")
TASKS = {"default": TASK_BACKENDS[TASK_QUEUE]}
RQ_QUEUES = {"default": {"URL": TASK_REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
if TASK_QUEUE == "redis":
    INSTALLED_APPS.append("django_rq")  # its rqworker command, which run_worker calls
# The worker proves it is alive by running a heartbeat task the scheduler (`manage.py run_scheduler`)
# queues every WORKER_HEARTBEAT_SECONDS; `manage.py worker_health` and /healthz?worker=1 fail when the
# last one ran longer ago than WORKER_STALE_SECONDS.
WORKER_HEARTBEAT_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_SECONDS", "60"))
WORKER_STALE_SECONDS = int(os.environ.get("WORKER_STALE_SECONDS", "300"))
# Every email goes through the outbox (closewell.outbox): written in the transaction of the change it
# tells of, then sent by a task. A failed send is tried again after OUTBOX_RETRY_SECONDS, doubling
# each time, OUTBOX_MAX_ATTEMPTS times in all; then it shows in the admin as an email that could not
# be sent. An SMTP server that does not answer is given up on after EMAIL_TIMEOUT seconds.
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "5"))
OUTBOX_RETRY_SECONDS = int(os.environ.get("OUTBOX_RETRY_SECONDS", "60"))
# Files an export or import started from a page writes (closewell.jobs), kept this many days.
JOB_FILES_DAYS = int(os.environ.get("JOB_FILES_DAYS", "7"))

# The audit sealer runs after a commit at most this often per process (closewell.audit.services).
AUDIT_SEAL_SECONDS = float(os.environ.get("AUDIT_SEAL_SECONDS", "5"))

# Sign-in throttling (django-axes): 5 failures for one username from one address lock that pair
# out for 15 minutes; a success clears the count. Guessing passwords becomes slow, and one person
# mistyping cannot lock out the whole office behind one address.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind reverse proxies (a load balancer, nginx), how many append to X-Forwarded-For: throttling
# then counts failures by the client's address, not the proxy's (closewell/security/addresses.py).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "closewell.security.addresses.client_address"

# Two-factor sign-in (TOTP, django-otp) for the roles that authorise and administer. On in
# production (config/settings/production.py); off here so that development and tests sign in with
# a password alone unless they turn it on.
REQUIRE_TWO_FACTOR = env_bool("REQUIRE_TWO_FACTOR", False)
# Every role that reads children beyond one team (managers of several teams, the data officer, who
# reads every child) or runs accounts. Production adds these to whatever the environment says.
CROSS_TEAM_ROLES = ("team_manager", "data_officer", "administrator")
OTP_REQUIRED_FOR_ROLES = env_list("OTP_REQUIRED_FOR_ROLES", ",".join(CROSS_TEAM_ROLES))
# An authenticator app is set up only with a one-time enrolment code from an administrator (or
# `manage.py issue_enrolment_code` on the server, for the first one); a code lasts this long.
ENROLMENT_CODE_HOURS = int(os.environ.get("ENROLMENT_CODE_HOURS", "72"))
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Closewell")
# The admin never shows an authenticator's secret or QR code: an administrator can remove a lost
# device, not copy someone's second factor.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Single sign-on with the council's identity provider (OpenID Connect, e.g. Microsoft Entra ID), through
# mozilla-django-oidc (closewell/security/sso.py). On when a client id and the provider's issuer are set;
# without them local passwords are the only way in, as for the demo and councils without a provider.
# Role and team come from the groups claim through the mappings administrators set (security.GroupMapping).
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
# The ID token carries every claim used; a userinfo endpoint is asked too only if set.
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID and OIDC_OP_ISSUER)
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid profile email")
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT_SECONDS", "10"))
# Shown on the sign-in page's button: "Sign in with <name>".
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "your council account")
# Which claims say who someone is: a stable id (Entra ID: "oid"), the username shown in Closewell, and
# the groups (Entra ID: "groups", object ids unless the app is set to send names).
OIDC_SUBJECT_CLAIM = os.environ.get("OIDC_SUBJECT_CLAIM", "sub")
OIDC_USERNAME_CLAIM = os.environ.get("OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")
# The provider's `amr` values that mean it checked a second factor: then Closewell does not ask for its
# own authenticator code as well. Empty: always ask (REQUIRE_TWO_FACTOR and the role decide).
OIDC_MFA_AMR_VALUES = env_list("OIDC_MFA_AMR_VALUES", "mfa")
# Whether people may still sign in with a Closewell password when single sign-on is on: "all",
# "administrators" (a break-glass account for when the provider is down) or "none".
LOCAL_SIGN_IN = os.environ.get("LOCAL_SIGN_IN", "all")
if LOCAL_SIGN_IN not in {"all", "administrators", "none"}:
    raise ImproperlyConfigured("LOCAL_SIGN_IN must be all, administrators or none.")

# Content-Security-Policy: scripts only from our own static files (no inline script, no eval),
# nothing may frame the pages, forms post only to us. Signatures are drawn to a canvas and shown as
# data: PNGs. Inline style *attributes* are allowed (reports' SVG charts size themselves with
# them); <style> elements and style sheets from elsewhere are not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "closewell@example.invalid")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))

# The council running this copy: shown in the header and printed on every record.
COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Northmoor Borough Council")
COUNCIL_LA_CODE = os.environ.get("COUNCIL_LA_CODE", "999")
SERVICE_NAME = "Closewell"
# Where the Beta banner's "Tell the digital team" link goes: a mailto: address or a form's URL.
FEEDBACK_URL = os.environ.get(
    "FEEDBACK_URL", "mailto:digital.team@northmoor.example?subject=Closewell%20feedback"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}


def require_secret_key() -> None:
    """Refuse to start without a real secret key: sessions and CSRF depend on it."""
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "Set SECRET_KEY to a random string of at least 50 characters "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))").'
        )


# Closure Record timeliness: overdue when not submitted within this many working days of the
# decision to close, or not authorised within this many working days of submission.
CLOSURE_SUBMIT_WORKING_DAYS = int(os.environ.get("CLOSURE_SUBMIT_WORKING_DAYS", "15"))
CLOSURE_AUTHORISE_WORKING_DAYS = int(os.environ.get("CLOSURE_AUTHORISE_WORKING_DAYS", "5"))
# A handover to Family Help not accepted or declined within this many working days of the record's
# authorisation is overdue: listed for the closing team's managers.
HANDOVER_ACKNOWLEDGE_WORKING_DAYS = int(os.environ.get("HANDOVER_ACKNOWLEDGE_WORKING_DAYS", "5"))

# Writing advice on the Closure Record (never blocking): the council's target for Flesch reading
# ease (higher is easier; 60 is plain English) and the sentence length, in words, that is marked long.
ADVICE_READING_EASE_TARGET = float(os.environ.get("ADVICE_READING_EASE_TARGET", "60"))
ADVICE_LONG_SENTENCE_WORDS = int(os.environ.get("ADVICE_LONG_SENTENCE_WORDS", "25"))


# The JSON API (/api/v1): token authentication only, JSON only, every list paginated.
# API tokens are for other systems and skip the two-factor step; each works for at most this many days.
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["closewell.api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "closewell.api.authentication.ReachesView",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["closewell.api.parsers.SafeJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "closewell.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "closewell.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "closewell.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Closewell API",
    "DESCRIPTION": (
        "Children, episodes, contacts, plans and Closure Records, for the council's other systems."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ContactKindEnum": "closewell.cases.models.ContactType",
        "PlanKindEnum": "closewell.cases.models.PlanType",
        "EpisodeStatusEnum": "closewell.cases.models.EpisodeStatus",
        "RecordStatusEnum": "closewell.closures.models.Status",
        "CategoryOfAbuseEnum": "closewell.cases.codes.CategoryOfAbuse",
        "ReasonForClosureEnum": "closewell.cases.codes.ReasonForClosure",
        "DisclosureProfileEnum": "closewell.documents.models.Profile",
        "SignatureMethodEnum": "closewell.documents.models.SignatureMethod",
        "CopyMethodEnum": "closewell.documents.models.CopyMethod",
    },
}
