from django.db import models


class MessageKind(models.TextChoices):
    TICKETS = "tickets", "Tickets"
    RECEIPT = "receipt", "Payment receipt"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Message(models.Model):
    """The outbox: an email to a buyer, written in the transaction that causes it.
    It is the record of delivery; the worker renders the documents when it sends."""

    Kind = MessageKind
    Status = MessageStatus

    organizer = models.ForeignKey("core.Organizer", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("core.Order", on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField(max_length=16, choices=MessageKind.choices)
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
