from django.db import models
from django.db.models import Q
from django.utils import timezone

from boxoffice.core.rules.contact import ADDRESS_SEPARATOR_DIGITS, ADDRESS_SEPARATORS, folded
from boxoffice.core.rules.money import PricedLine


class OrderStatus(models.TextChoices):
    PENDING = "pending", "Pending payment"
    PAID = "paid", "Paid"
    REMOVED = "removed", "Removed"


class PaymentMethod(models.TextChoices):
    CASH = "cash", "Cash"
    CARD = "card", "Card"
    INVOICE = "invoice", "Invoice (pending payment)"
    FREE = "free", "Free"
    TRANSFER = "transfer", "Bank transfer"


# How a payment registered afterwards (an invoice paid, a difference collected) comes in.
PAYMENT_METHODS_LATER = (PaymentMethod.CASH, PaymentMethod.CARD, PaymentMethod.TRANSFER)


class Channel(models.TextChoices):
    BOX_OFFICE = "box_office", "Box office"
    API = "api", "API"


class Like(models.Lookup):
    """`copy__like="%lena%verm%"`: a LIKE pattern as written, wildcards and all (`contains`
    escapes them), for a fragment's words in order (selectors/orders.py)."""

    lookup_name = "like"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs}", [*lhs_params, *rhs_params]


class AddressWords(models.Func):
    """An address as its month indexes hold it (rules/contact.address_words), written as
    they are written (core/month_indexes.py): PostgreSQL takes an index of an expression only
    for that same expression, constants and all."""

    output_field = models.TextField()

    def as_postgresql(self, compiler, connection, **extra):
        template = f"translate(%(expressions)s, '{ADDRESS_SEPARATORS}', '{ADDRESS_SEPARATOR_DIGITS}')"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        template = "%(expressions)s"
        for separator, digit in zip(ADDRESS_SEPARATORS, ADDRESS_SEPARATOR_DIGITS, strict=True):
            template = f"replace({template}, '{separator}', '{digit}')"
        return self.as_sql(compiler, connection, template=template, **extra)


class Order(models.Model):
    Status = OrderStatus

    organizer = models.ForeignKey("core.Organizer", on_delete=models.PROTECT, related_name="orders")
    event = models.ForeignKey("core.Event", on_delete=models.PROTECT, related_name="orders")
    code = models.CharField(max_length=16)
    # Indexed by order_buyer_recent_idx, which starts with the buyer.
    buyer = models.ForeignKey("core.Buyer", on_delete=models.PROTECT, related_name="orders", db_index=False)
    status = models.CharField(max_length=16, choices=OrderStatus.choices)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.BOX_OFFICE)
    payment_method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    created_by = models.ForeignKey(
        "core.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What made the sale (a wizard), so that however often it is finished it sells once.
    sale_key = models.CharField(max_length=64, null=True, blank=True)
    # The buyer's name and address, case-folded ("Straße" is "strasse"), copied here so that a
    # fragment is tested on the orders themselves: order_recent_idx walks the newest orders and
    # tests them without leaving the index, a trigram index finds the few of a rare fragment
    # (selectors/orders.py); folded once on writing, not for every row a search tests.
    # Kept equal to the buyer's by services/sales.py and services/buyers.py (buyer_copies).
    folded_buyer_name = models.CharField(max_length=200, blank=True, default="")
    folded_buyer_email = models.CharField(max_length=254, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organizer", "code"], name="order_unique_code_per_organizer"),
            models.UniqueConstraint(
                fields=["organizer", "sale_key"], condition=Q(sale_key__isnull=False), name="order_sold_once_per_key"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
        ]
        indexes = [
            # Look up orders, newest first, with what its filters and fragments test (on
            # PostgreSQL; SQLite has no included columns and keeps the key alone).
            models.Index(
                fields=["organizer", "-created_at", "-id"],
                include=["event", "status", "folded_buyer_name", "folded_buyer_email"],
                name="order_recent_idx",
            ),
            models.Index(fields=["event", "status"], name="order_event_status_idx"),
            # A name search ranks the orders of the matching buyers from this index alone
            # (an index-only scan on PostgreSQL): see selectors/orders.py.
            models.Index(fields=["buyer", "organizer", "created_at", "id"], name="order_buyer_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.code


Order._meta.get_field("folded_buyer_name").register_lookup(Like)


def buyer_copies(buyer) -> dict:
    """What an order keeps of its buyer for the search (Order.folded_buyer_name, …_email)."""
    return {"folded_buyer_name": folded(buyer.name), "folded_buyer_email": folded(buyer.email_normalized)}


class LineKind(models.TextChoices):
    SOLD = "sold", "Sold"
    REMOVED = "removed", "Removed"
    CHANGED_FROM = "changed_from", "Changed from"
    CHANGED_TO = "changed_to", "Changed to"


class OrderLine(models.Model):
    """What the order holds, as a ledger: the lines of the sale, then one line per later change
    (tickets removed: a negative quantity; a type changed: a negative line for the old type and
    a positive one for the new). The order's total is the sum of its lines, so the receipt
    shows the original lines, the changes and what they came to."""

    Kind = LineKind

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="lines")
    ticket_type = models.ForeignKey("core.TicketType", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=200)
    quantity = models.IntegerField()
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2)
    kind = models.CharField(max_length=16, choices=LineKind.choices, default=LineKind.SOLD)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["sold", "changed_to"], quantity__gt=0)
                | Q(kind__in=["removed", "changed_from"], quantity__lt=0),
                name="order_line_quantity_sign",
            ),
        ]

    @property
    def priced(self) -> PricedLine:
        return PricedLine(self.quantity, self.unit_price, self.vat_rate)

    @property
    def total(self):
        return self.priced.total

    @property
    def count(self) -> int:
        return abs(self.quantity)

    @property
    def change_label(self) -> str:
        """"" for a line of the sale; "Removed", "Changed from", "Changed to" for a change."""
        return "" if self.kind == LineKind.SOLD else self.get_kind_display()

    @property
    def labelled_description(self) -> str:
        return f"{self.change_label}: {self.description}" if self.change_label else self.description


class Payment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    # What the money came with: a bank transfer's reference, a card terminal's receipt number.
    reference = models.CharField(max_length=100, blank=True)
    # Cash handed over at the desk, when it was counted: the receipt shows it and the change.
    tendered = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    shift = models.ForeignKey("core.Shift", null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey("core.Membership", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    @property
    def change(self):
        return self.tendered - self.amount if self.tendered is not None else None


class Refund(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    method = models.CharField(max_length=32)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.TextField(blank=True)
    shift = models.ForeignKey("core.Shift", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey("core.Membership", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")]
