"""Write bench/results.md: `python -m bench.results FILE` (benchmarks), `--loadtest FILE`.

The benchmark section is rewritten by every `bench/run` and the load-test section by every
`bench/loadtest`; each keeps the other's figures.
"""

import os
import platform
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).with_name("results.md")
LOADTEST_HEADING = "## Load test"


def _facts() -> list[str]:
    url = os.environ.get("DATABASE_URL", "sqlite")
    return [
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- database: {url.split(':', 1)[0]}",
        f"- machine: {os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}",
    ]


def _sections() -> tuple[str, str]:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if LOADTEST_HEADING in text:
        bench, load = text.split(LOADTEST_HEADING, 1)
        return bench.rstrip() + "\n", LOADTEST_HEADING + load
    return text, ""


def write_benchmarks(path: str) -> None:
    """Replace the benchmark section with the `bench …` lines of one run."""
    lines = [
        line
        for line in Path(path).read_text(encoding="utf-8").splitlines()
        if line.startswith(("bench ", "# "))
    ]
    _, load = _sections()
    bench = "\n".join(
        [
            "# Benchmark results",
            "",
            "## Benchmarks (`bench/run`)",
            "",
            *_facts(),
            "- each ratio is against a baseline measured in the same run",
            "",
            "```",
            *lines,
            "```",
            "",
        ]
    )
    RESULTS.write_text(bench + ("\n" + load if load else ""), encoding="utf-8")


def write_loadtest(path: str) -> None:
    """Replace the load-test section with the summary line of one `bench/loadtest` run."""
    bench, _ = _sections()
    line = Path(path).read_text(encoding="utf-8").strip()
    load = "\n".join(
        [
            f"{LOADTEST_HEADING} (`bench/loadtest`: gunicorn + PostgreSQL + task worker, locust)",
            "",
            *_facts(),
            "",
            "```",
            line,
            "```",
            "",
        ]
    )
    RESULTS.write_text((bench or "# Benchmark results\n") + "\n" + load, encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1] == "--loadtest":
        write_loadtest(sys.argv[2])
    else:
        write_benchmarks(sys.argv[1])
