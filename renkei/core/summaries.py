"""Summaries of one feature's records shown inside another feature's page.

A meeting's agenda item can point at an inquiry, and the meeting page shows that inquiry's
compiled results; yet meetings and inquiries must not import each other. So the feature
that owns a kind of record registers a provider in its AppConfig.ready():
`summary_register(kind="inquiry", provider=inquiry_summaries)`, and a page asks
`record_summaries(user=…, refs=[("inquiry", 12), …])`. Each provider is called once per page
with every id of its kind (a batch), so the page's query count does not grow with the number
of references. The provider decides what the viewing user may see: someone who may not read
the record's results gets its title and a note, never the figures. Core imports no feature.

A summary is data (parts with optional tables), not HTML: the Jinja2 fragment
`core/_record_summary.html` (core/jinja2/) renders
it the same way for every kind, escaping everything, under a page's h2 (it uses h3 and h4).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

RecordRef = tuple[str, int]  # (kind, id), e.g. ("inquiry", 12)


@dataclass(frozen=True)
class SummaryTable:
    """A small table: the first cell of each row is its header; numeric columns align right."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True)
class SummaryPart:
    """One part of a summary, e.g. one question of an inquiry with its counts."""

    heading: str
    note: str = ""
    table: SummaryTable | None = None


@dataclass(frozen=True)
class RecordSummary:
    """What a page shows of a record it refers to."""

    kind_label: str  # 「照会」
    title: str
    url: str = ""  # empty when the viewer may not open the record
    note: str = ""  # e.g. why the figures are not shown, or how many answered
    parts: tuple[SummaryPart, ...] = field(default_factory=tuple)


# provider(user=…, ids=[…]) -> {id: RecordSummary} for the ids that exist, in a number of
# queries that does not depend on how many ids are asked for (beyond compiling each record
# once when it is not cached).
SummaryProvider = Callable[..., dict[int, RecordSummary]]

_PROVIDERS: dict[str, SummaryProvider] = {}


def summary_register(*, kind: str, provider: SummaryProvider) -> None:
    """Add (or replace) the provider of summaries of one kind of record."""
    _PROVIDERS[kind] = provider


def record_summaries(*, user: Any, refs: Iterable[RecordRef]) -> dict[RecordRef, RecordSummary]:
    """Return the summaries of the referenced records the user's page shows, by reference.

    References of a kind nobody provides, or to records that no longer exist, are left out.
    """
    ids_by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, pk in refs:
        if pk not in ids_by_kind[kind]:
            ids_by_kind[kind].append(pk)
    found: dict[RecordRef, RecordSummary] = {}
    for kind, ids in ids_by_kind.items():
        provider = _PROVIDERS.get(kind)
        if provider is None:
            continue
        for pk, summary in provider(user=user, ids=ids).items():
            found[(kind, pk)] = summary
    return found
