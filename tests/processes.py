"""`boxoffice worker` as its own process on the test database, for tests that kill it: its
environment (the test database as a URL, a real SMTP server), starting it, waiting on it."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

PROCESS_TIMEOUT = 60  # seconds; a worker process that hangs fails the test instead of hanging it


def database_url() -> str:
    """The test database (not the one named in DATABASE_URL) as a URL for a child process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    assert connection.vendor == "postgresql", connection.vendor
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def worker_env(smtp, **extra) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "boxoffice.settings",
        "BOXOFFICE_DATA_DIR": str(settings.DATA_DIR),
        "DATABASE_URL": database_url(),
        "EMAIL_URL": smtp.url(),
        "LOG_LEVEL": "WARNING",
    }
    return {**env, **{key: str(value) for key, value in extra.items()}}


def start_worker(env: dict, log_path, *args: str) -> subprocess.Popen:
    with open(log_path, "wb") as log:  # the child keeps its own copy of the file descriptor
        return subprocess.Popen([sys.executable, "-m", "boxoffice", "worker", *args], env=env, stdout=log, stderr=log)


def wait_for(condition, *, what: str, log_path, timeout: float = PROCESS_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}; worker log:\n{log_path.read_text(errors='replace')}")
        time.sleep(0.05)
