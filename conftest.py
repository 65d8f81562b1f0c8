"""Fixtures available to every test."""

import pytest

from renkei.testing import Council, make_council

# The Playwright browser is shared by every browser test in the session.
pytest_plugins = ["tests.browser.fixtures"]


@pytest.fixture
def council(db) -> Council:
    """A small council with one user per role."""
    return make_council()
