"""Look up orders never reaches into another organizer: their barcode, order code, email or
phone typed into the search box answers exactly like something unknown — no redirect, no
code in a URL, nothing of theirs on the page."""

import re

import pytest
from django.test import Client


def _search(client: Client, term: str):
    return client.get("/o/museum/", {"q": term}, follow=True)


def _page(response, term: str) -> str:
    html = response.content.decode().replace(term, "TERM")
    return re.sub(r'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', r"\\1", html)


@pytest.fixture
def museum_desk(client, operator, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client.force_login(operator.user)
    return client


@pytest.mark.parametrize("kind,unknown", [
    ("barcode", "ZZZZZZZZZZZZZZZZZZZZ"), ("code", "ZZZZZZZ"), ("email", "nobody@nowhere.test"), ("phone", "+44 20 7946 0999"),
])  # fmt: skip
def test_another_organizers_identifier_answers_like_an_unknown_one(museum_desk, other_org, sell, kind, unknown):
    theirs = other_org.sell(1, email="zoe.theatre@example.test", name="Zoe Theatregoer", phone="+44 20 7946 0123")
    sell(1)  # the museum has orders of its own
    term = {
        "barcode": theirs.tickets.get().barcode, "code": theirs.code,
        "email": "zoe.theatre@example.test", "phone": "+44 20 7946 0123",
    }[kind]  # fmt: skip
    answer, control = _search(museum_desk, term), _search(museum_desk, unknown)
    assert answer.redirect_chain == [] and answer.status_code == 200
    assert _page(answer, term) == _page(control, unknown)
    html = _page(answer, term)  # the search box shows what was typed; nothing else may
    for theirs_text in (theirs.code, "Zoe Theatregoer", "Hamlet", "Harbour Theatre"):
        assert theirs_text not in html


def test_the_organizers_own_barcode_opens_its_order(museum_desk, sell):
    ours = sell(1)
    answer = museum_desk.get("/o/museum/", {"q": ours.tickets.get().barcode})
    assert answer.status_code == 302 and answer["Location"] == f"/o/museum/orders/{ours.code}/"
