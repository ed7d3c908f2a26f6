"""The REST API (§8): authentication, the error format, and the routers."""

from django.db import DataError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, ValidationError

from boxoffice.api.auth import OperatorToken
from boxoffice.api.openapi import DocumentedErrorsAPI
from boxoffice.api.routers import events, jobs, orders, reports, scans, shifts, time_blocks
from boxoffice.core.errors import DomainError

api = DocumentedErrorsAPI(
    title="Boxoffice API",
    version="1",
    description="Sell tickets, look up and change orders. Authenticate with `Authorization: Bearer <token>`; "
    "errors are `{\"code\", \"message\"}` with a stable code.",
    auth=OperatorToken(),
    urls_namespace="api",
)
api.add_router("/", scans.router)  # first: the gate's scans are the most frequent requests
api.add_router("/", events.router)
api.add_router("/", orders.router)
api.add_router("/", jobs.router)
api.add_router("/", reports.router)
api.add_router("/", shifts.router)
api.add_router("/", time_blocks.router)


def _error(request, status: int, code: str, message: str, **extra):
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return _error(request, exc.status, exc.code, exc.message, **({"details": exc.details} if exc.details else {}))


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", ())[1:] if p != "payload"), "message": e.get("msg", "")}
        for e in exc.errors
    ]
    summary = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
    return _error(request, 422, "validation_error", summary or "Invalid input.", errors=errors)


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return _error(request, 401, "unauthenticated", "A valid Bearer token is required.")


_HTTP_CODES = {400: "malformed_request", 403: "permission_denied", 404: "not_found", 405: "method_not_allowed"}


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return _error(request, exc.status_code, _HTTP_CODES.get(exc.status_code, "error"), str(exc))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "not_found", "Not found.")


@api.exception_handler(DataError)
def unstorable_value(request, exc):
    # Input the database refuses to store or compare, such as a NUL character in a text
    # (PostgreSQL): the caller's mistake, not a server error. Services run in transactions,
    # so nothing was written.
    return _error(request, 422, "validation_error", "The request contains a value that cannot be stored (e.g. a NUL character).")
