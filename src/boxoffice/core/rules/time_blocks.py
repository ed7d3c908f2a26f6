"""Rules for changing whole time blocks at once (§3.13): where each order of a moved block
goes, and what an operator's message to buyers says once its placeholders are filled in."""

import re
from dataclasses import dataclass

from boxoffice.core.errors import InvalidInput

PLACEHOLDERS = {
    "name": "the buyer's name",
    "order": "the order code (all of them, for a buyer with several orders)",
    "visit": "the visit time (every visit, for a buyer with several)",
}
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


def first_with_room(
    needed: int, room: dict[int, int], targets: list[int]
) -> int | None:
    """The first target block (in the order given: earliest first) with room for all of an
    order's `needed` tickets; an order moves whole or stays, so that no group is split."""
    return next((target for target in targets if room.get(target, 0) >= needed), None)


@dataclass(frozen=True)
class PlannedMove:
    order_id: int
    tickets: int
    target: int | None  # None: it does not fit anywhere


def plan_moves(
    needs: list[tuple[int, int]], room: dict[int, int], targets: list[int]
) -> list[PlannedMove]:
    """Orders (id, tickets), earliest buyers first, given out over the targets' free places
    as the job will do it; what is left over stays where it is."""
    room = dict(room)
    plan = []
    for order_id, tickets in needs:
        target = first_with_room(tickets, room, targets)
        if target is not None:
            room[target] -= tickets
        plan.append(PlannedMove(order_id, tickets, target))
    return plan


def check_placeholders(text: str, *, field: str) -> str:
    """Raises InvalidInput naming a placeholder we do not know (a typo like {nmae} would
    otherwise reach every buyer as it stands)."""
    unknown = sorted(
        {name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS}
    )
    if unknown:
        known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        raise InvalidInput(
            f"Unknown placeholder {{{unknown[0]}}}: use {known}.", field=field
        )
    return text


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Known placeholders replaced; any other text with braces is left exactly as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
