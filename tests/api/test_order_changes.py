"""Remove tickets and Change ticket type through the API: the bulk endpoint's "remove" and
"change_type" actions, the ledger lines and the balance in the order, and coded errors that
change nothing."""

import csv
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from .helpers import assert_error, barcodes, unchanged


def bulk(api, order, body):
    return api.post(f"orders/{order.code}/tickets/bulk", body)


def test_remove_one_ticket_shows_the_ledger_and_the_refund_due(as_operator, sell):
    order = sell(3)
    first, *_ = barcodes(order)
    response = bulk(as_operator, order, {"action": "remove", "tickets": [first], "reason": "Cannot come"})
    assert response.status_code == 200
    body = response.json()
    assert [(t["barcode"], t["state"]) for t in body["tickets"]] == [(first, "void")]
    detail = body["order"]
    assert [(line["kind"], line["quantity"], line["total"]) for line in detail["lines"]] == [
        ("sold", 3, "52.50"), ("removed", -1, "-17.50")
    ]
    assert detail["total"] == "35.00"
    assert (detail["balance"]["to_refund"], detail["balance"]["due"]) == ("17.50", "0.00")
    assert detail["history"][-1]["action"] == "tickets.removed"


def test_change_type_leaves_the_difference_due(as_operator, sell, child, adult):
    order = sell(2, ticket_type=child)
    response = bulk(as_operator, order, {"action": "change_type", "tickets": barcodes(order), "to_type": adult.pk})
    assert response.status_code == 200
    detail = response.json()["order"]
    assert {t["ticket_type"] for t in detail["tickets"]} == {adult.pk}
    assert detail["balance"]["due"] == str(Decimal("2") * (adult.price - child.price))


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"action": "remove"}, 422, "validation_error"),  # no reason
        ({"action": "change_type"}, 422, "validation_error"),  # no type
        ({"action": "change_type", "to_type": 999999}, 422, "ticket_type_wrong_event"),
    ],
)
def test_bad_changes_are_refused_with_a_code_and_change_nothing(as_operator, sell, body, status, code):
    order = sell(2)
    with unchanged():
        assert_error(bulk(as_operator, order, {"tickets": barcodes(order)[:1], **body}), status, code)


def test_another_organizers_type_and_a_viewer_are_refused(as_operator, as_viewer, sell, other):
    order = sell(2)
    with unchanged():
        assert_error(bulk(as_operator, order, {"action": "change_type", "tickets": barcodes(order),
                                               "to_type": other.ticket_type.pk}), 422, "ticket_type_wrong_event")  # fmt: skip
        assert_error(bulk(as_viewer, order, {"action": "remove", "tickets": barcodes(order)[:1], "reason": "x"}),
                     403, "permission_denied")  # fmt: skip
        assert_error(bulk(other.on_museum, order, {"action": "remove", "tickets": barcodes(order)[:1], "reason": "x"}),
                     404, "not_found")  # fmt: skip


def test_refunds_due_lists_orders_with_money_to_give_back_for_admins_only(as_admin, as_operator, sell, other):
    order = sell(3)
    bulk(as_operator, order, {"action": "remove", "tickets": barcodes(order)[:1], "reason": "Cannot come"})
    sell(1, email="settled@example.test")
    other.api.post(f"orders/{other.order.code}/remove", {"reason": "Cancelled"})  # the other organizer's refund due stays theirs
    response = as_admin.get("refunds-due")
    assert response.status_code == 200
    rows = response.json()["items"]
    assert [(r["code"], r["paid"], r["refunded"], r["to_refund"]) for r in rows] == [(order.code, "52.50", "0.00", "17.50")]
    assert_error(as_operator.get("refunds-due"), 403, "permission_denied")


def test_exports_answer_csv_and_xlsx_for_admins_and_a_code_for_others(as_admin, as_operator, sell):
    order = sell(2)
    response = as_admin.get("exports/orders?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["order"], r["total"]) for r in rows] == [(order.code, "35.00")]
    response = as_admin.get("exports/tickets?format=xlsx&status=paid")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    assert len(list(sheet.iter_rows(values_only=True))) == 3  # a header and two tickets
    assert_error(as_operator.get("exports/orders"), 403, "permission_denied")
    assert as_admin.get("exports/buyers").status_code == 422


def test_the_sales_report_in_the_api_for_admins(as_admin, as_operator, sell, event):
    sell(2)
    today = timezone.localdate(timezone=ZoneInfo(event.timezone)).isoformat()  # the event's own day
    response = as_admin.get(f"reports/sales?event={event.pk}&date_from={today}&date_to={today}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["total"]["sold"], body["total"]["revenue"]) == (2, "35.00")
    assert [(t["name"], t["sold"]) for t in body["per_ticket_type"]] == [("Adult", 2)]
    assert_error(as_operator.get(f"reports/sales?event={event.pk}&date_from={today}&date_to={today}"), 403, "permission_denied")
    assert_error(as_admin.get(f"reports/sales?event={event.pk}&date_from={today}&date_to=2000-01-01"), 422, "validation_error")


def test_a_shift_through_the_api(as_operator, as_admin, sell, operator, other):
    opened = as_operator.post("shifts", {"desk": "Desk 3", "opening_float": "50.00"})
    assert opened.status_code == 201, opened.content
    shift = opened.json()
    assert_error(as_operator.post("shifts", {"desk": "Desk 4", "opening_float": "0"}), 409, "shift_already_open")
    sell(2, payment_method="cash", actor=operator)
    detail = as_operator.get(f"shifts/{shift['id']}").json()
    assert (detail["paid"], detail["expected_cash"]) == ({"cash": "35.00"}, "85.00")
    closed = as_operator.post(f"shifts/{shift['id']}/close", {"counted_cash": "85.00", "counted_card": "0.00"})
    assert closed.status_code == 200 and closed.json()["cash_difference"] == "0.00"
    assert_error(as_operator.post(f"shifts/{shift['id']}/close", {"counted_cash": "85.00"}), 409, "shift_closed")
    assert [s["id"] for s in as_admin.get("shifts").json()] == [shift["id"]]
    assert_error(other.api.get(f"shifts/{shift['id']}"), 404, "not_found")  # another organizer's shift


def test_a_sales_report_of_absurd_days_is_refused_not_an_error(as_admin, event):
    assert_error(as_admin.get(f"reports/sales?event={event.pk}&date_from=9999-12-01&date_to=9999-12-31"), 422, "validation_error")
    assert_error(as_admin.get(f"reports/sales?event={event.pk}&date_from=0001-01-01&date_to=0001-01-02"), 422, "validation_error")
