"""Download Ticket(s) of a big order in Chromium: a page with a progress bar that follows the
worker on its own, then the PDF."""

import re

import pytest
from documents.pdf import ticket_barcodes
from playwright.sync_api import expect

from boxoffice.delivery.worker import run_until_empty

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_big_download_shows_progress_then_the_file(portal, operator, sell, page, settings):
    settings.INLINE_PDF_TICKETS = 3
    order = sell(6)
    portal.login(operator)
    portal.order(order)
    page.get_by_role("link", name="Download Ticket(s)").click()
    expect(page).to_have_url(re.compile(r"/o/museum/jobs/\d+/$"))
    expect(page.get_by_role("heading", name=re.compile(f"Ticket PDF of order {order.code}"))).to_be_visible()
    expect(page.locator("#job-progress")).to_contain_text("Waiting for the worker")
    run_until_empty()
    download_link = page.get_by_role("link", name=f"Download tickets-{order.code}.pdf")
    expect(download_link).to_be_visible(timeout=5000)  # the panel polled and swapped itself
    expect(page.locator("progress")).to_have_attribute("value", "6")
    with page.expect_download() as download:
        download_link.click()
    barcodes = ticket_barcodes(open(download.value.path(), "rb").read())
    assert barcodes == list(order.tickets.order_by("pk").values_list("barcode", flat=True))
