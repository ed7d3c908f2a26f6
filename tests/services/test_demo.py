"""The demo reads like a desk in use: it works in shifts, the operator's shift is open with the
seeded desk takings in it, and the back office's is closed with a report whose drawer matches."""

import pytest

from boxoffice.core.demo import DEMO_MEMBERS, seed_demo
from boxoffice.core.models import Membership, Payment, Shift
from boxoffice.core.services.shifts import shift_report

pytestmark = pytest.mark.django_db


def test_the_demo_desk_works_in_shifts_with_one_open_and_one_closed():
    seed_demo(orders_count=40)
    operator = Membership.objects.get(user__email=DEMO_MEMBERS["operator"])
    assert operator.organizer.desk_shifts
    desk = Shift.objects.get(membership=operator)
    assert desk.closed_at is None
    assert (
        Payment.objects.filter(method__in=["cash", "card"], shift__isnull=True).count()
        == 0
    )
    assert Payment.objects.filter(shift=desk).exists()
    back_office = Shift.objects.get(membership__user__email=DEMO_MEMBERS["admin"])
    assert back_office.closed_at is not None
    assert shift_report(back_office).cash_difference == 0
