"""Fixtures of the inquiry tests."""

import pytest

from renkei.directory.models import Post
from renkei.testing import Council, make_contact


@pytest.fixture
def contacts(council: Council) -> list[Post]:
    """Make the staff of 当別町 and 和木町 and the board member of 深川市 their 連絡窓口."""
    return [
        make_contact(user=council.staff),
        make_contact(user=council.outsider),
        make_contact(user=council.board),
    ]


@pytest.fixture
def media_root(settings, tmp_path):
    """Store uploaded files in a fresh directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
