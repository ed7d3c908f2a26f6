from django.conf import settings
from django.db import models
from django.db.models import Q


class TicketPaper(models.TextChoices):
    """What Print tickets prints on at the desk. Emailed tickets are always A4."""

    A4 = "a4", "A4 sheet (office printer)"
    STOCK = "stock", "Ticket stock, 8 × 3.25 in (ticket printer)"
    ROLL = "roll80", "80 mm roll (receipt printer)"


class ReceiptPaper(models.TextChoices):
    """What Print receipt prints on at the desk. Emailed receipts are always A4."""

    A4 = "a4", "A4 sheet (office printer)"
    ROLL = "roll80", "80 mm roll (receipt printer)"


class TwoFactorPolicy(models.TextChoices):
    OPTIONAL = "optional", "Optional"
    ADMINS = "admins", "Required for admins"
    EVERYONE = "everyone", "Required for everyone"


class Organizer(models.Model):
    TwoFactor = TwoFactorPolicy

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="Europe/Amsterdam")
    currency = models.CharField(max_length=3, default="EUR")
    # Printed on payment receipts.
    address = models.TextField(blank=True)
    vat_number = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    # Who must sign in with a second factor; checked when a member signs in.
    two_factor = models.CharField(max_length=16, choices=TwoFactorPolicy.choices, default=TwoFactorPolicy.OPTIONAL)
    ticket_paper = models.CharField(max_length=8, choices=TicketPaper.choices, default=TicketPaper.A4)
    receipt_paper = models.CharField(max_length=8, choices=ReceiptPaper.choices, default=ReceiptPaper.A4)
    # The desk works in shifts: a cash or card sale at the desk needs the operator's open
    # shift, so that the drawer can be checked at closing time. An organizer that does not
    # keep a drawer turns it off on the Shift page.
    desk_shifts = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    def requires_two_factor(self, role: str) -> bool:
        return self.two_factor == TwoFactorPolicy.EVERYONE or (
            self.two_factor == TwoFactorPolicy.ADMINS and role == Role.ADMIN
        )


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    OPERATOR = "operator", "Operator"
    VIEWER = "viewer", "Viewer"


class Membership(models.Model):
    """A user's role in one organizer. Services receive a membership as the actor."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the member first set foot in the organizer: accepted the invitation, or (a user who
    # already had an account) first opened its pages. Until then the team shows "invited".
    joined_at = models.DateTimeField(null=True, blank=True)
    # Where the primary's write-ahead log was after this member's last change: a read replica
    # serves their reads only once it has replayed that far (db/replicas.py).
    wrote_lsn = models.CharField(max_length=32, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organizer"], name="membership_unique_user_organizer"),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.role})"

    @property
    def label(self) -> str:
        return self.user.email or self.user.get_username()


class Invitation(models.Model):
    """A one-time link for a new member to set their own password. The link carries a signed
    (id, nonce) pair; resending makes a new nonce, so only the newest link works. It goes with
    the membership: a member removed before accepting cannot accept."""

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="invitation")
    nonce = models.CharField(max_length=32)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)


class ApiToken(models.Model):
    """An operator's API token. Only its SHA-256 digest is stored."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


class Device(models.Model):
    """A scanner at a gate. Its token is stored as a SHA-256 digest."""

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="devices")
    name = models.CharField(max_length=100)
    gate = models.CharField(max_length=100, blank=True)
    events = models.ManyToManyField("core.Event", blank=True, related_name="devices")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The one pairing link out for this device (a phone opens it to sign in as the device);
    # used or replaced, it stops working.
    pairing_nonce = models.CharField(max_length=32, blank=True)

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return f"device {self.name}" + (f" ({self.gate})" if self.gate else "")


class Buyer(models.Model):
    # The name of a walk-in who gave none; not printed as a ticket's holder.
    WALK_IN_NAME = "Walk-in"

    organizer = models.ForeignKey(Organizer, on_delete=models.PROTECT, related_name="buyers")
    # Empty for a walk-in at the desk, who gets nothing emailed.
    email = models.EmailField(max_length=254, blank=True)
    # Lower-cased and trimmed: the key buyers are found by.
    email_normalized = models.CharField(max_length=254, blank=True)
    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=40, blank=True)
    # Digits only (with a leading + kept), so "06 12 34" and "061234" match.
    phone_normalized = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=8, default="en")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Walk-ins have no email: each is a buyer of their own.
            models.UniqueConstraint(
                fields=["organizer", "email_normalized"], condition=~Q(email_normalized=""), name="buyer_unique_email"
            ),
        ]
        indexes = [
            models.Index(fields=["organizer", "phone_normalized"], name="buyer_phone_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else self.name

    @property
    def walk_in(self) -> bool:
        return not self.email
