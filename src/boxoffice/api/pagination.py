"""Pages of a list: ninja's page numbers, bounded so that an absurd page number is a 422,
not an offset the database cannot hold."""

from typing import Any, Optional

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: Optional[int] = Field(None, ge=1, le=10_000)


class SearchPages(Pages):
    """Pages of Look up orders: `count` is exact up to selectors.orders.COUNT_BOUND; beyond it
    `count` is that bound and `count_exact` false (there are more; later pages still list them)."""

    class Output(Schema):
        items: list[Any]
        count: int
        count_exact: bool

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        return {**page, "count_exact": queryset.count_exact}
