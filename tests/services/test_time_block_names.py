"""A time block is named the same way wherever the desk reads it, in the event's time zone, and
a block that runs over several days names both."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from boxoffice.core.errors import DomainError
from boxoffice.core.services import setup
from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def festival_block(event, admin):
    start = datetime(2027, 12, 31, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    return setup.create_timeslot(event, start=start, end=start + timedelta(days=2, hours=11), capacity=1, actor=admin)


def test_a_full_festival_block_names_both_of_its_days(event, adult, festival_block, operator):
    sale = Sale(event=event, buyer=BuyerDetails(email="ann@example.test", name="Ann"),
                lines=[SaleLine(adult.pk, festival_block.pk, 2)], payment_method="card")  # fmt: skip
    with pytest.raises(DomainError) as refused:
        sell_order(sale, actor=operator)
    assert "Fri 31 Dec 2027 12:00 – Sun 2 Jan 2028 23:00 has 1 place left; 2 requested" in refused.value.message


def test_the_setup_page_and_the_remove_page_name_it_the_same_way(client, admin, event, festival_block, sell):
    client.force_login(admin.user)
    page = client.get(f"/o/{event.organizer.slug}/setup/events/{event.pk}/timeslots/{festival_block.pk}/")
    assert "Time block Fri 31 Dec 2027 12:00 – Sun 2 Jan 2028 23:00" in page.text
    order = sell(1, slot=festival_block)
    page = client.get(f"/o/{event.organizer.slug}/orders/{order.code}/remove/")
    assert "released in the time block Fri 31 Dec 2027 12:00 – Sun 2 Jan 2028 23:00" in page.text
