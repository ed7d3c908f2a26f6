from django.conf import settings
from django.db import models


class MessageKind(models.TextChoices):
    TICKETS = "tickets", "Tickets"
    RECEIPT = "receipt", "Payment receipt"
    # A visit cancelled with its time block; what the operator wrote to buyers (§3.13).
    CANCELLATION = "cancellation", "Cancellation notice"
    CUSTOM = "custom", "Message from the organizer"
    # To members, not buyers: an invitation to set a password, a notice to someone who already
    # has an account that they were added to an organizer, a link to reset a password.
    INVITATION = "invitation", "Invitation"
    MEMBERSHIP = "membership", "Added to a team"
    PASSWORD_RESET = "password_reset", "Password reset"


ACCOUNT_KINDS = frozenset({MessageKind.INVITATION, MessageKind.MEMBERSHIP, MessageKind.PASSWORD_RESET})
BUYER_KINDS = frozenset({MessageKind.TICKETS, MessageKind.RECEIPT, MessageKind.CANCELLATION, MessageKind.CUSTOM})


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    # Sent as part of another order's email to the same buyer (one email per buyer).
    INCLUDED = "included", "In one email with another order"


class Message(models.Model):
    """The outbox: an email, written in the transaction that causes it. It is the record of
    delivery; the worker renders the documents (and, for account emails, the one-time link)
    when it sends, so no link or secret is stored here."""

    Kind = MessageKind
    Status = MessageStatus

    # A password reset belongs to no organizer; buyer emails always have an order.
    organizer = models.ForeignKey("core.Organizer", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("core.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="messages")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    invitation = models.ForeignKey(
        "core.Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    # The form (or wizard) that asked for it, so that a double submit queues one email.
    request_key = models.CharField(max_length=64, null=True, blank=True)
    # Where links in an account email point: the address the request came in on.
    link_base = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=16, choices=MessageKind.choices)
    # What the email says beyond the order: the blocks a notice is about, an operator's
    # subject and text (rendered when sent, placeholders filled from the order then).
    context = models.JSONField(default=dict, blank=True)
    sent_with = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="included")
    to = models.EmailField(max_length=254)
    language = models.CharField(max_length=8, default="en")
    status = models.CharField(max_length=16, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey("core.Membership", null=True, on_delete=models.SET_NULL, related_name="+")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # When a worker took it for sending; a lease, so a dead worker's message is sent again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    smtp_message_id = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="message_status_due_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "request_key"], condition=models.Q(request_key__isnull=False), name="message_once_per_request"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=sorted(BUYER_KINDS), order__isnull=False, organizer__isnull=False)
                | models.Q(kind__in=sorted(ACCOUNT_KINDS), order__isnull=True, user__isnull=False),
                name="message_kind_matches_target",
            ),
        ]
