"""The 新着情報 registry: providers contribute items, merged newest first."""

import datetime as dt

import pytest

from renkei.core import feeds
from renkei.core.feeds import FeedItem, feed_items, feed_register

T0 = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test, restored afterwards."""
    monkeypatch.setattr(feeds, "_PROVIDERS", {})


def _item(title: str, hours: int, unread: bool = False) -> FeedItem:
    return FeedItem(
        kind="テスト", title=title, url="/", at=T0 + dt.timedelta(hours=hours), unread=unread
    )


def test_items_of_every_provider_are_merged_newest_first_and_cut_to_the_limit(registry):
    feed_register(
        name="a",
        provider=lambda *, user, affiliation, limit: [_item("a1", 1), _item("a3", 3)][:limit],
    )
    feed_register(
        name="b", provider=lambda *, user, affiliation, limit: [_item("b2", 2, unread=True)][:limit]
    )
    items = feed_items(user=None, affiliation=None, limit=2)
    assert [item.title for item in items] == ["a3", "b2"]
    assert items[1].unread


def test_registering_a_name_again_replaces_its_provider(registry):
    feed_register(name="a", provider=lambda *, user, affiliation, limit: [_item("old", 1)])
    feed_register(name="a", provider=lambda *, user, affiliation, limit: [_item("new", 1)])
    assert [item.title for item in feed_items(user=None, affiliation=None, limit=5)] == ["new"]


def test_the_forum_and_the_inquiries_are_registered():
    assert {"forum", "inquiries"} <= set(feeds.feed_providers())
