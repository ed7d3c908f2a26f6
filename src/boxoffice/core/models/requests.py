from django.db import models


class IdempotentRequest(models.Model):
    """An API request sent with an Idempotency-Key, and the answer it got: the same key with
    the same request gets this answer again instead of running twice (api/idempotency.py)."""

    # Whose key: a digest of the Authorization header, so keys are per token.
    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    # A digest of the method, path and body: the same key with another request is refused.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotent_request_unique_key")]
