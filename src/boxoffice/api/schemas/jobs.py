from datetime import datetime

from ninja import Field, Schema


class JobOut(Schema):
    id: int
    kind: str = Field(description="tickets_pdf")
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
