"""Pages of a list: ninja's page numbers, bounded so that an absurd page number is a 422,
not an offset the database cannot hold."""

from typing import Optional

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: Optional[int] = Field(None, ge=1, le=10_000)
