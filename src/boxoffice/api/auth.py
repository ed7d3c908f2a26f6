from ninja.security import HttpBearer

from boxoffice.core.errors import NotFound
from boxoffice.core.models import Membership
from boxoffice.core.services.team import DEVICE_TOKEN_PREFIX, authenticate_api_token, authenticate_device_token


class OperatorToken(HttpBearer):
    def authenticate(self, request, token: str) -> Membership | None:
        return authenticate_api_token(token)


class DeviceToken(HttpBearer):
    def authenticate(self, request, token: str):
        return authenticate_device_token(token)


class ScanDeviceToken(HttpBearer):
    """For POST /scan only: the token itself, which the scan checks in the statement that
    reads the ticket (services.scanning.scan_with_token), saving a round trip per scan."""

    def authenticate(self, request, token: str) -> str | None:
        return token if token.startswith(DEVICE_TOKEN_PREFIX) else None


def membership_for(request, org: str) -> Membership:
    """The caller's membership in the organizer named in the path. Organizers the token does
    not belong to answer 404, exactly like organizers that do not exist."""
    membership: Membership = request.auth
    if membership.organizer.slug != org:
        raise NotFound(f"No organizer {org}.")
    return membership
