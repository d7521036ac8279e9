"""Settings for the Grassroots site, read from the environment.

Production is the default: ``DEBUG`` is off, and the site refuses to start without a
``SECRET_KEY`` of its own. Development is an explicit choice, ``GRASSROOTS_DEV=1`` (``make run``
and the tests set it): debug mode, and a fixed development key that the site refuses outside
development, since anyone can read it here and sign a login link with it. Untouched, the
database is a SQLite file in ``$GRASSROOTS_DATA_DIR`` (default ``var/`` under the current
directory) and email is printed to the console. docs/web.md lists every variable.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from grassroots.web.generics import generics_subscriptable

generics_subscriptable()

PACKAGE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected true or false")


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


def _env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """``Header-Name=value`` (e.g. ``X-Forwarded-Proto=https``) as Django's
    ``SECURE_PROXY_SSL_HEADER``; ``off`` for none."""
    value = os.environ.get(name, "").strip()
    if value.lower() in {"off", "none", "false"}:
        return None
    header, sep, expected = value.partition("=")
    if not sep or not header.strip() or not expected.strip():
        raise ImproperlyConfigured(f"{name}={value!r}: expected Header-Name=value, or off")
    return "HTTP_" + header.strip().upper().replace("-", "_"), expected.strip()


# The development key: public (it is in the repository), so accepted only in development.
DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105 (refused outside dev)
DEV_MODE = _env_bool("GRASSROOTS_DEV", default=False)
DEBUG = _env_bool("DEBUG", default=DEV_MODE)

SECRET_KEY = os.environ.get("SECRET_KEY", "") or (DEV_SECRET_KEY if DEV_MODE else "")
if not DEV_MODE and SECRET_KEY in {"", DEV_SECRET_KEY}:
    raise ImproperlyConfigured(
        ("SECRET_KEY is not set" if not SECRET_KEY else "SECRET_KEY is the development key")
        + ": the site refuses to start without a secret key of its own, since a login link "
        "signed with a known key logs in as anyone. Make one with: "
        'python3 -c "import secrets; print(secrets.token_urlsafe(50))" and set SECRET_KEY. '
        "To develop on this machine only, set GRASSROOTS_DEV=1 instead (make run does)."
    )

DATA_DIR = Path(os.environ.get("GRASSROOTS_DATA_DIR") or Path.cwd() / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Background tasks: Django's tasks framework (backported) and its database queue.
    "django_tasks",
    "django_tasks_db",
    # Our apps, one per domain (docs/web.md). Add new apps below, in the order they depend.
    "grassroots.web.audit",
    "grassroots.web.mail",
    "grassroots.web.constituencies",
    "grassroots.web.people",
    "grassroots.web.alliance",
    "grassroots.web.events",
    "grassroots.web.elections",
    "grassroots.web.ballots",
    "grassroots.web.slates",
    "grassroots.web.discussions",
    "grassroots.web.policy",
    "grassroots.web.candidacy",
    "grassroots.web.mailings",
    "grassroots.web.reports",
    "grassroots.web.invitations",
    "grassroots.web.affiliation",
    "grassroots.web.campaign",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "grassroots.web.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Content Security Policy (django-csp): scripts only from the site's own static files, so an
# injected <script> or event attribute never runs; no framing, no plugins, forms post only
# here. Styles allow inline attributes: the SVG charts colour their bars with them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Retention (people/retention.py, run daily by `grassroots retention`): days after which an
# unconfirmed sign-up, a relayed message, a sent or failed outbox email, a finished background
# task's record, and a finished stored forecast are deleted.
RETENTION_UNVERIFIED_DAYS = int(os.environ.get("RETENTION_UNVERIFIED_DAYS", "30"))
RETENTION_MESSAGE_DAYS = int(os.environ.get("RETENTION_MESSAGE_DAYS", "180"))
RETENTION_EMAIL_DAYS = int(os.environ.get("RETENTION_EMAIL_DAYS", "30"))
RETENTION_TASK_DAYS = int(os.environ.get("RETENTION_TASK_DAYS", "30"))
RETENTION_FORECAST_DAYS = int(os.environ.get("RETENTION_FORECAST_DAYS", "90"))

ROOT_URLCONF = "grassroots.web.urls"
WSGI_APPLICATION = "grassroots.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "grassroots.web.context_processors.site",
            ],
            # Codes into words on pages: {% load words %}.
            "libraries": {"words": "grassroots.web.words"},
        },
    },
]

# SQLite as the site and the worker use it: writers queue for the lock instead of failing.
_SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL;",
    # Seconds a writer waits for another's lock before giving up.
    "timeout": 20,
}

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = dict(_SQLITE_OPTIONS)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "grassroots.sqlite3"),
            "OPTIONS": dict(_SQLITE_OPTIONS),
            # The tests use a file like production, not a shared-cache in-memory database:
            # there a second writer fails at once ("table is locked") instead of waiting its
            # turn, so concurrent votes could not be tested (tests/web/test_ballots_secrecy.py).
            # One file per process, so test runs side by side never share one.
            "TEST": {
                "NAME": str(Path(tempfile.gettempdir()) / f"grassroots-test-{os.getpid()}.sqlite3")
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "sesame.backends.ModelBackend",
]
LOGIN_URL = "people:login"
LOGIN_REDIRECT_URL = "people:me"
# Magic links: valid for a day, and only once (a login invalidates earlier links).
SESAME_MAX_AGE = 60 * 60 * 24
SESAME_ONE_TIME = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded files (candidates' photos, re-encoded by candidacy.photos). The site serves them
# itself only in development (DEBUG); in production the web server in front serves MEDIA_ROOT
# at MEDIA_URL (docs/operations.md, "Uploaded photos").
MEDIA_ROOT = Path(os.environ.get("GRASSROOTS_MEDIA_DIR") or DATA_DIR / "media").resolve()
MEDIA_URL = "/media/"
# Serve static files from the package itself, so `grassroots serve` needs no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Grassroots <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds an SMTP server may take to answer before the attempt counts as failed (and is retried).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))

# Background tasks (docs/architecture.md, "Background work"): queued in the site's own
# database and run by `grassroots worker`, which `make run` starts beside the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The mail outbox (web/mail): how often an email is tried before it is marked failed, the
# first wait before a retry (doubled at each attempt), and how long a worker may hold an email
# (or any task) it is running before a restarted worker takes it to be abandoned (a killed
# worker) and runs it again: longer than any task, and than EMAIL_TIMEOUT.
MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "8"))
MAIL_RETRY_SECONDS = float(os.environ.get("MAIL_RETRY_SECONDS", "30"))
TASK_LEASE_SECONDS = float(os.environ.get("TASK_LEASE_SECONDS", "300"))
# Opening a ballot freezes its roll and issues its credentials in the request up to this many
# voters (well under a second on either database); a larger roll is frozen by the worker, the
# ballot "opening" until it is done, so the request answers at once whatever the roll's size.
BALLOT_OPEN_IN_REQUEST_MAX = int(os.environ.get("BALLOT_OPEN_IN_REQUEST_MAX", "10000"))

# The cache counts the rate limits on sign-up and login links. Local memory counts per process;
# with several processes or servers, set REDIS_URL (and install the ``redis`` extra) so they
# share one count.
if os.environ.get("REDIS_URL"):
    try:
        import redis  # noqa: F401 (Django's RedisCache imports it only at the first cache call)
    except ImportError as err:
        raise ImproperlyConfigured(
            "REDIS_URL is set but the redis package is not installed: install the redis extra, "
            "pip install 'grassroots[redis]' (or -e '.[redis]' in a checkout), or unset REDIS_URL"
        ) from err
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

GRASSROOTS_ALLIANCE_NAME = os.environ.get("GRASSROOTS_ALLIANCE_NAME", "Grassroots Alliance")

# Behind a TLS proxy, a request is secure when the proxy says so. `grassroots serve
# --trusted-proxy` has waitress set the scheme from the trusted proxy's X-Forwarded-Proto and
# drop that header from anyone else, so believing it here is safe with our server; another
# WSGI server must strip it from clients itself, or set SECURE_PROXY_SSL_HEADER=off.
if os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = _env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER")
elif not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if not DEBUG:
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# VoteTokenFilter keeps voting tokens out of every log line (grassroots.web.log_filters).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"vote_tokens": {"()": "grassroots.web.log_filters.VoteTokenFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["vote_tokens"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "loggers": {
        "django.request": {"filters": ["vote_tokens"]},
        "django.security.csrf": {"filters": ["vote_tokens"]},
        "django.server": {
            "handlers": ["django.server"],
            "filters": ["vote_tokens"],
            "level": "INFO",
            "propagate": False,
        },
        "waitress": {"filters": ["vote_tokens"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
}
