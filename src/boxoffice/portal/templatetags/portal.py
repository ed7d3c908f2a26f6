
from decimal import Decimal

from django import template
from django.utils import timezone

from boxoffice.core.rules.contact import BUYER_LANGUAGES
from boxoffice.core.rules.money import to_money
from boxoffice.core.services.formatting import block_label

register = template.Library()

ACTIONS = {
    "order.sold": "sold the order",
    "order.send_tickets": "sent the tickets",
    "order.send_receipt": "sent the payment receipt",
    "order.removed": "removed the purchase (no refund)",
    "order.refunded": "recorded a refund",
    "order.rescheduled": "moved tickets to another time block",
    "comment.buyer": "added a buyer comment",
    "comment.purchase": "added a purchase comment",
    "tickets.unscanned": "set tickets to Unscanned",
    "tickets.scanned_in": "set tickets to Scanned in",
    "tickets.scanned_out": "set tickets to Scanned out",
    "tickets.blacklisted": "blacklisted tickets",
    "tickets.reissued": "reissued the tickets",
    "tickets.removed": "removed tickets (no refund)",
    "tickets.type_changed": "changed the ticket type",
    "message.resent": "queued a failed email again",
    "message.sent": "email delivered",
    "message.failed": "email failed",
    "message.queued": "email will be retried",
    "job.tickets_pdf": "asked for the tickets PDF (made in the background)",
    "job.block_move.order": "Move time block",
    "job.block_cancel.order": "Cancel time block",
    "job.buyer_message.order": "Message buyers",
    "buyer.updated": "corrected the buyer",
    "order.payment": "registered a payment",
    "order.printed": "printed",
}


PAPER_WORDS = {"a4": "A4", "stock": "ticket stock", "roll80": "80 mm roll"}


ACCOUNT_ACTIONS = {
    "member.set": "set up from the server",
    "member.invited": "invited a member",
    "member.invitation_resent": "sent an invitation again",
    "member.joined": "joined the team",
    "member.role_changed": "changed a role",
    "member.removed": "removed a member",
    "token.created": "created an API token",
    "token.revoked": "revoked an API token",
    "device.created": "created a scanner device",
    "device.revoked": "revoked a scanner device",
    "device.pairing_link": "made a pairing link for a scanner device",
    "device.paired": "a phone was paired with a scanner device",
    "password.changed": "changed their password",
    "password.reset": "reset their password by email link",
    "two_factor.enabled": "turned on two-factor authentication",
    "two_factor.disabled": "turned off two-factor authentication",
    "two_factor.recovery_codes_replaced": "made new recovery codes",
    "two_factor.recovery_code_used": "signed in with a recovery code",
    "signin.locked": "sign-in locked after failed attempts",
    "sessions.ended": "signed out everywhere",
    "organizer.created": "created the organizer",
    "organizer.two_factor": "changed who needs two-factor authentication",
    "organizer.paper": "changed what the desk prints on",
}


@register.filter
def activity_label(action: str) -> str:
    return ACCOUNT_ACTIONS.get(action, action)


@register.filter
def describe(entry) -> str:
    """A timeline entry in words an operator reads at a glance."""
    details = entry.details or {}
    if entry.kind == "scan":
        direction = "in" if details.get("direction") == "in" else "out"
        late = ""
        if received := details.get("received_at"):
            late = f" (sent late, received {timezone.localtime(received):%H:%M:%S}: the gate was offline)"
        return f"scan {direction} of {details.get('barcode')}: {details.get('message')}{late}"
    text = ACTIONS.get(entry.action, entry.action)
    if entry.kind == "message":
        text += f" ({details.get('kind')} to {details.get('to')})"
        if details.get("error") and entry.action != "message.sent":
            text += f": {details['error']}"
        return text
    after = details.get("after") or {}
    if entry.action == "order.refunded":
        text += f": {after.get('amount')} ({after.get('method')})"
    elif entry.action == "order.payment":
        text += f": {after.get('amount')} ({after.get('method')}), {after.get('due')} still due"
    elif entry.action == "buyer.updated":
        text += ": " + ", ".join(f"{field} {value}" for field, value in after.items())
    elif entry.action.startswith("order.send_") and after.get("instead_of"):
        text += f" to {after.get('to')} (this once, instead of {after.get('instead_of')})"
    elif entry.action.startswith("comment."):
        text += f": “{after.get('text', '')}”"
    elif entry.action in ("tickets.removed", "tickets.type_changed"):
        before = details.get("before") or {}
        changed = len(before.get("tickets") or {})
        into = f" to {after['to_type']}" if after.get("to_type") else ""
        text += f": {changed} ticket{'' if changed == 1 else 's'}{into}, total {before.get('total')} → {after.get('total')}"
        if after.get("reason"):
            text += f" (“{after['reason']}”)"
    elif entry.action.startswith("tickets.") and entry.action != "tickets.reissued":
        text += f": {', '.join(after)}"
    elif entry.action == "tickets.reissued":
        text += f": {len(after.get('void', []))} void, {len(after.get('new', []))} new"
    elif entry.action == "order.printed":
        text += f" the {after.get('what', 'tickets')} ({PAPER_WORDS.get(after.get('paper'), after.get('paper'))})"
    elif entry.action == "order.rescheduled":
        text += f": {after.get('tickets')} ticket(s)"
    elif entry.action in ("job.block_move.order", "job.block_cancel.order", "job.buyer_message.order"):
        text += f" (job {after.get('job')}): {after.get('detail', '')}"
    return text


@register.filter
def time_block(timeslot) -> str:
    """"Fri 4 Dec 2026 14:00–15:00", or both dates for a block over several days."""
    return block_label(timeslot.start, timeslot.end, timeslot.event.timezone)


@register.filter
def visit(visits: dict, order) -> str:
    """An order's visit on a results row: "Fri 11 Dec 14:00–15:00 (+1 more) · 2 tickets"."""
    found = visits.get(order.pk)
    if found is None:
        return "no valid tickets"
    text = block_label(found.start, found.end, order.event.timezone, year=found.start.year != timezone.now().year)
    if found.more_blocks:
        text += f" (+{found.more_blocks} more)"
    return f"{text} · {found.tickets} ticket{'s' if found.tickets != 1 else ''}"


@register.filter
def language_name(code: str) -> str:
    return BUYER_LANGUAGES.get(code, code)


@register.filter
def cents(amount) -> str:
    """An amount with its two decimals, also when the database summed it without them."""
    return f"{to_money(Decimal(amount)):.2f}"
