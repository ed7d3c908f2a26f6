"""The operator portal. Each views module owns its URL list; organizer pages live under
o/<slug>/ and go through access.organizer_view."""

from boxoffice.portal.views import (
    auth, exports, gate, jobs, order_actions, order_edits, orders, printing, refunds, reports, setup, shifts, time_blocks,
    wizard,
)

app_name = "portal"

urlpatterns = [
    *auth.urls, *orders.urls, *order_actions.urls, *order_edits.urls, *printing.urls, *wizard.urls, *setup.urls,
    *jobs.urls, *refunds.urls, *exports.urls, *shifts.urls, *reports.urls, *time_blocks.urls, *gate.urls,
]
