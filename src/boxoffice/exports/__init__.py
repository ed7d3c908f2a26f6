"""Exports for the accountant and the organizer's own tools: orders, tickets, payments,
refunds and scans, as CSV or XLSX, filtered like Look up orders."""
