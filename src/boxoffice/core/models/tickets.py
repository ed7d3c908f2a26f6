from django.db import models


class TicketState(models.TextChoices):
    UNSCANNED = "unscanned", "Unscanned"
    SCANNED_IN = "scanned_in", "Scanned in"
    SCANNED_OUT = "scanned_out", "Scanned out"
    BLACKLISTED = "blacklisted", "Blacklisted"
    VOID = "void", "Void"


class VoidReason(models.TextChoices):
    REISSUED = "reissued", "Reissued"
    REMOVED = "removed", "Purchase removed"


class Ticket(models.Model):
    State = TicketState

    order = models.ForeignKey("core.Order", on_delete=models.PROTECT, related_name="tickets")
    # Denormalised from the order so the database can refuse a timeslot of another event.
    event = models.ForeignKey("core.Event", on_delete=models.PROTECT, related_name="+")
    timeslot = models.ForeignKey("core.Timeslot", on_delete=models.PROTECT, related_name="tickets")
    ticket_type = models.ForeignKey("core.TicketType", on_delete=models.PROTECT, related_name="tickets")
    barcode = models.CharField(max_length=32)  # unique: ticket_unique_barcode
    state = models.CharField(max_length=16, choices=TicketState.choices, default=TicketState.UNSCANNED)
    void_reason = models.CharField(max_length=16, choices=VoidReason.choices, blank=True)
    attendee_name = models.CharField(max_length=200, blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    # Where the ticket last went in or out, for "already scanned in at 14:02 (Gate A)".
    last_scan_gate = models.CharField(max_length=100, blank=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )

    class Meta:
        ordering = ["id"]
        # A gate scan changes only the state columns, none of them indexed, so PostgreSQL can
        # update the row in place (a HOT update, with the free space of fillfactor 85, set in
        # migration 0007) instead of adding an entry to every index of the table. The
        # constraint instead of unique=True spares the LIKE index Django adds for it: barcodes
        # are only ever looked up whole.
        constraints = [
            models.UniqueConstraint(fields=["barcode"], name="ticket_unique_barcode"),
            models.CheckConstraint(
                condition=models.Q(state="void", void_reason__in=["reissued", "removed"])
                | (~models.Q(state="void") & models.Q(void_reason="")),
                name="ticket_void_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.barcode

    @property
    def is_live(self) -> bool:
        return self.state != TicketState.VOID
