"""Row addresses reversed once per page, and a paginator told its count."""

import pytest
from django.urls import reverse

from renkei.core.pagination import CountedPaginator
from renkei.core.row_urls import RowUrl


@pytest.mark.parametrize(
    ("viewname", "args"),
    [
        ("inquiries:proxy_answer", [7]),
        ("inquiries:proxy_versions", [7]),
        ("inquiries:answer_link_reissue", [7]),
        ("directory:organization_notification", []),
    ],
)
def test_row_url_gives_the_address_reverse_gives(viewname, args):
    url = RowUrl(viewname, *args)

    for pk in (1, 42, 9223372036854775806):
        assert url(pk) == reverse(viewname, args=[*args, pk])


def test_row_url_refuses_a_view_without_an_id_at_the_end():
    with pytest.raises(Exception):  # noqa: B017 - NoReverseMatch or ValueError, both refuse
        RowUrl("home")


def test_counted_paginator_pages_by_the_count_it_was_told():
    paginator = CountedPaginator(list(range(120)), 50, count=120)

    page = paginator.get_page(3)

    assert paginator.count == 120
    assert paginator.num_pages == 3
    assert list(page.object_list) == list(range(100, 120))
