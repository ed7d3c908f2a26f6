"""Fixtures for email delivery: a real SMTP server on loopback (see tests/smtp_server.py), the
worker run in this process, and reading what arrived.

The worker commits as it goes (as in production) and closes stale connections between tasks,
which would end the transaction a plain `db` test runs in: tests that run it use
`django_db(transaction=True)`."""

import time

import pytest
from smtp_server import smtp, smtp_down  # noqa: F401 — fixtures

from boxoffice.delivery.worker import run_until_empty


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The team fixtures set passwords; the production hasher's cost is not what these tests check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def worker():
    """worker() sends everything that is due now, like `boxoffice worker --once`."""
    return run_until_empty


@pytest.fixture
def retry_after(settings):
    """Retries of temporary failures after 1 s; retry_after.wait() waits that long."""
    settings.DELIVERY_RETRY_DELAYS = [1, 1]

    class RetryClock:
        delays = settings.DELIVERY_RETRY_DELAYS

        @staticmethod
        def wait() -> None:
            time.sleep(max(settings.DELIVERY_RETRY_DELAYS) + 0.2)

    return RetryClock()

