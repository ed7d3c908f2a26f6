"""Correcting a buyer (§3.10, Edit buyer): name, email, phone, language. A buyer belongs to
the organizer and is shared by all their orders, so every order of theirs follows."""

from django.db import IntegrityError, transaction

from boxoffice.core import audit
from boxoffice.core.errors import BuyerEmailTaken, InvalidInput
from boxoffice.core.models import Buyer, Order, buyer_copies
from boxoffice.core.rules import inputs
from boxoffice.core.rules.contact import is_deliverable_email, normalize_email, normalize_phone
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.services.permissions import require

LANGUAGES = ("en", "nl")
FIELDS = ("name", "email", "phone", "language")


def update_buyer(order: Order, *, actor, name: str, email: str, phone: str = "", language: str = "en") -> Buyer:
    """Change the buyer of this order (and so of all their orders); the change is in the
    order's history. A walk-in (no email) may be given one, so that the tickets can be sent.
    Raises InvalidInput, BuyerEmailTaken (another buyer has that address)."""
    require(actor, Permission.CHANGE_ORDERS, organizer_id=order.organizer_id)
    name = inputs.single_line(name, field="name", label="The buyer's name")
    email = inputs.single_line(email, field="email", label="The email", max_length=254, required=False)
    if email and not is_deliverable_email(email):
        raise InvalidInput(f"{email} is not an email address we can send tickets to.", field="email")
    phone = inputs.phone_number(phone)
    if language not in LANGUAGES:
        raise InvalidInput(f"Language is one of {', '.join(LANGUAGES)}.", field="language")
    try:
        with transaction.atomic():
            buyer = Buyer.objects.select_for_update().get(pk=order.buyer_id)
            before = {f: getattr(buyer, f) for f in FIELDS}
            if not email and before["email"]:
                raise InvalidInput("A buyer with an email address keeps one: correct it instead.", field="email")
            after = {"name": name, "email": email, "phone": phone, "language": language}
            if before == after:
                return buyer
            buyer.name, buyer.email, buyer.phone, buyer.language = name, email, phone, language
            buyer.email_normalized, buyer.phone_normalized = normalize_email(email), normalize_phone(phone)
            buyer.save(update_fields=[*FIELDS, "email_normalized", "phone_normalized"])
            Order.objects.filter(buyer=buyer).update(**buyer_copies(buyer))
            changed = [f for f in FIELDS if before[f] != after[f]]
            audit.record(
                actor, "buyer.updated", organizer=order.organizer, order=order, target=email or name,
                before={f: before[f] for f in changed}, after={f: after[f] for f in changed},
            )  # fmt: skip
    except IntegrityError:
        raise BuyerEmailTaken(
            f"Another buyer of {order.organizer.name} has the address {email}; their orders are theirs.", field="email"
        ) from None
    return buyer
