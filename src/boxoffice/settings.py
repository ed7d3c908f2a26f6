"""Settings come from the environment (see README). Without any, Boxoffice runs on an
embedded SQLite database in the data directory."""

import os
from pathlib import Path

from datetime import timedelta

import dj_database_url
from django.utils.csp import CSP

from boxoffice.delivery.mailconfig import mailers_from_url

from boxoffice.files import private_directory, write_private_file


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in {"1", "true", "yes"}


DATA_DIR = private_directory(Path(os.environ.get("BOXOFFICE_DATA_DIR", Path.cwd() / "data")).resolve())

DEBUG = _flag("DEBUG")


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    # A stable per-installation key for the embedded setup, so sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        write_private_file(key_file, secrets.token_urlsafe(50).encode())
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# A deployment (a real SECRET_KEY, DEBUG off) is served over HTTPS unless it says otherwise:
# BOXOFFICE_INSECURE_HTTP=1 is for a desk on a closed local network.
PRODUCTION = not DEBUG and "SECRET_KEY" in os.environ
HTTPS_ONLY = PRODUCTION and not _flag("BOXOFFICE_INSECURE_HTTP")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "ninja",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "boxoffice.core",
    "boxoffice.delivery",
    "boxoffice.accounts",
    "boxoffice.portal",
    "boxoffice.gate",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "boxoffice.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "boxoffice.api.fallbacks.JsonMethodNotAllowed",
    "boxoffice.api.idempotency.IdempotencyMiddleware",
    "boxoffice.db.replicas.NoteWritesMiddleware",
]

ROOT_URLCONF = "boxoffice.urls"
WSGI_APPLICATION = "boxoffice.wsgi.application"

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
                "boxoffice.portal.context.portal",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
        if config["ENGINE"].endswith("sqlite3"):
            config["ENGINE"] = "boxoffice.db.sqlite3"
            config["OPTIONS"] = _SQLITE_OPTIONS
        else:
            config["ENGINE"] = "boxoffice.db.postgresql"  # Django's, with a cheaper health check
            # Lookups are index probes into a working set that lives in memory (or on SSD);
            # PostgreSQL's default page cost of 4 makes it prefer full scans of the orders for
            # name searches (bench/README.md). PG_RANDOM_PAGE_COST changes it.
            config.setdefault("OPTIONS", {}).setdefault(
                "options", f"-c random_page_cost={os.environ.get('PG_RANDOM_PAGE_COST', '1.1')}"
            )
        return config
    return {
        "ENGINE": "boxoffice.db.sqlite3",  # Django's, creating the database file private
        "NAME": DATA_DIR / "boxoffice.sqlite3",
        "OPTIONS": _SQLITE_OPTIONS,
        "CONN_MAX_AGE": None,  # opening a connection runs the PRAGMAs: keep it
        # Tests use a file too, so that threads and live servers share one database.
        "TEST": {"NAME": DATA_DIR / "test.sqlite3"},
    }


# IMMEDIATE takes the write lock at BEGIN, so two writers never deadlock on lock upgrade;
# WAL lets readers go on while one writes.
_SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}

def _read_replicas() -> dict:
    """DATABASE_READ_URL: one or more PostgreSQL streaming replicas (comma-separated URLs) that
    Look up orders, reports and exports may read from (db/replicas.py)."""
    urls = [url.strip() for url in os.environ.get("DATABASE_READ_URL", "").split(",") if url.strip()]
    replicas = {}
    for number, url in enumerate(urls, start=1):
        config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
        config["ENGINE"] = "boxoffice.db.postgresql"
        config["OPTIONS"] = {"connect_timeout": 2}  # a replica that is down costs two seconds, then the primary
        config["TEST"] = {"MIRROR": "default"}
        replicas[f"replica{number}"] = config
    return replicas


DATABASES = {"default": _database(), **_read_replicas()}
DATABASE_ROUTERS = ["boxoffice.db.replicas.ReadReplicaRouter"]
# A replica further behind than this (while the primary has moved on) is not read from.
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("BOXOFFICE_REPLICA_MAX_LAG_SECONDS", "30"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# order_recent_idx includes columns for PostgreSQL's index-only scans; SQLite has no such
# thing and builds the index on its key alone, which is what it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "email", "first_name", "last_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Served by WhiteNoise straight from the apps' static folders: no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
SESSION_COOKIE_HTTPONLY = True
# Links in invitation and password reset emails work this long.
PASSWORD_RESET_TIMEOUT = 2 * 60 * 60
INVITATION_DAYS = 7

# Failed sign-ins (django-axes, attempts kept in the database so every web process sees
# them): an account locks after AXES_FAILURE_LIMIT failures, a client address after
# BOXOFFICE_ADDRESS_FAILURE_LIMIT (higher: a desk's colleagues share one address), for
# AXES_COOLOFF_TIME. See boxoffice/accounts/throttling.py.
AXES_FAILURE_LIMIT = int(os.environ.get("BOXOFFICE_ACCOUNT_FAILURE_LIMIT", "10"))
BOXOFFICE_ADDRESS_FAILURE_LIMIT = int(os.environ.get("BOXOFFICE_ADDRESS_FAILURE_LIMIT", "50"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "boxoffice.accounts.throttling.AccountAndAddressHandler"
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("BOXOFFICE_LOCKOUT_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "boxoffice.accounts.throttling.username_of"
AXES_CLIENT_IP_CALLABLE = "boxoffice.accounts.throttling.client_address"
AXES_LOCKOUT_CALLABLE = "boxoffice.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_DISABLE_ACCESS_LOG = True
# How many proxies in front of the web processes append to X-Forwarded-For; 0 trusts none and
# takes the connecting address.
TRUSTED_PROXY_COUNT = int(os.environ.get("BOXOFFICE_TRUSTED_PROXIES", "0"))

OTP_TOTP_ISSUER = "Boxoffice"

# Production: HTTPS only, with cookies that never travel over plain HTTP. A TLS-terminating
# proxy in front says so with X-Forwarded-Proto, which gunicorn trusts from the addresses in
# FORWARDED_ALLOW_IPS (default 127.0.0.1) and turns into the request's scheme (README).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_SSL_REDIRECT = HTTPS_ONLY
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if HTTPS_ONLY else 0
# Subdomains of the Boxoffice host name (not its siblings); preloading takes effect only when
# the domain's owner submits it.
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = HTTPS_ONLY
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every page's scripts and styles are our own files: no inline code, nothing from elsewhere.
# The data: images are the favicon placeholder and the QR code of two-factor set-up.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Emails leave through a worker (`boxoffice worker`), from tasks stored in the database: no
# broker, and a task queued in a transaction that rolls back never exists.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
MAILERS = mailers_from_url(os.environ.get("EMAIL_URL"), DATA_DIR)
EMAIL_FROM = os.environ.get("EMAIL_FROM", "tickets@boxoffice.localhost")
# Seconds to wait before each retry of a temporary delivery failure; after the last, a
# message is failed (and can be sent again from the order).
DELIVERY_RETRY_DELAYS = [int(s) for s in os.environ.get("DELIVERY_RETRY_DELAYS", "30,120,600,1800").split(",")]
# A message claimed for sending longer ago than this is taken to belong to a dead worker.
DELIVERY_LEASE_SECONDS = int(os.environ.get("DELIVERY_LEASE_SECONDS", "300"))

# A ticket PDF of more tickets than this is made by the worker (a job with a progress bar),
# never in a web process that also answers the gate.
INLINE_PDF_TICKETS = int(os.environ.get("BOXOFFICE_INLINE_PDF_TICKETS", "50"))
# A running job whose heartbeat is older than this lost its worker and is run again.
JOB_LEASE_SECONDS = int(os.environ.get("BOXOFFICE_JOB_LEASE_SECONDS", "60"))
# The worker runs at this nice level: documents and exports yield the CPU to the web processes.
WORKER_NICE = int(os.environ.get("BOXOFFICE_WORKER_NICE", "10"))

NINJA_PAGINATION_PER_PAGE = 25
NINJA_MAX_PER_PAGE_SIZE = 200

LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Django logs the path of a 404 or 500; barcodes, emails and links in it are redacted.
    "filters": {"redact_urls": {"()": "boxoffice.logs.RedactUrls"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "level": LOG_LEVEL, "filters": ["redact_urls"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # One line per task run is noise at the default level.
    "loggers": {"django.tasks": {"level": "WARNING" if LOG_LEVEL != "DEBUG" else "DEBUG"}},
}
