"""The life of an outbox row in the worker: queued → sending → sent, back to queued for a
retry, or failed. Every step is a conditional UPDATE on the expected status, so two workers
never both take one message, and a late worker cannot overwrite a newer outcome."""

from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from boxoffice.core.background import DELIVER_MESSAGE
from boxoffice.core.models import Message

Status = Message.Status


def claim(message_id: int) -> Message | None:
    """Take a queued message for sending, or None if another worker has it or it is done."""
    now = timezone.now()
    taken = Message.objects.filter(pk=message_id, status=Status.QUEUED).update(
        status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now, last_attempt_at=now, next_attempt_at=None
    )
    return Message.objects.get(pk=message_id) if taken else None


def mark_sent(message: Message, *, smtp_message_id: str) -> None:
    Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), smtp_message_id=smtp_message_id, last_error="", claimed_at=None
    )


def mark_failed(message: Message, *, error: str) -> None:
    Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=Status.FAILED, last_error=error[:2000], claimed_at=None
    )


def retry_delay(attempts: int) -> int | None:
    """Seconds before the next try after `attempts` tries, or None when they are used up."""
    delays = settings.DELIVERY_RETRY_DELAYS
    return delays[attempts - 1] if attempts - 1 < len(delays) else None


def schedule_retry(message: Message, *, error: str, delay: int):
    """Back to queued, due after `delay` seconds; returns when."""
    due = timezone.now() + timedelta(seconds=delay)
    Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=Status.QUEUED, last_error=error[:2000], next_attempt_at=due, claimed_at=None
    )
    return due


def stale_message_ids() -> list[int]:
    """Messages a worker took longer ago than the lease: that worker died mid-send."""
    cutoff = timezone.now() - timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    return list(Message.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff).values_list("pk", flat=True))


def orphaned_message_ids() -> list[int]:
    """Queued messages, due for a lease's length already, that no waiting task will send: the
    task row was lost (a crash between two writes of an older version, a row removed by
    hand). A task still running long after it started belongs to a dead worker too. Read in
    this order (messages, then tasks), a message committed with its task in between is never
    taken for an orphan; one sent in between gets a second task, which finds it sent."""
    cutoff = timezone.now() - timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    overdue = Message.objects.filter(status=Status.QUEUED, created_at__lt=cutoff).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lt=cutoff)
    )
    queued = set(overdue.values_list("pk", flat=True))
    if not queued:
        return []
    waiting = DBTaskResult.objects.filter(task_path=DELIVER_MESSAGE).filter(
        Q(status=TaskResultStatus.READY) | Q(status=TaskResultStatus.RUNNING, started_at__gte=cutoff)
    )
    pending = {args["args"][0] for args in waiting.values_list("args_kwargs", flat=True) if args.get("args")}
    return sorted(queued - pending)


def release_stale(message_id: int) -> bool:
    """Back to the queue, unless its attempts are used up: a message that kills its worker
    every time must not do so forever. Returns whether it was requeued."""
    cutoff = timezone.now() - timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    stale = Message.objects.filter(pk=message_id, status=Status.SENDING, claimed_at__lt=cutoff)
    max_attempts = len(settings.DELIVERY_RETRY_DELAYS) + 1
    stale.filter(attempts__gte=max_attempts).update(
        status=Status.FAILED, claimed_at=None, last_error="The worker stopped while sending this message, every time."
    )
    return bool(stale.filter(attempts__lt=max_attempts).update(status=Status.QUEUED, claimed_at=None, next_attempt_at=None))
