"""Message buyers (§3.13): a subject and text an operator writes to the buyers of an event,
of some time blocks or of a search result. Each buyer gets it once, however many orders they
have; it shows in every one of those orders' messages. Sent by the worker as a job (see
services/time_blocks.py), one step per buyer."""

from dataclasses import dataclass

from django.db import transaction

from boxoffice.core.models import Job, JobStep, Message, Order, Ticket
from boxoffice.core.rules import inputs
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.rules.time_blocks import check_placeholders, fill_placeholders
from boxoffice.core.selectors.orders import OrderFilters, filters_params, search_orders
from boxoffice.core.services.formatting import timeslot_label
from boxoffice.core.services.messages import queue_message
from boxoffice.core.services.permissions import require

MAX_SUBJECT = 150
MAX_BODY = 10_000


@dataclass(frozen=True)
class Scope:
    """Whose buyers: orders of these time blocks, or else the orders Look up orders finds with
    these filters (an event alone is a filter)."""

    timeslot_ids: tuple[int, ...] = ()
    filters: OrderFilters = OrderFilters()


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str
    attach_tickets: bool


@dataclass(frozen=True)
class Recipient:
    to: str
    orders: list[Order]  # the first carries the email, the others ride along


@dataclass(frozen=True)
class MessagePreview:
    letter: Letter
    recipients: int
    orders: int
    without_email: int  # orders of walk-ins: nobody to write to
    several: int  # buyers with more than one order, who get one email for all of them
    sample: tuple[str, str, str] | None  # (to, subject, text) for the first recipient


def letter(subject: str, body: str, attach_tickets: bool) -> Letter:
    """Raises InvalidInput: empty, too long, control characters, an unknown placeholder."""
    subject = inputs.single_line(subject, field="subject", label="The subject", max_length=MAX_SUBJECT)
    body = inputs.multi_line(body, field="body", label="The text", max_length=MAX_BODY)
    return Letter(check_placeholders(subject, field="subject"), check_placeholders(body, field="body"), bool(attach_tickets))


def recipients(organizer, scope: Scope) -> tuple[list[Recipient], int, int]:
    """(recipients by address, earliest order first; orders in scope; orders without email).
    Removed orders are left out: their buyers have nothing left to visit."""
    if scope.timeslot_ids:
        from boxoffice.core.services.time_blocks import blocks_of

        blocks = blocks_of(organizer, scope.timeslot_ids, field_name="timeslots", label="Message buyers")
        ids = Ticket.objects.filter(timeslot__in=blocks).exclude(state=Ticket.State.VOID).values("order_id")
        orders = Order.objects.filter(pk__in=ids)
    else:
        orders = search_orders(organizer, scope.filters).matching
    orders = orders.filter(organizer=organizer).exclude(status=Order.Status.REMOVED).select_related("buyer", "event")
    groups: dict[str, list[Order]] = {}
    without_email = 0
    for order in orders.order_by("created_at", "pk"):
        key = order.buyer.email_normalized or order.buyer.email.strip().lower()
        if not key:
            without_email += 1
            continue
        groups.setdefault(key, []).append(order)
    found = [Recipient(group[0].buyer.email, group) for group in groups.values()]
    return found, sum(len(r.orders) for r in found) + without_email, without_email


def preview_message(organizer, *, scope: Scope, subject: str, body: str, attach_tickets: bool, actor) -> MessagePreview:
    require(actor, Permission.BULK_CHANGES, organizer_id=organizer.pk)
    written = letter(subject, body, attach_tickets)
    found, orders, without_email = recipients(organizer, scope)
    sample = None
    if found:
        first = found[0]
        sample = (first.to, *render(written.subject, written.body, first.orders))
    return MessagePreview(written, len(found), orders, without_email, sum(len(r.orders) > 1 for r in found), sample)


def start_message(organizer, *, scope: Scope, subject: str, body: str, attach_tickets: bool, actor,
                  request_key: str = "") -> Job:  # fmt: skip
    """Raises as preview_message, BlockBusy, InvalidInput (nobody to write to)."""
    from boxoffice.core.services.time_blocks import MESSAGE, _start, blocks_of

    require(actor, Permission.BULK_CHANGES, organizer_id=organizer.pk)
    written = letter(subject, body, attach_tickets)
    found, _, _ = recipients(organizer, scope)
    blocks = blocks_of(organizer, scope.timeslot_ids, field_name="timeslots", label="Message buyers") if scope.timeslot_ids else []
    params = {"subject": written.subject, "body": written.body, "attach_tickets": written.attach_tickets,
              "timeslots": [b.pk for b in blocks], "filters": filters_params(scope.filters)}  # fmt: skip
    steps = [JobStep(order=r.orders[0], other_orders=[o.pk for o in r.orders[1:]], tickets=len(r.orders)) for r in found]
    return _start(organizer, MESSAGE, params, blocks, blocks, actor, request_key, f"Message “{written.subject}”", steps=steps)


def message_step(job: Job, step: JobStep, run) -> tuple[str, str, str]:
    """One buyer: one email (on the first order), and the same message in the others'."""
    first = step.order
    if not first.buyer.email:
        return JobStep.Outcome.NOT_DONE, "no_email", "No email address."
    others = list(Order.objects.filter(pk__in=step.other_orders).order_by("created_at", "pk"))
    context = {"subject": job.params["subject"], "body": job.params["body"],
               "attach_tickets": job.params["attach_tickets"], "job": job.pk}  # fmt: skip
    with transaction.atomic():
        message = queue_message(first, kind=Message.Kind.CUSTOM, actor=run.actor, context=context)
        Message.objects.bulk_create(
            Message(organizer_id=o.organizer_id, order=o, kind=Message.Kind.CUSTOM, to=message.to, language=message.language,
                    status=Message.Status.INCLUDED, sent_with=message, context=context, created_by=run.actor)
            for o in others
        )  # fmt: skip
    with_others = f" (with order{'s' * (len(others) > 1)} {', '.join(o.code for o in others)})" if others else ""
    return JobStep.Outcome.DONE, "queued", f"Email to {message.to} queued{with_others}."


def orders_of(message: Message) -> list[Order]:
    """The orders an email is about: its own and those that ride along."""
    rest = Order.objects.filter(messages__sent_with=message).order_by("created_at", "pk")
    return [message.order, *rest]


def render(subject: str, body: str, orders: list[Order]) -> tuple[str, str]:
    """The subject and text with the placeholders filled in from the buyer's orders now."""
    values = placeholder_values(orders)
    return " ".join(fill_placeholders(subject, values).split()), fill_placeholders(body, values)


def placeholder_values(orders: list[Order]) -> dict[str, str]:
    visits = []
    tickets = Ticket.objects.filter(order__in=orders).exclude(state=Ticket.State.VOID).select_related("timeslot__event")
    for timeslot in sorted({t.timeslot for t in tickets}, key=lambda s: (s.start, s.pk)):
        visits.append(timeslot_label(timeslot))
    buyer = orders[0].buyer
    return {"name": buyer.name, "order": ", ".join(o.code for o in orders), "visit": "; ".join(visits) or "—"}
