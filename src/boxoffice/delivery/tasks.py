"""The background task that sends one outbox message, and how messages get to it."""

import logging
import smtplib

from django.db import transaction
from django.tasks import task

from boxoffice.core.background import deliver_later
from boxoffice.core.errors import NothingToSend
from boxoffice.core.models import Message
from boxoffice.delivery import outbox
from boxoffice.delivery.compose import compose

logger = logging.getLogger(__name__)


@task()
def deliver_message(message_id: int) -> str:
    message = outbox.claim(message_id)
    if message is None:
        return "not queued"  # another worker took it, or it was sent already
    try:
        composed = compose(message)
    except NothingToSend as exc:
        outbox.mark_failed(message, error=exc.message)
        return "failed"
    except Exception as exc:  # a document that cannot be rendered will not render on retry either
        logger.exception("Message %s could not be composed", message.pk)
        outbox.mark_failed(message, error=f"Could not prepare the email: {type(exc).__name__}: {exc}")
        return "failed"
    try:
        composed.email.send()
    except Exception as exc:  # noqa: BLE001 — any failure is recorded on the message
        return _after_failure(message, exc)
    outbox.mark_sent(message, smtp_message_id=composed.message_id)
    return "sent"


def _after_failure(message: Message, exc: Exception) -> str:
    error = f"{type(exc).__name__}: {exc}"
    delay = outbox.retry_delay(message.attempts) if is_temporary(exc) else None
    if delay is None:
        logger.warning("Message %s failed for good: %s", message.pk, error)
        outbox.mark_failed(message, error=error)
        return "failed"
    logger.info("Message %s will be retried in %ss: %s", message.pk, delay, error)
    with transaction.atomic():
        due = outbox.schedule_retry(message, error=error, delay=delay)
        deliver_later(message, run_after=due)
    return "retry"


def is_temporary(exc: Exception) -> bool:
    """SMTP 4xx replies and network trouble pass; 5xx replies (unknown mailbox, refused) stay."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, (OSError, smtplib.SMTPException))


def recover_stale_messages() -> int:
    """Requeue the messages of workers that died mid-send, and give a task to queued messages
    that lost theirs; returns how many."""
    recovered = 0
    for message_id in outbox.stale_message_ids():
        with transaction.atomic():
            if outbox.release_stale(message_id):
                deliver_message.enqueue(message_id)
                recovered += 1
    for message_id in outbox.orphaned_message_ids():
        logger.warning("Message %s was queued without a task to send it; sending it now", message_id)
        deliver_message.enqueue(message_id)
        recovered += 1
    return recovered
