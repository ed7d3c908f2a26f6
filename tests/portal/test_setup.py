"""Setup pages, as an admin uses them: events, time blocks, ticket types, the team, API tokens
and scanner devices. Only admins change anything; everyone else is refused with nothing changed."""

import re
from datetime import date, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from playwright.sync_api import expect

from boxoffice.core.models import ApiToken, AuditEntry, Device, Event, Membership, TicketType, Timeslot
from boxoffice.core.services import team

pytestmark = pytest.mark.django_db(transaction=True)

AMS = ZoneInfo("Europe/Amsterdam")


def _next_monday(after_days: int = 7) -> date:
    day = date.today() + timedelta(days=after_days)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _section(page, heading: str):
    return page.get_by_role("region", name=heading)


def _submit(page, button, *, status: int):
    """Clicks a submit button and checks the HTTP status of the page it answers with."""
    with page.expect_response(lambda r: r.request.method == "POST") as info:
        button.click()
    assert info.value.status == status
    page.wait_for_load_state()
    return info.value


def _api_status(token: str) -> int:
    return Client().get("/api/v1/organizers/museum/events", headers={"Authorization": f"Bearer {token}"}).status_code


def _scan(token: str):
    return Client().post("/api/v1/scan", {"barcode": "NOPE", "direction": "in"}, content_type="application/json",
                         headers={"Authorization": f"Bearer {token}"})


# --- events, time blocks, ticket types -------------------------------------------------------

def test_admin_creates_an_event_with_its_timezone_and_gate_rules(portal, admin):
    page = portal.login(admin)
    page.get_by_role("link", name="Setup").click()
    page.get_by_role("link", name="New event").click()
    page.get_by_label("Name").fill("Night at the Museum")
    page.get_by_label("Venue").fill("Great Hall")
    page.get_by_label("Timezone").select_option("Europe/London")
    page.get_by_label("Currency").fill("gbp")
    page.get_by_label("Admit before start (minutes)").fill("15")
    page.get_by_label("Re-entry allowed").check()
    page.get_by_role("button", name="Create event").click()

    expect(page.get_by_role("heading", name="Night at the Museum")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Event “Night at the Museum” created")
    event = Event.objects.get(name="Night at the Museum")
    assert (event.venue, event.timezone, event.currency, event.reentry_allowed, event.admit_before_minutes) == (
        "Great Hall", "Europe/London", "GBP", True, 15
    )
    assert AuditEntry.objects.get(action="event.created", target="Night at the Museum").actor_label == "admin@museum.test"


def test_event_without_a_name_is_refused_next_to_the_field(portal, admin):
    page = portal.login(admin)
    portal.go("o/museum/setup/events/new/")
    _submit(page, page.get_by_role("button", name="Create event"), status=422)
    expect(page.locator(".field.has-error")).to_contain_text("This field is required")
    assert not Event.objects.exists()


def test_daily_series_creates_a_time_block_on_each_chosen_weekday_at_local_time(portal, admin, event):
    monday = _next_monday()
    page = portal.login(admin)
    portal.go(f"o/museum/setup/events/{event.pk}/")
    form = _section(page, "Add a series of daily time blocks")
    form.get_by_label("First day").fill(monday.isoformat())
    form.get_by_label("Last day").fill((monday + timedelta(days=6)).isoformat())
    form.get_by_label("First block starts").fill("10:00")
    form.get_by_label("and ends").fill("11:00")
    form.get_by_label("Capacity").fill("25")
    form.get_by_label("Sat").uncheck()
    form.get_by_label("Sun").uncheck()
    form.get_by_role("button", name="Create time blocks").click()

    expect(page.get_by_role("status")).to_contain_text("Created 5 time blocks (10:00–11:00)")
    slots = list(Timeslot.objects.filter(event=event).order_by("start"))
    assert [s.start.astimezone(AMS).date() for s in slots] == [monday + timedelta(days=d) for d in range(5)]
    assert {(s.start.astimezone(AMS).time(), s.end.astimezone(AMS).time(), s.capacity) for s in slots} == {
        (time(10), time(11), 25)
    }
    table = _section(page, "Time blocks")
    expect(table.get_by_role("row")).to_have_count(1 + 5)
    expect(table.get_by_role("row").nth(1)).to_contain_text(f"{monday:%a} {monday.day} {monday:%b %Y}")
    expect(table.get_by_role("row").nth(1)).to_contain_text("10:00–11:00")
    assert AuditEntry.objects.get(action="timeslot.series_created").after["count"] == 5


def test_a_series_of_seven_starts_a_day_makes_seven_blocks_a_day_and_a_second_submit_none(portal, admin, event):
    monday = _next_monday()
    page = portal.login(admin)
    portal.go(f"o/museum/setup/events/{event.pk}/")
    form = _section(page, "Add a series of daily time blocks")
    form.get_by_label("First day").fill(monday.isoformat())
    form.get_by_label("Last day").fill((monday + timedelta(days=2)).isoformat())
    form.get_by_label("First block starts").fill("10:00")
    form.get_by_label("and ends").fill("11:00")
    form.get_by_label("Last block starts (optional)").fill("16:00")
    form.get_by_label("A block starts every (minutes)").fill("60")
    form.get_by_label("Capacity").fill("40")
    form.get_by_role("button", name="Create time blocks").click()
    expect(page.get_by_role("status")).to_contain_text("Created 21 time blocks (7 a day from 10:00 to 16:00)")
    starts = sorted(s.start.astimezone(AMS) for s in Timeslot.objects.filter(event=event))
    for day in range(3):
        assert [s.hour for s in starts if s.date() == monday + timedelta(days=day)] == list(range(10, 17))
    page.go_back()
    form = _section(page, "Add a series of daily time blocks")
    _submit(page, form.get_by_role("button", name="Create time blocks"), status=422)
    expect(page.get_by_role("alert").first).to_contain_text("21 of these time blocks exist already")
    expect(page.get_by_role("alert").first).to_contain_text(f"{monday:%a} {monday.day} {monday:%b %Y} 10:00–11:00")
    assert Timeslot.objects.filter(event=event).count() == 21


def test_series_without_weekdays_says_so_and_creates_nothing(portal, admin, event):
    monday = _next_monday()
    page = portal.login(admin)
    page.set_viewport_size({"width": 1280, "height": 720})
    portal.go(f"o/museum/setup/events/{event.pk}/")
    form = _section(page, "Add a series of daily time blocks")
    form.get_by_label("First day").fill(monday.isoformat())
    form.get_by_label("Last day").fill((monday + timedelta(days=4)).isoformat())
    form.get_by_label("First block starts").fill("10:00")
    form.get_by_label("and ends").fill("11:00")
    form.get_by_label("Capacity").fill("25")
    for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        form.get_by_label(day).uncheck()
    _submit(page, form.get_by_role("button", name="Create time blocks"), status=422)
    alert = _section(page, "Add a series of daily time blocks").get_by_role("alert")
    expect(alert).to_have_text("Choose at least one day of the week.")
    expect(alert).to_be_in_viewport()  # the refused form comes back in view, not at the page's top
    expect(page.get_by_label("Mon")).to_be_focused()
    assert not Timeslot.objects.exists()


def test_admin_adds_one_time_block_and_a_ticket_type(portal, admin, event):
    page = portal.login(admin)
    portal.go(f"o/museum/setup/events/{event.pk}/")
    day = _next_monday()
    form = _section(page, "Add one time block")
    form.get_by_label("Start").fill(f"{day.isoformat()}T19:30")
    form.get_by_label("End").fill(f"{day.isoformat()}T21:00")
    form.get_by_label("Capacity").fill("60")
    form.get_by_role("button", name="Add time block").click()
    expect(page.get_by_role("status")).to_contain_text("19:30–21:00 added")
    slot = Timeslot.objects.get(event=event)
    assert (slot.start.astimezone(AMS).date(), slot.start.astimezone(AMS).time(), slot.capacity) == (day, time(19, 30), 60)

    types = _section(page, "Ticket types")
    types.get_by_label("Name").fill("Senior")
    types.get_by_label("Price").fill("12.50")
    types.get_by_label("VAT %").fill("9")
    types.get_by_label("Quota").fill("50")
    types.get_by_label("Max per order").fill("6")
    types.get_by_role("button", name="Add ticket type").click()
    expect(page.get_by_role("status")).to_contain_text("Ticket type “Senior” added")
    expect(_section(page, "Ticket types").get_by_role("row", name=re.compile("Senior"))).to_contain_text("EUR 12.50")
    senior = TicketType.objects.get(event=event, name="Senior")
    assert (senior.price, senior.vat_rate, senior.quota, senior.max_per_order, senior.active) == (
        Decimal("12.50"), Decimal("9"), 50, 6, True
    )


def test_capacity_below_places_sold_is_refused_next_to_the_form_and_nothing_changes(portal, admin, timeslot, sell):
    sell(5)
    page = portal.login(admin)
    portal.go(f"o/museum/setup/events/{timeslot.event_id}/")
    row = page.locator(f"#slot-{timeslot.pk}")
    expect(row).to_contain_text("Mon 1 Mar 2027")
    expect(row.get_by_role("cell")).to_have_text(["Mon 1 Mar 2027", "10:00–11:00", "100", "5", "95", "Edit"])
    row.get_by_role("link", name=re.compile("Edit")).click()
    expect(page.get_by_label("Start")).to_have_value("2027-03-01T10:00")  # the event's local time
    page.get_by_label("Capacity").fill("3")
    _submit(page, page.get_by_role("button", name="Save time block"), status=409)
    expect(page.get_by_role("alert")).to_contain_text("5 places are already sold")
    timeslot.refresh_from_db()
    assert (timeslot.capacity, timeslot.sold) == (100, 5)
    assert not AuditEntry.objects.filter(action="timeslot.updated").exists()

    page.get_by_label("Capacity").fill("5")
    page.get_by_role("button", name="Save time block").click()
    expect(page.get_by_role("status")).to_contain_text("saved")
    timeslot.refresh_from_db()
    assert timeslot.capacity == 5
    expect(page.locator(f"#slot-{timeslot.pk}")).to_contain_text("Full")


# --- team ------------------------------------------------------------------------------------

def test_admin_invites_an_operator_by_email_and_role(portal, admin, page):
    portal.login(admin)
    portal.go("o/museum/setup/team/")
    form = _section(page, "Add a member")
    expect(form.locator('input[type="password"]')).to_have_count(0)
    form.get_by_label("Email").fill("New.Desk@Museum.test")
    form.get_by_label("Role", exact=True).select_option("operator")
    form.get_by_role("button", name="Invite").click()
    expect(page.get_by_role("status")).to_contain_text("new.desk@museum.test was added as operator. We emailed them")
    member = Membership.objects.get(user__username="new.desk@museum.test")
    assert (member.organizer.slug, member.role, member.joined_at) == ("museum", "operator", None)
    assert not member.user.has_usable_password()
    expect(page.get_by_label("Role of new.desk@museum.test", exact=True)).to_have_value("operator")
    expect(page.locator(f"#member-{member.pk}")).to_contain_text("Invited")
    expect(page.get_by_role("button", name="Send new.desk@museum.test a new invitation")).to_be_visible()


def test_the_only_admin_cannot_demote_themselves(portal, admin, page):
    portal.login(admin)
    portal.go("o/museum/setup/team/")
    page.get_by_label("Role of admin@museum.test", exact=True).select_option("viewer")
    _submit(page, page.get_by_role("button", name="Change role of admin@museum.test"), status=409)
    expect(page.get_by_role("alert")).to_contain_text("only admin")
    admin.refresh_from_db()
    assert admin.role == "admin"


def test_removing_a_member_asks_first(portal, admin, viewer, page):
    portal.login(admin)
    portal.go("o/museum/setup/team/")
    page.get_by_role("link", name="Remove viewer@museum.test").click()
    expect(page.get_by_role("heading", name="Remove viewer@museum.test?")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()
    assert Membership.objects.filter(pk=viewer.pk).exists()
    page.get_by_role("link", name="Remove viewer@museum.test").click()
    page.get_by_role("button", name="Remove from the team").click()
    expect(page.get_by_role("status")).to_contain_text("viewer@museum.test was removed")
    assert not Membership.objects.filter(pk=viewer.pk).exists()
    assert AuditEntry.objects.get(action="member.removed").target == "viewer@museum.test"


# --- API tokens and scanner devices ----------------------------------------------------------

def test_api_token_is_shown_once_works_and_stops_working_when_revoked(portal, admin, operator, page):
    portal.login(admin)
    portal.go("o/museum/setup/api-tokens/")
    form = _section(page, "Create an API token")
    form.get_by_label("Acts as").select_option(label="desk@museum.test (Operator)")
    form.get_by_label("Name").fill("Web shop")
    response = _submit(page, form.get_by_role("button", name="Create token"), status=201)
    assert "no-store" in response.headers["cache-control"]
    expect(page.get_by_text("it is shown only this once")).to_be_visible()
    token = page.get_by_label("New token").input_value()
    assert token.startswith("bo_") and _api_status(token) == 200
    stored = ApiToken.objects.get(membership=operator)
    assert (stored.name, stored.prefix) == ("Web shop", token[:10])

    portal.go("o/museum/setup/api-tokens/")  # shown once: never again on the page
    expect(page.get_by_label("New token")).to_have_count(0)
    assert token not in page.content()
    row = page.locator(f"#token-{stored.pk}")
    expect(row).to_contain_text(f"{stored.prefix}…")
    row.get_by_role("link", name=re.compile("Revoke")).click()
    expect(page.get_by_role("heading", name=f"Revoke API token {stored.prefix}…?")).to_be_visible()
    assert _api_status(token) == 200  # asking is not revoking
    page.get_by_role("button", name="Revoke token").click()
    expect(page.get_by_role("status")).to_contain_text("revoked")
    expect(page.locator(f"#token-{stored.pk}")).to_contain_text("Revoked")
    assert _api_status(token) == 401
    assert AuditEntry.objects.get(action="token.revoked").actor_label == "admin@museum.test"


def test_device_token_is_limited_to_the_chosen_events_and_can_be_revoked(portal, admin, event, page):
    portal.login(admin)
    portal.go("o/museum/setup/devices/")
    form = _section(page, "Add a scanner device")
    form.get_by_label("Name").fill("Scanner 1")
    form.get_by_label("Gate").fill("Gate A")
    form.get_by_label("Old Masters").check()
    _submit(page, form.get_by_role("button", name="Create device token"), status=201)
    token = page.get_by_label("New token").input_value()
    expect(page.locator(".token-once")).to_contain_text("device Scanner 1 (Gate A)")
    device = Device.objects.get(name="Scanner 1")
    assert (device.gate, list(device.events.all()), team.authenticate_device_token(token)) == ("Gate A", [event], device)
    scan = _scan(token)
    assert (scan.status_code, scan.json()["verdict"]) == (200, "reject")  # may scan; the barcode is no ticket

    portal.go("o/museum/setup/devices/")
    expect(page.locator(f"#device-{device.pk}")).to_contain_text("Old Masters")
    page.get_by_role("link", name="Revoke device Scanner 1").click()
    page.get_by_role("button", name="Revoke device").click()
    expect(page.get_by_role("status")).to_contain_text("Scanner device “Scanner 1” revoked")
    assert team.authenticate_device_token(token) is None
    assert _scan(token).status_code == 401


# --- who may change the setup ----------------------------------------------------------------

def test_operator_sees_no_setup_link_and_forged_posts_are_refused(portal, operator, timeslot, adult):
    page = portal.login(operator)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Look up orders")).to_be_visible()
    expect(page.get_by_role("link", name="Setup")).to_have_count(0)
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    event = timeslot.event
    forged = {
        "setup/events/new/": {"name": "Forged", "timezone": "Europe/Amsterdam", "currency": "EUR",
                              "admit_before_minutes": "0", "admit_after_minutes": "0"},
        f"setup/events/{event.pk}/series/": {"first_day": "2027-04-05", "last_day": "2027-04-09", "start_time": "10:00",
                                             "end_time": "11:00", "capacity": "9", "weekdays": "0"},
        f"setup/events/{event.pk}/timeslots/{timeslot.pk}/": {"start": "2027-03-01T10:00", "end": "2027-03-01T11:00",
                                                              "capacity": "100000"},
        f"setup/events/{event.pk}/ticket-types/{adult.pk}/": {"name": "Adult", "price": "0.01", "vat_rate": "9"},
        "setup/team/": {"email": "desk@museum.test", "role": "admin"},
        "setup/api-tokens/": {"membership": str(operator.pk), "name": "mine"},
        "setup/devices/": {"name": "Rogue scanner"},
        "setup/printing/": {"ticket_paper": "roll80", "receipt_paper": "roll80"},
    }
    audit_rows = AuditEntry.objects.count()
    for path, form in forged.items():
        response = page.request.post(f"{portal.url}/o/museum/{path}", form=form, headers={"X-CSRFToken": csrf})
        assert response.status == 403, path
        assert "may not" in response.text()
    assert AuditEntry.objects.count() == audit_rows
    assert list(Event.objects.values_list("name", flat=True)) == ["Old Masters"]
    assert list(Timeslot.objects.values_list("capacity", flat=True)) == [100]
    assert TicketType.objects.get(pk=adult.pk).price == Decimal("17.50")
    operator.refresh_from_db()
    assert operator.role == "operator"
    assert not ApiToken.objects.exists() and not Device.objects.exists()
    operator.organizer.refresh_from_db()
    assert (operator.organizer.ticket_paper, operator.organizer.receipt_paper) == ("a4", "a4")


def test_viewer_reads_the_event_setup_without_any_form(portal, viewer, timeslot, adult, page):
    portal.login(viewer)
    portal.go(f"o/museum/setup/events/{timeslot.event_id}/")
    expect(page.locator(f"#slot-{timeslot.pk}")).to_contain_text("10:00–11:00")
    expect(_section(page, "Ticket types")).to_contain_text("Adult")
    expect(page.get_by_role("button", name="Create time blocks")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit event")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Edit"))).to_have_count(0)
    expect(page.get_by_text("only admins change it")).to_be_visible()


def test_a_block_with_sales_is_closed_for_sale_and_opened_again(portal, admin, sell, event, timeslot, page):
    sell(2)
    portal.login(admin)
    portal.go(f"o/museum/setup/events/{event.pk}/timeslots/{timeslot.pk}/")
    expect(page.get_by_role("link", name="Delete time block…")).to_have_count(0)  # it has tickets
    page.get_by_role("button", name="Close for sale").click()
    expect(page.get_by_role("status")).to_contain_text("closed for sale")
    assert Timeslot.objects.get(pk=timeslot.pk).closed
    portal.go(f"o/museum/setup/events/{event.pk}/")
    expect(_section(page, "Time blocks").get_by_role("row").nth(1)).to_contain_text("Closed for sale")
    portal.go(f"o/museum/setup/events/{event.pk}/timeslots/{timeslot.pk}/")
    page.get_by_role("button", name="Open for sale again").click()
    expect(page.get_by_role("status")).to_contain_text("open for sale again")
    assert not Timeslot.objects.get(pk=timeslot.pk).closed


def test_admin_chooses_the_paper_the_desk_printers_take(portal, admin, page):
    page = portal.login(admin)
    portal.go("o/museum/setup/printing/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Printing")
    expect(page.get_by_label("A4 sheet (office printer)").first).to_be_checked()
    page.get_by_label("Ticket stock, 8 × 3.25 in (ticket printer)").check()
    page.get_by_role("group", name="Print receipts on").get_by_label("80 mm roll (receipt printer)").check()
    _submit(page, page.get_by_role("button", name="Save"), status=302)
    expect(page.locator(".flash")).to_contain_text("Tickets print on Ticket stock, 8 × 3.25 in (ticket printer); receipts on 80 mm roll")
    admin.organizer.refresh_from_db()
    assert (admin.organizer.ticket_paper, admin.organizer.receipt_paper) == ("stock", "roll80")
    change = AuditEntry.objects.get(action="organizer.paper")
    assert change.before == {"ticket_paper": "a4", "receipt_paper": "a4"}
    assert change.after == {"ticket_paper": "stock", "receipt_paper": "roll80"}

    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(f"{portal.url}/o/museum/setup/printing/", form={"ticket_paper": "letter", "receipt_paper": "a4"},
                                 headers={"X-CSRFToken": csrf})
    assert response.status == 422 and "Choose one of these papers." in response.text()
    admin.organizer.refresh_from_db()
    assert admin.organizer.ticket_paper == "stock"
