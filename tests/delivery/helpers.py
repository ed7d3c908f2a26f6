"""Reading the outbox and what the SMTP server received."""

from email.message import EmailMessage

from boxoffice.core.models import Message, Ticket


def message_of(order, kind: str = "tickets") -> Message:
    return Message.objects.get(order=order, kind=kind)


def live_barcodes(order) -> list[str]:
    return list(order.tickets.exclude(state=Ticket.State.VOID).order_by("pk").values_list("barcode", flat=True))


def bodies(mail: EmailMessage) -> tuple[str, str]:
    """(plain text, HTML) of a multipart/alternative email."""
    return mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()


def pdf_attachment(mail: EmailMessage, filename: str) -> bytes:
    """The email's only attachment, which must be this PDF file."""
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_filename() == filename
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content_disposition() == "attachment"
    return attachment.get_content()
