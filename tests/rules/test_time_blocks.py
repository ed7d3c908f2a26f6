"""Where each order of a moved block goes, and how a message's placeholders are filled."""

import pytest

from boxoffice.core.errors import InvalidInput
from boxoffice.core.rules.time_blocks import check_placeholders, fill_placeholders, plan_moves


@pytest.mark.parametrize(
    "needs, room, targets, expected",
    [
        # earliest buyers first; an order goes whole to the first block with room for it all
        ([(1, 2), (2, 1), (3, 2)], {10: 3, 20: 2}, [10, 20], [10, 10, 20]),
        # a big group that fits nowhere stays, and smaller later orders still get the room
        ([(1, 4), (2, 1)], {10: 3}, [10], [None, 10]),
        # the order of the targets is the order they fill in
        ([(1, 1)], {10: 5, 20: 5}, [20, 10], [20]),
        # a closed or full block has no room
        ([(1, 1)], {10: 0}, [10], [None]),
        ([], {10: 5}, [10], []),
    ],
)
def test_plan_moves(needs, room, targets, expected):
    assert [m.target for m in plan_moves(needs, room, targets)] == expected


def test_plan_moves_never_gives_out_more_than_the_room():
    plan = plan_moves([(i, 1 + i % 3) for i in range(100)], {1: 50, 2: 30}, [1, 2])
    for target, room in {1: 50, 2: 30}.items():
        assert sum(m.tickets for m in plan if m.target == target) <= room


def test_placeholders_are_filled_and_other_braces_left_alone():
    text = "Dear {name}, order {order} on {visit}. {not a placeholder} {}"
    filled = fill_placeholders(text, {"name": "Ann", "order": "ABC", "visit": "Fri 14:00"})
    assert filled == "Dear Ann, order ABC on Fri 14:00. {not a placeholder} {}"


def test_an_unknown_placeholder_is_refused_by_name():
    with pytest.raises(InvalidInput) as info:
        check_placeholders("Hello {Name} and {nmae}", field="body")
    assert "{Name}" in info.value.message and info.value.details["field"] == "body"
