"""Exports for the accountant: the orders Look up orders finds, as CSV and XLSX, read back
with the csv module and openpyxl and compared with the database; admins only; a big export
is written by the worker and fetched from its job."""

import csv
import gzip
import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from boxoffice.core.errors import InvalidInput, PermissionDenied
from boxoffice.core.models import Job, Order
from boxoffice.core.selectors.orders import OrderFilters
from boxoffice.core.services import changes
from boxoffice.delivery.worker import run_until_empty
from boxoffice.exports import service
from boxoffice.exports.service import export

pytestmark = pytest.mark.django_db(transaction=True)


def csv_rows(content: bytes) -> list[dict]:
    assert content.startswith("\ufeff".encode())  # spreadsheet programs then read UTF-8
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content: bytes) -> list[dict]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row)) for row in rows]


@pytest.fixture
def orders(sell, operator):
    ann = sell(3, email="ann@example.test", name="Ann Smit")
    changes.remove_tickets(ann, barcodes=[ann.tickets.first().barcode], reason="Cannot come", actor=operator)
    bob = sell(1, email="bob@example.test", name="=HYPERLINK(\"http://evil.test\")", payment_method="invoice")
    return {"ann": Order.objects.get(pk=ann.pk), "bob": bob}


def test_an_orders_csv_matches_the_orders_and_their_balance(admin, organizer, orders):
    made = export(organizer, kind="orders", fmt="csv", filters=OrderFilters(), actor=admin)
    assert made.filename == "museum-orders.csv" and made.content_type.startswith("text/csv")
    rows = {row["order"]: row for row in csv_rows(made.content)}
    assert set(rows) == {o.code for o in orders.values()}
    ann, bob = rows[orders["ann"].code], rows[orders["bob"].code]
    assert (ann["valid tickets"], ann["total"], ann["paid"], ann["to refund"], ann["due"]) == ("2", "35.00", "52.50", "17.50", "0.00")
    assert (bob["status"], bob["due"]) == ("pending", "17.50")
    assert bob["buyer"].startswith("'=")  # a formula stays text in a spreadsheet


def test_an_xlsx_of_tickets_opens_with_openpyxl_and_lists_every_ticket(admin, organizer, orders):
    made = export(organizer, kind="tickets", fmt="xlsx", filters=OrderFilters(), actor=admin)
    rows = xlsx_rows(made.content)
    expected = {t.barcode: t for o in orders.values() for t in o.tickets.all()}
    assert {r["barcode"] for r in rows} == set(expected)
    for row in rows:
        ticket = expected[row["barcode"]]
        assert (row["state"], Decimal(str(row["price"])), row["order"]) == (ticket.state, ticket.price, ticket.order.code)


def test_the_export_follows_the_search(admin, organizer, orders):
    made = export(organizer, kind="payments", fmt="csv", filters=OrderFilters(search="ann@example.test"), actor=admin)
    assert [(r["order"], r["amount"]) for r in csv_rows(made.content)] == [(orders["ann"].code, "52.50")]
    made = export(organizer, kind="orders", fmt="csv", filters=OrderFilters(status="pending"), actor=admin)
    assert [r["order"] for r in csv_rows(made.content)] == [orders["bob"].code]


def test_an_export_of_a_search_takes_every_match_not_only_those_counted(admin, organizer, orders, sell, monkeypatch):
    from boxoffice.core.selectors import orders as orders_selector

    more = [sell(1, email=f"smit{i}@example.test", name=f"Visitor Smit {i}") for i in range(3)]
    monkeypatch.setattr(orders_selector, "COUNT_BOUND", 2)  # the list says "2+"; the export has all 4
    made = export(organizer, kind="orders", fmt="csv", filters=OrderFilters(search="smit"), actor=admin)
    assert {r["order"] for r in csv_rows(made.content)} == {orders["ann"].code, *(o.code for o in more)}


def test_only_admins_export_and_never_another_organizers_orders(operator, viewer, admin, organizer, orders, other_org):
    for who in (operator, viewer):
        with pytest.raises(PermissionDenied):
            export(organizer, kind="orders", fmt="csv", filters=OrderFilters(), actor=who)
    other_org.sell(1)
    made = export(organizer, kind="orders", fmt="csv", filters=OrderFilters(), actor=admin)
    assert len(csv_rows(made.content)) == 2
    with pytest.raises(InvalidInput):
        export(organizer, kind="buyers", fmt="csv", filters=OrderFilters(), actor=admin)
    with pytest.raises(InvalidInput):
        export(organizer, kind="orders", fmt="pdf", filters=OrderFilters(), actor=admin)


def test_a_big_export_is_written_by_the_worker_and_only_admins_fetch_it(admin, operator, organizer, orders, monkeypatch):
    monkeypatch.setattr(service, "INLINE_ROWS", 1)
    desk, boss = Client(), Client()
    desk.force_login(operator.user)
    boss.force_login(admin.user)
    answer = boss.get("/o/museum/export/orders.xlsx?status=")
    job = Job.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/o/museum/jobs/{job.pk}/"
    assert "Export of orders (XLSX)" in boss.get(answer["Location"]).content.decode()
    run_until_empty()
    job.refresh_from_db()
    assert (job.status, job.total) == ("done", 2)
    rows = xlsx_rows(b"".join(boss.get(f"/o/museum/jobs/{job.pk}/file")))
    assert {r["order"] for r in rows} == {o.code for o in orders.values()}
    assert desk.get(f"/o/museum/jobs/{job.pk}/").status_code == 404  # an operator finds no export
    assert desk.get(f"/o/museum/jobs/{job.pk}/file").status_code == 404
    assert desk.get("/o/museum/export/orders.csv").status_code == 403


def test_a_big_csv_is_kept_gzipped_and_served_as_plain_csv(admin, organizer, orders, monkeypatch):
    monkeypatch.setattr(service, "INLINE_ROWS", 1)
    boss = Client()
    boss.force_login(admin.user)
    boss.get("/o/museum/export/orders.csv")
    run_until_empty()
    job = Job.objects.get()
    assert bytes(job.result)[:2] == b"\x1f\x8b"  # gzip: a million rows never stand in memory whole
    answer = boss.get(f"/o/museum/jobs/{job.pk}/file")
    assert (answer["Content-Encoding"], answer["Content-Type"]) == ("gzip", "text/csv; charset=utf-8")
    rows = csv_rows(gzip.decompress(b"".join(answer)))
    assert {r["order"] for r in rows} == {o.code for o in orders.values()}
