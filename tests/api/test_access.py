"""Who may call what: a Bearer token is required everywhere, viewers only read, operators act
on orders, admins also set events up and record refunds. The API documents every path."""

import pytest

from boxoffice.core.models import ApiToken
from boxoffice.core.services import team

from .helpers import ADMIN_ONLY, ENDPOINTS, ApiClient, assert_error, unchanged

SPEC_PATHS = {
    "/api/v1/organizers/{org}/events",
    "/api/v1/organizers/{org}/events/{event}",
    "/api/v1/organizers/{org}/events/{event}/timeslots",
    "/api/v1/organizers/{org}/events/{event}/timeslots/{timeslot}",
    "/api/v1/organizers/{org}/events/{event}/ticket-types",
    "/api/v1/organizers/{org}/orders",
    "/api/v1/organizers/{org}/orders/{code}",
    "/api/v1/organizers/{org}/orders/{code}/tickets.pdf",
    "/api/v1/organizers/{org}/orders/{code}/receipt.pdf",
    "/api/v1/organizers/{org}/orders/{code}/send-tickets",
    "/api/v1/organizers/{org}/orders/{code}/send-receipt",
    "/api/v1/organizers/{org}/orders/{code}/comments",
    "/api/v1/organizers/{org}/orders/{code}/remove",
    "/api/v1/organizers/{org}/orders/{code}/refunds",
    "/api/v1/organizers/{org}/orders/{code}/tickets/bulk",
    "/api/v1/organizers/{org}/orders/{code}/reschedule",
}

WRITES = [name for name, endpoint in ENDPOINTS.items() if not endpoint.reads]
READS = [name for name, endpoint in ENDPOINTS.items() if endpoint.reads]


@pytest.mark.parametrize("name", ENDPOINTS)
def test_every_endpoint_requires_a_token(client, museum, name):
    anonymous = ApiClient(client, "museum", None)
    with unchanged():
        assert_error(ENDPOINTS[name].request(anonymous, museum), 401, "unauthenticated")


@pytest.mark.parametrize("token", ["bo_not-a-real-token", "not-even-our-prefix", ""])
@pytest.mark.parametrize("name", ["list orders", "sell", "remove"])
def test_unknown_tokens_are_unauthenticated(client, museum, name, token):
    caller = ApiClient(client, "museum", None)
    endpoint = ENDPOINTS[name]
    with unchanged():
        response = caller.client.generic(
            endpoint.method,
            caller.url(endpoint.path.format(**museum)),
            "{}",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert_error(response, 401, "unauthenticated")


def test_a_token_in_another_scheme_is_unauthenticated(client, as_operator, museum):
    response = client.get(as_operator.url("orders"), HTTP_AUTHORIZATION=f"Token {as_operator.token}")
    assert_error(response, 401, "unauthenticated")


def test_a_revoked_token_is_unauthenticated(as_operator, museum):
    assert as_operator.get("orders").status_code == 200
    team.revoke_api_token(ApiToken.objects.get(prefix=as_operator.token[:10]))
    assert_error(as_operator.get("orders"), 401, "unauthenticated")


def test_a_scanner_device_token_cannot_use_the_operator_api(client, organizer, museum):
    _, device_token = team.create_device(organizer, name="Gate A")
    assert_error(ApiClient(client, "museum", device_token).get("orders"), 401, "unauthenticated")


def test_a_deactivated_user_token_is_unauthenticated(as_operator, operator, museum):
    operator.user.is_active = False
    operator.user.save(update_fields=["is_active"])
    assert_error(as_operator.get("orders"), 401, "unauthenticated")


@pytest.mark.parametrize("name", ENDPOINTS)
def test_admin_may_call_every_endpoint(as_admin, museum, name):
    endpoint = ENDPOINTS[name]
    response = endpoint.request(as_admin, museum)
    assert response.status_code == endpoint.success, response.json()


@pytest.mark.parametrize("name", READS)
def test_viewer_can_read(as_viewer, museum, name):
    assert ENDPOINTS[name].request(as_viewer, museum).status_code == 200


@pytest.mark.parametrize("name", WRITES)
def test_viewer_cannot_change_anything(as_viewer, museum, name):
    with unchanged():
        assert_error(ENDPOINTS[name].request(as_viewer, museum), 403, "permission_denied")


@pytest.mark.parametrize("name", sorted(ADMIN_ONLY))
def test_operator_cannot_set_up_events_or_record_refunds(as_operator, museum, name):
    with unchanged():
        assert_error(ENDPOINTS[name].request(as_operator, museum), 403, "permission_denied")


@pytest.mark.parametrize("name", [n for n in ENDPOINTS if n not in ADMIN_ONLY])
def test_operator_may_sell_and_change_orders(as_operator, museum, name):
    endpoint = ENDPOINTS[name]
    response = endpoint.request(as_operator, museum)
    assert response.status_code == endpoint.success, response.json()


def test_openapi_document_lists_every_path(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert SPEC_PATHS <= set(document["paths"])
    orders = document["paths"]["/api/v1/organizers/{org}/orders"]
    assert {"get", "post"} <= set(orders)
    assert {"get", "patch"} <= set(document["paths"]["/api/v1/organizers/{org}/events/{event}"])


def test_openapi_document_declares_bearer_authentication(client):
    document = client.get("/api/v1/openapi.json").json()
    schemes = document["components"]["securitySchemes"].values()
    assert any(s.get("type") == "http" and s.get("scheme", "").lower() == "bearer" for s in schemes)


def test_interactive_docs_are_served(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"openapi.json" in response.content
