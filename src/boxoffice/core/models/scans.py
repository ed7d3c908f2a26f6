from django.db import models
from django.db.models import Q


class Direction(models.TextChoices):
    IN = "in", "In"
    OUT = "out", "Out"


class Verdict(models.TextChoices):
    ADMIT = "admit", "Admit"
    REJECT = "reject", "Reject"
    # The same device took back its last admit ("the turnstile did not turn").
    UNDONE = "undone", "Undone"


class Scan(models.Model):
    """One attempt at a gate, admitted or not; never changed afterwards. With the device's
    `scan_id` it is also the answer a retried request gets back."""

    organizer = models.ForeignKey("core.Organizer", on_delete=models.PROTECT, related_name="+")
    device = models.ForeignKey("core.Device", null=True, blank=True, on_delete=models.PROTECT, related_name="scans")
    gate = models.CharField(max_length=100, blank=True)
    ticket = models.ForeignKey("core.Ticket", null=True, blank=True, on_delete=models.PROTECT, related_name="scans")
    # Indexed by scan_order_at_idx, which starts with the order.
    order = models.ForeignKey(
        "core.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="scans", db_index=False
    )
    barcode = models.CharField(max_length=64)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    verdict = models.CharField(max_length=6, choices=Verdict.choices)
    reason = models.CharField(max_length=32)
    message = models.CharField(max_length=200)
    scan_id = models.CharField(max_length=64, null=True, blank=True)
    at = models.DateTimeField()
    # When the gate made a scan it could only send later (the network was down); empty when
    # it reached the server at once.
    made_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["order", "at"], name="scan_order_at_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "scan_id"], condition=Q(scan_id__isnull=False), name="scan_unique_client_id"
            ),
        ]
