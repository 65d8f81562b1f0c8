"""Benchmark harness: time pages against a trivial baseline view measured in the same run."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from django.test import Client


@dataclass
class Measurement:
    """One benchmark's median time and how it compares with the baseline."""

    name: str
    median_ms: float
    baseline_ms: float
    target: float
    queries: int | None = None
    # The page's HTML size; a page over the limit fails whatever its time.
    size_kb: float | None = None
    size_limit_kb: float = 150

    @property
    def ratio(self) -> float:
        return self.median_ms / self.baseline_ms if self.baseline_ms else float("inf")

    @property
    def ok(self) -> bool:
        return self.ratio <= self.target and (
            self.size_kb is None or self.size_kb <= self.size_limit_kb
        )

    def line(self) -> str:
        """Return the line the issue asks for."""
        text = (
            f"bench {self.name} median={self.median_ms:.2f}ms baseline={self.baseline_ms:.2f}ms "
            f"ratio={self.ratio:.2f}x target={self.target:g}x {'ok' if self.ok else 'FAIL'}"
        )
        if self.queries is not None:
            text += f" queries={self.queries}"
        if self.size_kb is not None:
            text += f" size={self.size_kb:.1f}KB limit={self.size_limit_kb:g}KB"
        return text


def median_ms(action: Callable[[], object], *, repeat: int, warmup: int = 2) -> float:
    """Run the action and return its median wall time in milliseconds."""
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def paired_ms(
    action: Callable[[], object], baseline: Callable[[], object], *, repeat: int
) -> tuple[float, float]:
    """Return the median times of an action and its baseline, run alternately.

    Alternating keeps a busy machine (tests running beside the benchmark) from slowing
    one side only.
    """
    action()
    baseline()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for side, run in enumerate((action, baseline)):
            start = time.perf_counter()
            run()
            samples[side].append((time.perf_counter() - start) * 1000)
    return statistics.median(samples[0]), statistics.median(samples[1])


class PageCase(NamedTuple):
    """One URL to time: its first page (when it is a later one), its target, and whether it is
    a document (a .docx or .xlsx download, whose size is not a page's)."""

    name: str
    path: str
    first: str | None = None
    target: float | None = None
    document: bool = False


def pages_measure(
    client: "Client",
    pages: list[tuple[str, str, str | None]] | list[PageCase],
    *,
    repeat: int,
    target: float,
) -> list[Measurement]:
    """Time each page against the baseline view with a logged-in client.

    A page given its first page must make as many queries as that first page does: a list
    keeps a fixed number of queries however deep it is paged. A case without its own target
    has `target`.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get(path: str) -> bytes:
        response = client.get(path)
        if response.status_code != 200:
            raise AssertionError(f"{path} answered {response.status_code}")
        return response.content

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            get(path)
        return len(captured)

    results = []
    for case in (PageCase(*page) for page in pages):
        get(case.path)
        count = queries(case.path)
        if case.first is not None and queries(case.first) != count:
            raise AssertionError(
                f"{case.name}: {count} queries, the first page {queries(case.first)}"
            )
        ms, baseline_ms = paired_ms(
            lambda p=case.path: get(p), lambda: get("/bench/baseline/"), repeat=repeat
        )
        results.append(
            Measurement(
                name=case.name,
                median_ms=ms,
                baseline_ms=baseline_ms,
                target=target if case.target is None else case.target,
                queries=count,
                size_kb=None if case.document else len(get(case.path)) / 1024,
            )
        )
    return results
