"""Integrity under retries and races: fixtures that drive the sale wizard and the API the way
a browser, a second tab or an integrator's retry would."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from boxoffice.core.services import team

BARRIER_TIMEOUT = 60


def run_together(calls):
    """Every zero-argument callable in its own thread (its own database connection), all
    released at once; their results in the order given."""
    barrier = threading.Barrier(len(calls), timeout=BARRIER_TIMEOUT)

    def worker(call):
        try:
            barrier.wait()
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(worker, calls))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def desk(operator):
    """A signed-in portal client of the museum's operator."""
    client = Client()
    client.force_login(operator.user)
    return client


@pytest.fixture
def wizard_at_payment(event, timeslot, adult):
    """wizard_at_payment(client) walks Sell tickets to step 4 and returns its payment URL."""

    def walk(client: Client, quantity: int = 2) -> str:
        tickets_url = client.get("/o/museum/sell/")["Location"]
        base = tickets_url.removesuffix("tickets/")
        assert client.post(tickets_url, {f"qty_{adult.pk}": quantity, "timeslot": timeslot.pk}).status_code == 302
        buyer = {"email": "ann@example.test", "name": "Ann Buyer", "phone": "", "language": "en"}
        assert client.post(f"{base}buyer/", buyer).status_code == 302
        assert client.post(f"{base}review/").status_code == 302
        return f"{base}payment/"

    return walk


@pytest.fixture
def api(client, operator):
    """api.post(path, body, key=...) as the museum's operator, with an Idempotency-Key."""
    token = team.create_api_token(operator)

    class Api:
        def post(self, path: str, body: dict, *, key: str | None = None, client_=None):
            headers = {"Authorization": f"Bearer {token}"} | ({"Idempotency-Key": key} if key else {})
            return (client_ or Client()).post(
                f"/api/v1/organizers/museum/{path}", body, content_type="application/json", headers=headers
            )

    return Api()
