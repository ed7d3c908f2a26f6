"""Ticket operations (help article, SPEC §3.7): select tickets, choose under Select bulk action,
Apply, read what will happen, confirm. What the operator sees, what the database holds, and
what the gate then says."""

import json
import re

import pytest
from documents.pdf import page_count, ticket_barcodes
from playwright.sync_api import expect

from boxoffice.core.models import AuditEntry, Message, Ticket
from boxoffice.core.services import scanning, team, tickets

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def order(sell):
    return sell(4)


def barcodes(order) -> list[str]:
    return list(order.tickets.order_by("pk").values_list("barcode", flat=True))


def states(order) -> dict[str, str]:
    return dict(order.tickets.values_list("barcode", "state"))


def open_operations(portal, page, order):
    portal.order(order)
    page.get_by_role("link", name="Ticket operations").click()
    expect(page.get_by_role("heading", name=re.compile("Ticket operations"))).to_be_visible()
    return page


def choose(page, selected: list[str], action: str):
    """Tick the tickets, pick the action under Select bulk action and click Apply."""
    for barcode in selected:
        page.get_by_label(f"Select ticket {barcode}").check()
    page.get_by_label("Select bulk action").select_option(label=action)
    page.get_by_role("button", name="Apply").click()


def confirm(page, action: str):
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name=f"Confirm: {action}").click()
    return answer.value


def test_the_dropdown_offers_the_help_articles_bulk_actions_and_the_two_changes(portal, operator, order):
    page = open_operations(portal, portal.login(operator), order)
    options = page.get_by_label("Select bulk action").locator("option").all_inner_texts()
    assert options[1:] == [
        "Unscanned", "Scanned in", "Scanned out", "Blacklisted", "Reissue tickets",
        "Change ticket type", "Remove tickets", "Download tickets",
    ]  # fmt: skip


def test_blacklisted_tickets_are_refused_at_the_gate_with_ticket_is_blacklisted(portal, operator, admin, order):
    codes = barcodes(order)
    page = open_operations(portal, portal.login(operator), order)
    choose(page, codes[:2], "Blacklisted")
    expect(page.locator("#consequences")).to_contain_text(
        "2 tickets will be blacklisted: the gate will refuse them with “ticket is blacklisted”"
    )
    assert set(states(order).values()) == {"unscanned"}  # nothing before confirming
    confirm(page, "Blacklisted")
    expect(page.get_by_role("status")).to_contain_text("2 tickets set to Blacklisted")
    assert [states(order)[b] for b in codes] == ["blacklisted", "blacklisted", "unscanned", "unscanned"]
    assert AuditEntry.objects.filter(order=order, action="tickets.blacklisted", actor=operator).count() == 1

    device, _ = team.create_device(order.organizer, name="Gate A", actor=admin)
    refused = scanning.scan_ticket(device, barcode=codes[0], direction="in")
    assert (refused.verdict, refused.message) == ("reject", "ticket is blacklisted")
    assert Ticket.objects.get(barcode=codes[0]).state == "blacklisted"


def test_scanned_in_marks_the_selected_tickets_used(portal, operator, order):
    codes = barcodes(order)
    page = open_operations(portal, portal.login(operator), order)
    choose(page, [codes[1]], "Scanned in")
    expect(page.locator("#consequences")).to_contain_text("1 ticket will be marked Scanned in (used)")
    confirm(page, "Scanned in")
    expect(page.get_by_role("status")).to_contain_text("1 ticket set to Scanned in")
    expect(page.get_by_role("row", name=re.compile(codes[1]))).to_contain_text("Scanned in")
    assert states(order)[codes[1]] == "scanned_in"
    assert [s for b, s in states(order).items() if b != codes[1]] == ["unscanned"] * 3


def test_scanned_out_marks_the_selected_tickets_scanned_out(portal, operator, order):
    codes = barcodes(order)
    tickets.set_ticket_states(order, barcodes=codes[:2], state="scanned_in", actor=operator)
    page = open_operations(portal, portal.login(operator), order)
    choose(page, codes[:2], "Scanned out")
    expect(page.locator("#consequences")).to_contain_text("2 tickets will be marked Scanned out")
    confirm(page, "Scanned out")
    expect(page.get_by_role("status")).to_contain_text("2 tickets set to Scanned out")
    assert [states(order)[b] for b in codes] == ["scanned_out", "scanned_out", "unscanned", "unscanned"]


def test_unscanned_makes_tickets_valid_again_and_lifts_a_blacklisting(portal, operator, order):
    codes = barcodes(order)
    tickets.set_ticket_states(order, barcodes=[codes[0]], state="blacklisted", actor=operator)
    tickets.set_ticket_states(order, barcodes=[codes[1]], state="scanned_in", actor=operator)
    page = open_operations(portal, portal.login(operator), order)
    choose(page, codes[:2], "Unscanned")
    consequences = page.locator("#consequences")
    expect(consequences).to_contain_text("2 tickets will be set to Unscanned")
    expect(consequences).to_contain_text("This lifts the blacklisting of 1 of them")
    expect(consequences).to_contain_text("1 of them was already scanned in")
    confirm(page, "Unscanned")
    expect(page.get_by_role("status")).to_contain_text("2 tickets set to Unscanned")
    assert set(states(order).values()) == {"unscanned"}


def test_reissue_voids_every_ticket_adds_new_barcodes_and_says_to_send_them(portal, operator, order):
    old = barcodes(order)
    tickets.set_ticket_states(order, barcodes=[old[2]], state="scanned_in", actor=operator)
    page = open_operations(portal, portal.login(operator), order)
    choose(page, [old[0]], "Reissue tickets")
    consequences = page.locator("#consequences")
    expect(consequences).to_contain_text("4 tickets will be void; 1 of them was already scanned in")
    expect(consequences).to_contain_text("not only the 1 selected")
    expect(consequences).to_contain_text("not sent automatically")
    confirm(page, "Reissue tickets")

    notice = page.locator("#send-new-tickets")
    expect(notice).to_contain_text("The new tickets have not been sent")
    new = [b for b in barcodes(order) if b not in old]
    assert len(new) == 4
    assert {b: s for b, s in states(order).items() if b in old} == dict.fromkeys(old, "void")
    for barcode in new:
        expect(page.get_by_label(f"Select ticket {barcode}")).to_be_visible()
    assert not Message.objects.filter(order=order).exists()  # not sent by itself

    notice.get_by_role("link", name="Send Ticket(s)").click()
    for barcode in new:
        expect(page.get_by_role("cell", name=barcode)).to_be_visible()
    expect(page.get_by_role("cell", name=old[0])).to_have_count(0)
    page.get_by_role("button", name="Finish purchase").click()
    expect(page.get_by_role("status")).to_contain_text("Tickets queued for ann@example.test")
    assert Message.objects.get(order=order).kind == "tickets"


def test_download_tickets_returns_only_the_selected_tickets(portal, operator, order):
    codes = barcodes(order)
    page = open_operations(portal, portal.login(operator), order)
    for barcode in (codes[3], codes[1]):
        page.get_by_label(f"Select ticket {barcode}").check()
    page.get_by_label("Select bulk action").select_option(label="Download tickets")
    with page.expect_download() as info:
        page.get_by_role("button", name="Apply").click()
    assert info.value.suggested_filename == f"tickets-{order.code}.pdf"
    content = open(info.value.path(), "rb").read()
    assert page_count(content) == 2
    assert sorted(ticket_barcodes(content)) == sorted([codes[1], codes[3]])


def test_select_all_with_the_keyboard_picks_every_valid_ticket_but_no_void_one(portal, operator, sell):
    order = sell(2)
    void = barcodes(order)
    new = [t.barcode for t in tickets.reissue_tickets(order, actor=operator)]
    page = open_operations(portal, portal.login(operator), order)
    for barcode in void:
        expect(page.get_by_label(f"Ticket {barcode} is void and cannot be selected")).to_be_disabled()
        expect(page.get_by_label(f"Select ticket {barcode}")).to_have_count(0)
    select_all = page.get_by_label("Select all valid tickets")
    select_all.focus()
    page.keyboard.press("Space")
    for barcode in new:
        expect(page.get_by_label(f"Select ticket {barcode}")).to_be_checked()
    page.get_by_label("Select bulk action").select_option(label="Blacklisted")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#consequences")).to_contain_text("2 tickets will be blacklisted")
    confirm(page, "Blacklisted")
    assert [states(order)[b] for b in void + new] == ["void", "void", "blacklisted", "blacklisted"]


def test_applying_with_nothing_selected_says_so_next_to_the_action(portal, operator, order):
    page = open_operations(portal, portal.login(operator), order)
    page.get_by_label("Select bulk action").select_option(label="Reissue tickets")
    with page.expect_response(re.compile("action=reissue")) as answer:
        page.get_by_role("button", name="Apply").click()
    assert answer.value.status == 422
    expect(page.locator("#bulk-error")).to_have_text("Select at least one ticket.")
    assert set(states(order).values()) == {"unscanned"}


def test_a_blacklisted_ticket_cannot_be_set_to_scanned_in_and_nothing_changes(portal, operator, order):
    codes = barcodes(order)
    tickets.set_ticket_states(order, barcodes=[codes[0]], state="blacklisted", actor=operator)
    page = open_operations(portal, portal.login(operator), order)
    choose(page, codes[:2], "Scanned in")
    expect(page.locator("#consequences")).to_contain_text("1 of them is blacklisted")
    assert confirm(page, "Scanned in").status == 409
    expect(page.locator("#bulk-error")).to_contain_text(f"Ticket {codes[0]} is blacklisted")
    expect(page.get_by_label(f"Select ticket {codes[1]}")).to_be_checked()  # the selection is kept
    assert [states(order)[b] for b in codes] == ["blacklisted", "unscanned", "unscanned", "unscanned"]


def test_a_forged_selection_with_a_void_ticket_is_refused_and_nothing_changes(portal, operator, sell):
    order = sell(2)
    void = barcodes(order)
    new = [t.barcode for t in tickets.reissue_tickets(order, actor=operator)]
    page = open_operations(portal, portal.login(operator), order)
    choose(page, new[:1], "Blacklisted")
    # Tamper with the confirmation's hidden inputs: add a void ticket to the selection.
    page.locator("#confirm-h ~ form").evaluate(
        "(form, barcode) => { const i = document.createElement('input');"
        " i.type = 'hidden'; i.name = 'tickets'; i.value = barcode; form.appendChild(i); }",
        void[0],
    )
    assert confirm(page, "Blacklisted").status == 409
    expect(page.locator("#bulk-error")).to_contain_text(f"Void tickets cannot be changed: {void[0]}")
    assert [states(order)[b] for b in void + new] == ["void", "void", "unscanned", "unscanned"]
    assert not AuditEntry.objects.filter(order=order, action="tickets.blacklisted").exists()


def test_a_viewer_cannot_open_ticket_operations_and_a_forged_bulk_action_is_refused(portal, viewer, order):
    codes = barcodes(order)
    page = portal.login(viewer)
    portal.order(order)
    expect(page.get_by_role("link", name="Ticket operations")).to_have_count(0)
    path = f"o/{order.organizer.slug}/orders/{order.code}/ticket-operations/"
    response = page.goto(f"{portal.url}/{path}")
    assert response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("may not change orders")
    token = json.loads(page.locator("body").get_attribute("hx-headers"))["X-CSRFToken"]
    for action in ("blacklisted", "reissue"):
        answer = page.request.post(
            f"{portal.url}/{path}", form={"action": action, "tickets": codes[0]}, headers={"X-CSRFToken": token}
        )
        assert answer.status == 403, action
    assert barcodes(order) == codes
    assert set(states(order).values()) == {"unscanned"}
    assert not AuditEntry.objects.filter(order=order, action__startswith="tickets.").exists()
