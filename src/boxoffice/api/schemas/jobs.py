from datetime import datetime

from ninja import Field, Schema


class JobOut(Schema):
    id: int
    kind: str = Field(description="tickets_pdf, export, block_move, block_cancel or buyer_message")
    status: str = Field(description="queued, running, done, failed or cancelled")
    total: int
    done: int
    failures: int
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    seconds_left: int | None = Field(description="From the pace so far, while it runs")
    file_url: str | None = Field(description="Where to download what it made, once done")
    report: dict[str, int] | None = Field(
        None, description="A job over many orders: how many orders per outcome code (moved, no_room, …) so far"
    )
    not_reached: int = Field(0, description="Orders a cancelled job never came to: left as they were")
