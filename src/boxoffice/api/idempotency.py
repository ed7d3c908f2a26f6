"""Idempotency-Key on the API's POST and PATCH requests: an integrator that retries after a
timeout (or a proxy that sends twice) gets the first answer, and nothing happens twice.

The key's row is inserted first, in the transaction that then runs the request: a second
request with the same key waits on the database's unique index until the first commits (on
PostgreSQL; SQLite's immediate transactions wait as a whole), then finds the stored answer.
Several web processes share it; no check-then-act. Answers that may not stand (5xx, 401, a
malformed key) are not kept: a retry runs again. Keys are per token, kept KEEP_HOURS."""

import hashlib
import re
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone

from boxoffice.core.models import IdempotentRequest

HEADER = "Idempotency-Key"
KEEP_HOURS = 48
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII, no spaces
_METHODS = ("POST", "PATCH")
_NOT_KEPT = (401, 429)


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if key is None or request.method not in _METHODS or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not _KEY.match(key):
            return _error(422, "validation_error", f"{HEADER} must be 1 to 255 printable characters without spaces.")
        scope = _digest(request.headers.get("Authorization", ""))
        fingerprint = _digest(request.method, request.get_full_path(), request.body)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    stored = IdempotentRequest.objects.create(scope=scope, key=key, fingerprint=fingerprint)
            except IntegrityError:
                return _replay(IdempotentRequest.objects.get(scope=scope, key=key), fingerprint)
            response = self.get_response(request)
            if response.status_code >= 500 or response.status_code in _NOT_KEPT or response.streaming:
                transaction.set_rollback(True)  # neither the key nor anything the request did stays
                return response
            stored.status_code, stored.content_type, stored.body = (
                response.status_code, response.get("Content-Type", ""), response.content
            )  # fmt: skip
            stored.save(update_fields=["status_code", "content_type", "body"])
        return response


def _replay(earlier: IdempotentRequest, fingerprint: str) -> HttpResponse:
    if earlier.fingerprint != fingerprint:
        return _error(
            409, "idempotency_conflict",
            f"This {HEADER} was used for another request; use a new key for a new request.",
        )  # fmt: skip
    response = HttpResponse(bytes(earlier.body), status=earlier.status_code, content_type=earlier.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


def _digest(*parts) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def forget_old_requests() -> int:
    """Keys older than KEEP_HOURS are forgotten (the worker calls this now and then)."""
    cutoff = timezone.now() - timedelta(hours=KEEP_HOURS)
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
