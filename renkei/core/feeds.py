"""What is new for a person, contributed by each feature (the home page's 新着情報).

A feature app registers a provider in its AppConfig.ready():
`feed_register(name="forum", provider=forum_feed)`. The portal asks every provider for the
newest items of one user and merges them, newest first. Core imports no feature, so
announcements, meetings and mailing lists plug in the same way without changing the portal.

The caller loads what every provider needs to know about the user once, their organization
and groups (`renkei.directory.selectors.affiliation_of`), and hands it to each provider, so
that no provider spends a query of its own on them.
"""

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FeedItem:
    """One new thing for the person: a post in a followed thread, an inquiry, a deadline."""

    kind: str  # shown as a label: 「電子会議室」「照会」「お知らせ」
    title: str
    url: str
    at: dt.datetime
    note: str = ""
    unread: bool = False


# provider(user=…, affiliation=…, limit=…) -> the provider's newest `limit` items for the
# user, in one query at most.
FeedProvider = Callable[..., list[FeedItem]]

_PROVIDERS: dict[str, FeedProvider] = {}


def feed_register(*, name: str, provider: FeedProvider) -> None:
    """Add (or replace) a feature's provider of feed items."""
    _PROVIDERS[name] = provider


def feed_providers() -> dict[str, FeedProvider]:
    """Return the registered providers by name."""
    return dict(_PROVIDERS)


def feed_items(
    *,
    user: Any,
    affiliation: Any,
    limit: int,
    skip: Collection[str] = (),
    extra: Iterable[FeedItem] = (),
) -> list[FeedItem]:
    """Return the user's newest `limit` items from every provider, newest first.

    A page that has read a feature's news already for another part of it names that provider
    in `skip` and passes the items it made of them in `extra`, so nothing is read twice.
    """
    items: list[FeedItem] = list(extra)
    for name, provider in _PROVIDERS.items():
        if name not in skip:
            items.extend(provider(user=user, affiliation=affiliation, limit=limit))
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:limit]
