"""One history of an order: audit entries (every operator action, with comments and sends),
email deliveries and gate scans, oldest first."""

from dataclasses import dataclass, field
from datetime import datetime

from boxoffice.core.models import AuditEntry, Message, Order, Scan


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    kind: str  # audit | message | scan
    action: str
    details: dict = field(default_factory=dict)


def order_timeline(order: Order) -> list[TimelineEntry]:
    entries = [
        TimelineEntry(a.at, a.actor_label, "audit", a.action, {"target": a.target, "before": a.before, "after": a.after})
        for a in AuditEntry.objects.filter(order=order).order_by("at", "pk")
    ]
    for message in Message.objects.filter(order=order, last_attempt_at__isnull=False):
        if message.status == Message.Status.SENT:
            entries.append(TimelineEntry(message.sent_at, "worker", "message", "message.sent", _message(message)))
        elif message.last_error:
            entries.append(
                TimelineEntry(message.last_attempt_at, "worker", "message", f"message.{message.status}", _message(message))
            )
    entries += [
        TimelineEntry(
            s.made_at or s.at, s.gate or (s.device.name if s.device else "gate"), "scan", f"scan.{s.verdict}",
            {"barcode": s.barcode, "direction": s.direction, "reason": s.reason, "message": s.message,
             **({"received_at": s.at} if s.made_at else {})},
        )
        for s in Scan.objects.filter(order=order).select_related("device").order_by("at", "pk")
    ]  # fmt: skip
    return sorted(entries, key=lambda e: e.at)


def _message(message: Message) -> dict:
    return {"kind": message.kind, "to": message.to, "attempts": message.attempts, "error": message.last_error}
