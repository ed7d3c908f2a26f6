"""Every portal page, as a person with a screen reader, a keyboard or poor eyesight meets it:
axe-core finds nothing serious or critical, in the page's usual state and with its errors
showing, and each page is one page (one top bar, one main heading)."""

import pytest
from browser import accessibility_problems
from playwright.sync_api import expect

from .test_wizard import tickets_step

pytestmark = pytest.mark.django_db(transaction=True)


class Audit:
    """Walks pages and collects what is wrong on each, so one run names every page at fault."""

    def __init__(self, page):
        self.page, self.problems, self.seen = page, [], 0

    def check(self, what: str) -> None:
        self.seen += 1
        page = self.page
        page.wait_for_load_state()
        bars, headings = page.locator("header.topbar").count(), page.locator("h1").count()
        if (bars, headings) != (1, 1):
            self.problems.append(f"{what}: {bars} top bars and {headings} h1 at {page.url}")
        self.problems += [f"{what}: {problem}" for problem in accessibility_problems(page)]

    def visit(self, portal, path: str, what: str) -> None:
        portal.go(path)
        self.check(what)

    def assert_clean(self, pages: int) -> None:
        assert self.seen == pages
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture
def audit(page):
    return Audit(page)


def test_the_desk_pages_are_accessible(portal, admin, sell, audit, page):
    order = sell(2, payment_method="invoice", phone="+31612345678")
    sell(1, email="bob@example.test", name="Bob Visitor")
    barcode = order.tickets.first().barcode
    base = f"o/{order.organizer.slug}"
    portal.login(admin)
    audit.check("look up orders")
    for path, what in [
        (f"{base}/?q=example.test", "results"),
        (f"{base}/?q=nobody-at-all", "no results"),
        (f"{base}/orders/{order.code}/", "order page"),
        (f"{base}/orders/{order.code}/send/tickets/", "send tickets"),
        (f"{base}/orders/{order.code}/send/receipt/", "send receipt"),
        (f"{base}/orders/{order.code}/ticket-operations/", "ticket operations"),
        (f"{base}/orders/{order.code}/tickets/{barcode}/", "ticket page"),
        (f"{base}/orders/{order.code}/refund/", "record refund"),
        (f"{base}/orders/{order.code}/remove/", "remove purchase"),
        (f"{base}/refunds-due/", "refunds due"),
    ]:
        audit.visit(portal, path, what)

    page.set_viewport_size({"width": 390, "height": 844})
    audit.visit(portal, f"{base}/orders/{order.code}/", "order page on a phone")
    page.set_viewport_size({"width": 1280, "height": 720})

    portal.go(f"{base}/orders/{order.code}/buyer/")
    page.get_by_label("Email").fill("not an address")
    page.get_by_role("button", name="Save buyer").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    audit.check("edit buyer, with an error")

    portal.go(f"{base}/orders/{order.code}/payment/")
    audit.check("register payment")
    page.get_by_label("Amount").fill("-5")
    page.get_by_role("button", name="Register payment").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    audit.check("register payment, with an error")

    portal.go(f"{base}/orders/{order.code}/ticket-operations/")
    page.get_by_label(f"Select ticket {barcode}").check()
    page.get_by_label("Select bulk action").select_option(label="Blacklisted")
    page.get_by_role("button", name="Apply").click()
    audit.check("ticket operations, confirming")
    for action in ("Change ticket type", "Remove tickets"):
        portal.go(f"{base}/orders/{order.code}/ticket-operations/")
        page.get_by_label(f"Select ticket {barcode}").check()
        page.get_by_label("Select bulk action").select_option(label=action)
        page.get_by_role("button", name="Apply").click()
        audit.check(f"{action}, confirming")
    audit.assert_clean(pages=18)


def test_every_wizard_step_is_accessible_with_and_without_errors(portal, operator, adult, timeslot, audit, page):
    portal.login(operator)
    page.get_by_role("link", name="Sell tickets").click()
    audit.check("step 1")
    page.get_by_role("button", name="next", exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check("step 1, with errors")
    tickets_step(page, {"Adult": 2}, "10:00–11:00")
    audit.check("step 2")
    page.get_by_label("Email").fill("not an address")
    page.get_by_role("button", name="next", exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check("step 2, with errors")
    page.get_by_label("Email").fill("new.visitor@example.test")
    page.get_by_label("Name").fill("New Visitor")
    page.get_by_role("button", name="next", exact=True).click()
    audit.check("step 3")
    page.get_by_role("button", name="next", exact=True).click()
    audit.check("step 4")
    page.get_by_label("Cash", exact=True).check()
    page.get_by_label("Cash tendered").fill("5")
    expect(page.locator("#cash-change")).to_contain_text("short")
    audit.check("step 4, cash short")
    audit.assert_clean(pages=7)


def test_setup_and_account_pages_are_accessible(portal, admin, event, adult, timeslot, audit, page):
    base = f"o/{admin.organizer.slug}/setup"
    portal.login(admin)
    for path, what in [
        (f"{base}/", "setup"),
        (f"{base}/events/new/", "new event"),
        (f"{base}/events/{event.pk}/", "event"),
        (f"{base}/events/{event.pk}/edit/", "edit event"),
        (f"{base}/events/{event.pk}/timeslots/{timeslot.pk}/", "time block"),
        (f"{base}/events/{event.pk}/ticket-types/{adult.pk}/", "ticket type"),
        (f"{base}/team/", "team"),
        (f"{base}/security/", "security"),
        (f"{base}/printing/", "printing"),
        (f"{base}/api-tokens/", "API tokens"),
        (f"{base}/devices/", "scanner devices"),
        ("account/", "account"),
        (f"o/{admin.organizer.slug}/shift/", "open a shift"),
    ]:
        audit.visit(portal, path, what)
    portal.go(f"{base}/events/new/")
    page.get_by_role("button", name="Create event").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    audit.check("new event, with errors")
    portal.go(f"o/{admin.organizer.slug}/shift/")
    page.get_by_label("Opening float").fill("50")
    page.get_by_role("button", name="Open shift").click()
    audit.check("a shift open")
    page.get_by_label("Counted cash").fill("49")
    page.get_by_role("button", name="Close shift").click()
    audit.check("a shift report")
    audit.assert_clean(pages=16)


def test_sign_in_is_accessible_with_its_error(portal, operator, audit, page):
    portal.go("login/")
    audit.check("sign in")
    page.get_by_label("Email").fill(operator.user.username)
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    audit.check("sign in, refused")
    audit.assert_clean(pages=2)
