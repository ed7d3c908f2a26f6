"""Sales reports: per day, ticket type, channel and payment method, and attendance per time
block, agreeing with the orders as they are after removals, type changes and reissues."""

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from boxoffice.core.selectors.reports import Figures, chart_bars, sales_report
from boxoffice.core.services import changes, tickets

pytestmark = pytest.mark.django_db


def test_a_report_agrees_with_the_orders_after_changes(sell, operator, event, child, timeslot):
    first = sell(3, payment_method="cash")  # 3 × 17.50
    second = sell(2, ticket_type=child, payment_method="card")  # 2 × 8.00
    changes.remove_tickets(first, barcodes=[first.tickets.first().barcode], reason="Ill", actor=operator)
    tickets.reissue_tickets(second, actor=operator)  # the new tickets stand for the old ones
    tickets.set_ticket_states(second, barcodes=list(second.tickets.exclude(state="void").values_list("barcode", flat=True))[:1],
                              state="scanned_in", actor=operator)  # fmt: skip
    today = timezone.localdate(timezone=ZoneInfo(event.timezone))  # the event's own day
    report = sales_report(event, date_from=today, date_to=today)

    assert (report.total.sold, report.total.removed, report.total.revenue) == (4, 1, Decimal("51.00"))
    assert report.total.vat == Decimal("4.21")  # 9 % VAT in 51.00
    assert [(name, f.sold, f.revenue) for name, f in report.per_ticket_type] == [
        ("Adult", 2, Decimal("35.00")), ("Child", 2, Decimal("16.00"))
    ]
    assert {name: f.revenue for name, f in report.per_method} == {"Cash": Decimal("35.00"), "Card": Decimal("16.00")}
    assert [(d, f.sold) for d, f in report.per_day] == [(today, 4)]


def test_attendance_per_time_block_and_days_without_sales(sell, operator, event, timeslot):
    order = sell(2)
    tickets.set_ticket_states(order, barcodes=[order.tickets.first().barcode], state="scanned_in", actor=operator)
    report = sales_report(event, date_from=date(2027, 2, 26), date_to=date(2027, 3, 2))
    assert [(b.timeslot.pk, b.sold, b.admitted, b.capacity) for b in report.per_block] == [(timeslot.pk, 2, 1, 100)]
    assert len(report.per_day) == 5 and report.total.sold == 0  # sold today, not in those days


def test_the_chart_scales_the_best_day_to_the_full_height():
    bars = chart_bars([(date(2027, 1, 1), Figures(revenue=Decimal("50"))), (date(2027, 1, 2), Figures(revenue=Decimal("100")))],
                      height=100, width=200)  # fmt: skip
    assert [(b["x"], b["h"], b["y"]) for b in bars] == [(0, 50, 50), (100.0, 100, 0)]
