"""Paging lists whose total the page has counted already."""

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
