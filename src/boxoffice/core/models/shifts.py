from django.db import models
from django.db.models import Q


class Shift(models.Model):
    """One operator's turn at a desk: opened with a float of cash, closed with what was
    counted. Every payment and refund the operator makes meanwhile belongs to it, so the
    report says what should be in the drawer."""

    organizer = models.ForeignKey("core.Organizer", on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey("core.Membership", on_delete=models.PROTECT, related_name="shifts")
    desk = models.CharField(max_length=100)
    opening_float = models.DecimalField(max_digits=12, decimal_places=2)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey("core.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    counted_cash = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    counted_card = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            # One open shift per operator: every payment knows which drawer it went into.
            models.UniqueConstraint(fields=["membership"], condition=Q(closed_at__isnull=True), name="one_open_shift"),
            models.CheckConstraint(condition=Q(opening_float__gte=0), name="shift_float_not_negative"),
        ]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
