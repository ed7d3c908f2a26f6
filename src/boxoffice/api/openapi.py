"""What the OpenAPI document says beyond what ninja derives from the routes: every operation's
error answers, with the one error schema, and the Idempotency-Key header of the operations
that change something. Checked against the running API by schemathesis (tests/api)."""

from copy import deepcopy

from ninja import NinjaAPI

from boxoffice.api.idempotency import HEADER as IDEMPOTENCY_HEADER

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string", "description": "Stable and machine-readable, e.g. timeslot_full, not_found"},
        "message": {"type": "string", "description": "For a person: what went wrong and what to do"},
        "details": {"type": "object", "description": "More about the error, where there is more"},
        "errors": {
            "type": "array", "description": "Field by field, for validation_error",
            "items": {"type": "object", "properties": {"field": {"type": "string"}, "message": {"type": "string"}}},
        },
    },
}  # fmt: skip
_ERRORS = {
    "400": "The request could not be read (malformed_request)",
    "401": "No valid Bearer token (unauthenticated)",
    "403": "The token's role may not do this (permission_denied)",
    "404": "No such object for this token, also for another organizer's (not_found)",
    "405": "Method not allowed (method_not_allowed)",
    "409": "The current state forbids it (timeslot_full, ticket_void, idempotency_conflict…)",
    "414": "The URL is longer than the server takes (answered by the web server, as text/html)",
    "422": "Invalid input (validation_error and more specific codes)",
}
_CHANGES = {"post", "patch", "delete"}
_IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": IDEMPOTENCY_HEADER,
    "required": False,
    "description": (
        "A key of your choosing (1–255 printable characters) to retry safely: the same key with the same "
        "request returns the first answer (with Idempotent-Replayed: true) and does nothing again; the same key "
        "with another request is a 409 idempotency_conflict. Per token, kept 48 hours."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
}


class DocumentedErrorsAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return document_errors(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


def document_errors(schema):
    schema["components"].setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in schema["paths"].values():
        for method, operation in operations.items():
            for status, description in _ERRORS.items():
                content = {"text/html": {"schema": {"type": "string"}}} if status == "414" else deepcopy(error)
                operation["responses"].setdefault(status, {"description": description, "content": content})
            if method in {"post", "patch"}:
                operation.setdefault("parameters", []).append(dict(_IDEMPOTENCY_PARAMETER))
    return schema
