"""A table as CSV (UTF-8 with a byte order mark, so that spreadsheet programs read accents
right) or as XLSX (openpyxl's write-only mode: rows go to the file as they come)."""

import csv
import gzip
import io
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook

from boxoffice.exports.tables import Table

FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
# A cell that starts like a formula is text, not something a spreadsheet runs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write(table: Table, fmt: str, *, title: str, progress: Callable[[int], None] = lambda done: None,
          gzipped: bool = False) -> bytes:
    """`gzipped` (CSV only): the file compressed as it is written, so that a million orders
    never stand in memory whole; it is served with Content-Encoding: gzip."""
    if fmt == "csv":
        return _csv(table, progress, gzipped=gzipped)
    return _xlsx(table, title, progress)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _csv(table: Table, progress, *, gzipped: bool) -> bytes:
    raw = io.BytesIO()
    sink = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=3, mtime=0) if gzipped else raw
    out = io.TextIOWrapper(sink, encoding="utf-8", newline="", write_through=False)
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(table.columns)
    for done, row in enumerate(table.rows, 1):
        writer.writerow([_cell_text(value) for value in row])
        if done % 1000 == 0:
            progress(done)
    out.flush()
    out.detach()
    if gzipped:
        sink.close()
    return raw.getvalue()


def _xlsx_cell(value):
    if isinstance(value, Decimal):
        return float(value) if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _xlsx(table: Table, title: str, progress) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append(list(table.columns))
    for done, row in enumerate(table.rows, 1):
        sheet.append([_xlsx_cell(value) for value in row])
        if done % 1000 == 0:
            progress(done)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
