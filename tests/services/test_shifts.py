"""Cash desk shifts: the drawer's expected cash is the float plus cash taken less cash given
back; a shift closes once; where the desk works in shifts, no cash or card money is taken
without one."""

import random
from decimal import Decimal

import pytest

from boxoffice.core.errors import PermissionDenied, ShiftAlreadyOpen, ShiftClosed, ShiftRequired
from boxoffice.core.models import AuditEntry, Order, Organizer, Payment, Refund
from boxoffice.core.services import orders as order_services
from boxoffice.core.services import payments
from boxoffice.core.services.shifts import close_shift, current_shift, open_shift, shift_for_desk_money, shift_report
from boxoffice.documents.shift_report import render_shift_report_csv

pytestmark = pytest.mark.django_db


def test_a_day_at_the_desk_closes_with_the_drawer_it_should_have(sell, operator, admin):
    shift = open_shift(operator, desk="Desk 1", opening_float=Decimal("100.00"))
    cash = sell(2, payment_method="cash", cash_tendered=Decimal("40.00"))  # 35.00
    sell(1, payment_method="card")  # 17.50
    invoice = sell(1, payment_method="invoice")
    payments.register_payment(invoice, amount=Decimal("17.50"), method="cash", actor=operator)
    order_services.record_refund(cash, amount=Decimal("10.00"), method="Cash ", reason="Goodwill", actor=admin)

    report = shift_report(shift)
    assert report.totals.paid == {"card": Decimal("17.50"), "cash": Decimal("52.50")}
    assert report.totals.expected_cash == Decimal("152.50")  # the admin's cash refund is in the admin's drawer
    assert Refund.objects.get().shift is None
    assert [(name, n) for name, n, _ in report.by_ticket_type] == [("Adult", 4)]

    close_shift(shift, counted_cash=Decimal("150.00"), counted_card=Decimal("17.50"), actor=operator)
    shift.refresh_from_db()
    report = shift_report(shift)
    assert (report.cash_difference, report.card_difference) == (Decimal("-2.50"), Decimal("0.00"))
    assert AuditEntry.objects.get(action="shift.closed").after["cash_difference"] == "-2.50"
    assert current_shift(operator) is None


def test_a_shift_closes_once_and_only_by_its_operator_or_an_admin(operator, admin, organizer):
    from boxoffice.core.services import team

    colleague = team.set_member(organizer, email="colleague@museum.test", role="operator")
    shift = open_shift(operator, desk="Desk 1", opening_float=Decimal("50.00"))
    with pytest.raises(ShiftAlreadyOpen):
        open_shift(operator, desk="Desk 2", opening_float=Decimal("0.00"))
    with pytest.raises(PermissionDenied):
        close_shift(shift, counted_cash=Decimal("50.00"), counted_card=None, actor=colleague)
    close_shift(shift, counted_cash=Decimal("50.00"), counted_card=None, actor=admin)
    with pytest.raises(ShiftClosed):
        close_shift(shift, counted_cash=Decimal("40.00"), counted_card=None, actor=admin)
    shift.refresh_from_db()
    assert shift.counted_cash == Decimal("50.00")
    assert AuditEntry.objects.filter(action="shift.closed").count() == 1


def test_where_the_desk_works_in_shifts_no_cash_is_taken_without_one(sell, operator, organizer):
    Organizer.objects.filter(pk=organizer.pk).update(desk_shifts=True)
    operator.organizer.refresh_from_db()
    with pytest.raises(ShiftRequired):
        sell(1, payment_method="cash", actor=operator)
    assert not Order.objects.exists()
    pending = sell(1, payment_method="invoice", actor=operator)  # no money at the desk: no shift needed
    payments.register_payment(pending, amount=Decimal("5.00"), method="transfer", actor=operator)
    open_shift(operator, desk="Desk 1", opening_float=Decimal("0.00"))
    sell(1, payment_method="cash", actor=operator)
    assert Payment.objects.filter(method="cash", shift__isnull=False).count() == 1


def test_a_new_organizer_works_in_shifts_until_it_turns_them_off(db):
    from boxoffice.core.services import setup, team

    zoo = team.create_organizer(slug="zoo", name="City Zoo")
    admin = team.set_member(zoo, email="admin@zoo.test", role="admin")
    with pytest.raises(ShiftRequired):
        shift_for_desk_money(admin, "card")
    setup.set_desk_shifts(zoo, on=False, actor=admin)
    admin.organizer.refresh_from_db()
    assert shift_for_desk_money(admin, "card") is None


def test_a_shift_report_of_a_thousand_random_desk_sales_adds_up(sell, operator, make_timeslot):
    rng = random.Random(12)
    big = make_timeslot(capacity=5000)
    shift = open_shift(operator, desk="Desk 1", opening_float=Decimal("200.00"))
    for i in range(1000):
        sell(rng.randint(1, 3), payment_method=rng.choice(["cash", "card"]), slot=big, email=f"v{i}@example.test",
             name=f"V {i}")  # fmt: skip
    report = shift_report(shift)
    taken = {m: sum(a for meth, a in Payment.objects.filter(shift=shift).values_list("method", "amount") if meth == m)
             for m in ("cash", "card")}  # fmt: skip
    assert report.payments == 1000
    assert report.totals.paid == taken
    assert report.totals.expected_cash == Decimal("200.00") + taken["cash"]
    assert sum(amount for _, _, amount in report.by_ticket_type) == sum(taken.values())


def test_an_empty_drawer_counted_as_zero_shows_zero_in_the_csv(operator):
    shift = open_shift(operator, desk="Desk 1", opening_float=Decimal("20.00"))
    close_shift(shift, counted_cash=Decimal("0.00"), counted_card=None, actor=operator)
    shift.refresh_from_db()
    rows = render_shift_report_csv(shift_report(shift)).decode("utf-8-sig").splitlines()
    assert "cash,20.00,0.00,-20.00" in rows and "card,0.00,," in rows
