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
        target=fitted_target(target),
        before=before,
        after=after,
    )


def fitted_target(target: str) -> str:
    """The target as the column holds it: a long list ("A, B, C", the barcodes of a change to
    a group order of 1,000 tickets) keeps the first items that fit and says how many more; the
    whole list is in the entry's before and after."""
    limit = AuditEntry._meta.get_field("target").max_length
    if len(target) <= limit:
        return target
    items = target.split(", ")
    kept: list[str] = []
    for item in items:
        rest = len(items) - len(kept) - 1
        if len(", ".join([*kept, item])) + len(f", and {rest} more") > limit:
            break
        kept.append(item)
    if not kept:
        return target[: limit - 1] + "…"
    return f"{', '.join(kept)}, and {len(items) - len(kept)} more"


def record_for_user(user, action: str, *, by_user: bool = True, after: Any = None) -> None:
    """An event of a person's account (password reset, two-factor on or off, sign-in locked):
    recorded in every organizer they belong to, so each organizer's admins see it about their
    own member, and nothing about other organizers. `by_user=False` when someone else caused it
    (a sign-in locked by failed attempts)."""
    for membership in Membership.objects.filter(user=user).select_related("organizer", "user"):
        actor = membership if by_user else None
        record(actor, action, organizer=membership.organizer, target=membership.label, after=after)
