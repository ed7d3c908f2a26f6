"""Remove tickets and Change ticket type, the two bulk actions of Ticket operations that change
what an order is worth: their confirmation says what the balance will be, and applying them
goes through services/changes.py."""

from decimal import Decimal

from django.contrib import messages
from django.shortcuts import redirect

from boxoffice.core.models import Order, Ticket, TicketType
from boxoffice.core.selectors.orders import balance_of
from boxoffice.core.services import changes

MONEY_ACTIONS = ("remove", "change_type")


def confirm_context(order: Order, action: str, selected: list[Ticket], live: list[Ticket]) -> dict:
    """What the confirmation of a money action shows, beyond the tickets."""
    balance = balance_of(order)
    currency = order.event.currency
    if action == "remove":
        everything = len(selected) == len(live)
        after = balance.after(-order.total if everything else -sum((t.price for t in selected), Decimal("0")))
        return {"consequences": _removal_words(len(selected), everything, after, currency), "ask_reason": True}
    options = [o for t in order.event.ticket_types.order_by("pk") if (o := _type_option(t, selected, balance, currency))]
    if not options:
        return {"consequences": [f"{order.event.name} has no other ticket type to change to."]}
    return {
        "consequences": [
            f"{_n(len(selected), 'ticket')} will change type: same barcodes, time blocks and states.",
            "No money moves by itself: a difference to pay is collected with Register payment, "
            "one to give back recorded with Record refund.",
        ],
        "type_options": options,
    }


def _removal_words(n: int, everything: bool, after, currency: str) -> list[str]:
    lines = [f"{_n(n, 'ticket')} will be void and {_them(n)} place{'' if n == 1 else 's'} released."]
    if everything:
        lines.append("These are all the order's valid tickets: the whole purchase is removed.")
    lines.append("There will be no automatic refund.")
    if after.to_refund:
        lines.append(f"{currency} {after.to_refund} would then be due back to the buyer (use Record refund).")
    elif after.due:
        lines.append(f"{currency} {after.due} would still be due from the buyer.")
    return lines


def _type_option(ticket_type: TicketType, selected: list[Ticket], balance, currency: str):
    moving = [t for t in selected if t.ticket_type_id != ticket_type.pk]
    if not moving:
        return None
    after = balance.after(sum((ticket_type.price - t.price for t in moving), Decimal("0")))
    money = (f"then {currency} {after.due} due" if after.due else
             f"then {currency} {after.to_refund} to refund" if after.to_refund else "nothing due")  # fmt: skip
    return (ticket_type.pk, f"{ticket_type.name} · {currency} {ticket_type.price} each · {money}")


def apply(request, order: Order, form):
    """Apply a confirmed money action; DomainErrors go to the caller, who shows them."""
    data = form.cleaned_data
    currency = order.event.currency
    if data["action"] == "remove":
        change = changes.remove_tickets(order, barcodes=data["tickets"], reason=data["reason"], actor=request.membership)
        done = f"{_n(len(change.tickets), 'ticket')} removed"
        if change.order.status == Order.Status.REMOVED:
            done += "; the purchase is removed"
    else:
        change = changes.change_ticket_type(
            order, barcodes=data["tickets"], to_type=data["to_type"] or 0, reason=data["reason"], actor=request.membership
        )
        done = f"{_n(len(change.tickets), 'ticket')} changed to {change.tickets[0].ticket_type.name}"
    after = balance_of(change.order)
    if after.to_refund:
        done += f". {currency} {after.to_refund} to refund (no automatic refund: Record refund)"
    elif after.due:
        done += f". {currency} {after.due} due (Register payment)"
    messages.success(request, done + ".")
    return redirect("portal:order", org=request.organizer.slug, code=order.code)


def _n(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _them(n: int) -> str:
    return "its" if n == 1 else "their"
