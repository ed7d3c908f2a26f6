from datetime import UTC, datetime
from decimal import Decimal

from django.db import models
from django.db.models import F, Q

# A day inside the calendar's ends, so that a time read from the database can be shown in any
# time zone (and a week added to it) without overflowing the calendar.
_EARLIEST, _LATEST = datetime(1, 1, 8, tzinfo=UTC), datetime(9999, 12, 24, tzinfo=UTC)


class MomentField(models.DateTimeField):
    """A time a person reads. New values are kept within 2000–2100 by the services
    (rules/inputs.py); one an older version stored at the calendar's very end is read a week
    inside it, so every page can still show it, and an admin correct or delete it."""

    def from_db_value(self, value, expression, connection):
        if value is None or value.tzinfo is None:
            return value
        return min(max(value, _EARLIEST), _LATEST)

    def deconstruct(self):
        # The column is a plain datetime: migrations see no change (a changed field class
        # would make SQLite rebuild the table, which its ticket triggers refer to).
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs


class Event(models.Model):
    organizer = models.ForeignKey("core.Organizer", on_delete=models.PROTECT, related_name="events")
    name = models.CharField(max_length=200)
    venue = models.CharField(max_length=200, blank=True)
    # Where the venue is, printed on tickets and in their emails.
    address = models.TextField(blank=True)
    timezone = models.CharField(max_length=64)
    currency = models.CharField(max_length=3)
    reentry_allowed = models.BooleanField(default=False)
    # How long before a timeslot starts, and after it ends, the gate lets a ticket in.
    admit_before_minutes = models.PositiveIntegerField(default=30)
    admit_after_minutes = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Timeslot(models.Model):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="timeslots")
    start = MomentField()
    end = MomentField()
    capacity = models.PositiveIntegerField()
    # Places taken by live tickets; moved only by conditional UPDATEs (services/capacity.py).
    sold = models.PositiveIntegerField(default=0)
    # Closed for sale (its tickets stay valid); nullable, so adding it rebuilt no table.
    closed_at = models.DateTimeField(null=True, blank=True)
    # The move, cancel or message job working on this block: a second one is refused while
    # it has not finished.
    # No index or database constraint: SQLite can then drop the column in place (a rebuilt
    # timeslot table would break the ticket triggers that name it), and a finished or deleted
    # job frees the block anyway.
    busy_job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+",
                                 db_index=False, db_constraint=False)  # fmt: skip

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["event", "start"], name="timeslot_event_start_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="timeslot_end_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=0), name="timeslot_capacity_not_negative"),
            models.CheckConstraint(condition=Q(sold__gte=0), name="timeslot_sold_not_negative"),
            models.CheckConstraint(condition=Q(sold__lte=F("capacity")), name="timeslot_never_oversold"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.start:%Y-%m-%d %H:%M}"

    @property
    def available(self) -> int:
        return self.capacity - self.sold

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


class TicketType(models.Model):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="ticket_types")
    name = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    # Optional limit across all timeslots of the event.
    quota = models.PositiveIntegerField(null=True, blank=True)
    sold = models.PositiveIntegerField(default=0)
    max_per_order = models.PositiveIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="ticket_type_price_not_negative"),
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0) & Q(vat_rate__lte=100), name="ticket_type_vat_rate_percent"
            ),
            models.CheckConstraint(
                condition=Q(quota__isnull=True) | Q(sold__lte=F("quota")), name="ticket_type_quota_never_exceeded"
            ),
        ]

    def __str__(self) -> str:
        return self.name
