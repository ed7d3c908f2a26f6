"""An outbox row → the email to send: text and HTML bodies in the buyer's language (English
where we have no translation) and the PDFs, rendered now from the order as it is now, so a
message queued before a reissue carries the new tickets."""

from dataclasses import dataclass
from email.utils import formataddr, make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from boxoffice.core.errors import NothingToSend
from boxoffice.core.models import Message, Order
from boxoffice.core.models.messages import ACCOUNT_KINDS
from boxoffice.delivery.account_emails import compose_account_email
from boxoffice.core.services.buyer_messages import orders_of, render
from boxoffice.delivery.notices import cancellation_context, changes_since_last_tickets, moves_named, timeslot_when
from boxoffice import documents
from boxoffice.documents.data import live_tickets

SUBJECTS = {
    ("tickets", "en"): "Your tickets for {event} (order {code})",
    ("tickets", "nl"): "Je tickets voor {event} (bestelling {code})",
    ("receipt", "en"): "Payment receipt for order {code}",
    ("receipt", "nl"): "Betalingsbewijs voor bestelling {code}",
    ("cancellation", "en"): "Your visit to {event} is cancelled (order {code})",
}


@dataclass(frozen=True)
class Composed:
    email: EmailMultiAlternatives
    message_id: str


def compose(message: Message) -> Composed:
    """Raises NothingToSend when the order has no live tickets left to send, or the
    invitation was withdrawn."""
    if message.kind in ACCOUNT_KINDS:
        return Composed(*compose_account_email(message))
    order = Order.objects.select_related("organizer", "event", "buyer").get(pk=message.order_id)
    base_language = message.language.split("-")[0].lower()  # "nl-NL" reads as "nl"
    language = base_language if (message.kind, base_language) in SUBJECTS else "en"
    context = {"order": order, "buyer": order.buyer, "event": order.event, "organizer": order.organizer}
    attachments = []
    subject = None
    if message.kind == Message.Kind.TICKETS:
        if order.status == Order.Status.REMOVED:
            raise NothingToSend(f"Order {order.code} was removed; its tickets are void.")
        pdf = documents.tickets_pdf(order)
        context["tickets"] = [(t, timeslot_when(t.timeslot, language)) for t in live_tickets(order)]
        context |= changes_since_last_tickets(order, message, language)
        if not context["moved"] and message.context.get("moved"):
            context["moved"] = moves_named(message.context["moved"], language)
        attachments.append((f"tickets-{order.code}.pdf", pdf))
    elif message.kind == Message.Kind.CANCELLATION:
        context |= cancellation_context(order, message, language)
    elif message.kind == Message.Kind.CUSTOM:
        subject, context["text"], attachments = _custom(message)
    else:
        attachments.append((f"receipt-{order.code}.pdf", documents.receipt_pdf(order)))
    if subject is None:
        subject = SUBJECTS[(message.kind, language)].format(event=order.event.name, code=order.code)

    message_id = make_msgid(idstring=f"{message.kind}.{message.pk}", domain=settings.EMAIL_FROM.rpartition("@")[2])
    email = EmailMultiAlternatives(
        # One line whatever an older version let into a name: a line break would make the
        # header unsendable, for every email of the event.
        subject=" ".join(subject.split()),
        body=_render(message.kind, language, "txt", context),
        from_email=formataddr((order.organizer.name, settings.EMAIL_FROM)),
        to=[message.to],
        reply_to=[order.organizer.email] if order.organizer.email else [],
        headers={"Message-ID": message_id},
    )
    email.attach_alternative(_render(message.kind, language, "html", context), "text/html")
    for filename, content in attachments:
        email.attach(filename, content, "application/pdf")
    return Composed(email, message_id)


def _custom(message: Message) -> tuple[str, str, list]:
    """An operator's message: placeholders filled from the buyer's orders as they are now,
    and the current tickets of each of those orders when asked for."""
    orders = orders_of(message)
    subject, text = render(message.context["subject"], message.context["body"], orders)
    attachments = []
    if message.context.get("attach_tickets"):
        for order in orders:
            if order.status != Order.Status.REMOVED and live_tickets(order):
                attachments.append((f"tickets-{order.code}.pdf", documents.tickets_pdf(order)))
    return subject, text, attachments


def _render(kind: str, language: str, extension: str, context: dict) -> str:
    try:
        return render_to_string(f"delivery/{kind}.{language}.{extension}", context)
    except TemplateDoesNotExist:
        return render_to_string(f"delivery/{kind}.en.{extension}", context)
