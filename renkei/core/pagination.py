"""Paging lists whose total the page has counted already, or counted up to a limit."""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet


class CountedPaginator(Paginator):
    """A paginator told how many objects there are, instead of counting them again.

    For a page that shows the total anyway (「1,788団体中…」): the COUNT query the
    paginator would run is the same question asked twice.
    """

    def __init__(
        self, object_list: QuerySet[Any] | Sequence[Any], per_page: int, *, count: int
    ) -> None:
        super().__init__(object_list, per_page)
        # Paginator.count is a cached_property: an instance attribute is its cached value.
        self.count = count


class CappedPaginator(Paginator):
    """A paginator over the first `limit` objects of a list, told whether there were more.

    For a search that collects its matches in one bounded scan instead of counting them all:
    the page says 「300件以上」 (`capped`) and asks for more words rather than more pages.
    """

    def __init__(self, object_list: Sequence[Any], per_page: int, *, limit: int) -> None:
        self.capped = len(object_list) > limit
        super().__init__(object_list[:limit], per_page)
