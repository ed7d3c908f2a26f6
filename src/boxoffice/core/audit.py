"""The one way to write the audit log."""

from typing import Any

from boxoffice.core.models import AuditEntry, Membership, Order, Organizer

SYSTEM = "system"


def actor_label(actor) -> str:
    return actor.label if actor is not None else SYSTEM


def record(
    actor,
    action: str,
    *,
    organizer: Organizer,
    order: Order | None = None,
    target: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        organizer=organizer,
        order=order,
        actor=actor if isinstance(actor, Membership) else None,
        actor_label=actor_label(actor),
        action=action,
        target=target,
        before=before,
        after=after,
    )
