"""Settings come from the environment (see README). Without any, Boxoffice runs on an
embedded SQLite database in the data directory."""

import os
from pathlib import Path

import dj_database_url

from boxoffice.delivery.mailconfig import mailers_from_url

DATA_DIR = Path(os.environ.get("BOXOFFICE_DATA_DIR", Path.cwd() / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("DEBUG", "").lower() in {"1", "true", "yes"}


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    # A stable per-installation key for the embedded setup, so sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
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
    "boxoffice.core",
    "boxoffice.delivery",
    "boxoffice.portal",
    "boxoffice.gate",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "boxoffice.api.fallbacks.JsonMethodNotAllowed",
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
        "ENGINE": "django.db.backends.sqlite3",
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

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Served by WhiteNoise straight from the apps' static folders: no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = os.environ.get("SECURE_COOKIES", "").lower() in {"1", "true", "yes"}
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

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

NINJA_PAGINATION_PER_PAGE = 25
NINJA_MAX_PER_PAGE_SIZE = 200

LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "level": LOG_LEVEL}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # One line per task run is noise at the default level.
    "loggers": {"django.tasks": {"level": "WARNING" if LOG_LEVEL != "DEBUG" else "DEBUG"}},
}
