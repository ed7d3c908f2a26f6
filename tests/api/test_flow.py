"""The whole help-center article through the API, as an integrator would drive it: sell, look
up, every ticket operation, reschedule, comment, remove, refund — each step in the history."""

from decimal import Decimal

from boxoffice.core.models import AuditEntry, Message, Refund, Ticket

from .helpers import assert_money, assert_page, assert_time, order_body


def found(api, term) -> list[str]:
    response = api.get("orders", {"search": term})
    assert response.status_code == 200, response.json()
    return [item["code"] for item in response.json()["items"]]


def bulk(api, code, action, tickets) -> dict:
    response = api.post(f"orders/{code}/tickets/bulk", {"action": action, "tickets": tickets})
    assert response.status_code == 200, response.json()
    return response.json()


def test_an_order_sold_through_the_api_can_be_found_fixed_removed_and_refunded(
    as_operator, as_admin, event, adult, child, timeslot, other_timeslot
):
    # Sell at the desk, with tickets sent; the same buyer bought before.
    earlier = as_operator.post("orders", order_body(event, [(child, timeslot, 1)], email="mia@example.test", name="Mia Jansen"))
    assert earlier.status_code == 201
    body = order_body(event, [(adult, timeslot, 2), (child, timeslot, 1)], email="Mia@Example.test", name="Mia Jansen",
                      send_tickets=True)
    body["buyer"]["phone"] = "+31 6 5555 1234"
    sold = as_operator.post("orders", body)
    assert sold.status_code == 201
    order = sold.json()
    code, first_barcodes = order["code"], [t["barcode"] for t in order["tickets"]]
    assert (order["status"], assert_money(order["total"])) == ("paid", Decimal("43.00"))
    assert [(m["kind"], m["to"], m["status"]) for m in order["messages"]] == [("tickets", "mia@example.test", "queued")]

    # Look it up by code, email, name fragment, phone and a scanned barcode.
    assert found(as_operator, code) == [code]
    assert found(as_operator, "MIA@example.test") == [code, earlier.json()["code"]]
    assert code in found(as_operator, "jans")
    assert found(as_operator, "06 5555 1234") == [code, earlier.json()["code"]]
    assert found(as_operator, first_barcodes[2]) == [code]

    # Ticket operations: every bulk action.
    one = first_barcodes[:1]
    for action in ("scanned_in", "scanned_out", "blacklisted", "unscanned"):
        changed = bulk(as_operator, code, action, one)
        assert [(t["barcode"], t["state"]) for t in changed["tickets"]] == [(one[0], action)]
    bulk(as_operator, code, "scanned_in", first_barcodes[1:])
    reissued = bulk(as_operator, code, "reissue", first_barcodes[:1])
    new_barcodes = [t["barcode"] for t in reissued["tickets"]]
    assert len(new_barcodes) == 3 and not set(new_barcodes) & set(first_barcodes)
    states = {t["barcode"]: t["state"] for t in reissued["order"]["tickets"]}
    assert {states[b] for b in first_barcodes} == {"void"}
    assert [states[b] for b in new_barcodes] == ["unscanned", "scanned_in", "scanned_in"]  # as the old ones were
    assert found(as_operator, first_barcodes[0]) == [code]  # an old barcode still leads to the order
    assert len(reissued["order"]["messages"]) == 1  # reissued tickets wait for Send Ticket(s)
    assert as_operator.post(f"orders/{code}/send-tickets").status_code == 202

    # Reschedule to the other time block, sending the updated tickets.
    response = as_operator.post(f"orders/{code}/reschedule", {"to_timeslot": other_timeslot.pk, "send_tickets": True})
    assert response.status_code == 200
    moved = response.json()
    assert {t["timeslot"] for t in moved["tickets"] if t["state"] != "void"} == {other_timeslot.pk}
    slots = {s["id"]: s for s in as_operator.get(f"events/{event.pk}/timeslots").json()["items"]}
    assert (slots[timeslot.pk]["sold"], slots[other_timeslot.pk]["sold"]) == (1, 3)

    # Comments: about the buyer (on every purchase of hers) and about this purchase.
    assert as_operator.post(f"orders/{code}/comments", {"scope": "buyer", "text": "Prefers email"}).status_code == 201
    assert as_operator.post(f"orders/{code}/comments", {"scope": "purchase", "text": "Moved at her request"}).status_code == 201
    other_purchase = as_operator.get(f"orders/{earlier.json()['code']}").json()
    assert [c["text"] for c in other_purchase["buyer_comments"]] == ["Prefers email"]
    assert other_purchase["comments"] == []

    # Remove: tickets void, places released, no refund.
    removed = as_operator.post(f"orders/{code}/remove", {"reason": "The buyer cannot come"}).json()
    assert removed["status"] == "removed" and {t["state"] for t in removed["tickets"]} == {"void"}
    assert removed["refunds"] == [] and not Refund.objects.exists()
    assert as_operator.get(f"events/{event.pk}/timeslots/{other_timeslot.pk}").json()["sold"] == 0

    # The refund is a separate act of an admin.
    refund = as_admin.post(f"orders/{code}/refunds", {"amount": "43.00", "method": "card", "reason": "Museum closed"})
    assert refund.status_code == 201 and refund.json()["amount"] == "43.00"

    final = order_page(as_admin, code)
    assert [(r["amount"], r["method"], r["reason"]) for r in final["refunds"]] == [("43.00", "card", "Museum closed")]
    assert final["paid"] == "0.00"
    assert [c["text"] for c in final["buyer_comments"]] == ["Prefers email"]
    assert [c["text"] for c in final["comments"]] == ["Moved at her request"]
    assert [(m["kind"], m["to"], m["status"]) for m in final["messages"]] == [("tickets", "mia@example.test", "queued")] * 3
    for message in final["messages"]:
        assert (message["attempts"], message["last_error"], message["sent_at"]) == (0, "", None)
    assert [h["action"] for h in final["history"]] == [
        "order.sold",
        "tickets.scanned_in", "tickets.scanned_out", "tickets.blacklisted", "tickets.unscanned",
        "tickets.scanned_in",
        "tickets.reissued",
        "order.send_tickets",
        "order.rescheduled",
        "comment.buyer", "comment.purchase",
        "order.removed",
        "order.refunded",
    ]
    assert {h["actor"] for h in final["history"][:-1]} == {"desk@museum.test"}
    assert final["history"][-1]["actor"] == "admin@museum.test"
    for entry in final["history"]:
        assert_time(entry["at"])
    assert final["history"][6]["details"]["after"]["new"] == new_barcodes

    # The database agrees with what the API showed.
    assert Ticket.objects.filter(order__code=code).count() == 6
    assert set(Ticket.objects.filter(order__code=code).values_list("state", flat=True)) == {"void"}
    assert Message.objects.filter(order__code=code, status="queued").count() == 3
    assert AuditEntry.objects.filter(order__code=code).count() == len(final["history"])
    assert_page(as_operator.get("orders", {"status": "removed"}).json(), 1)


def order_page(api, code) -> dict:
    response = api.get(f"orders/{code}")
    assert response.status_code == 200
    return response.json()
