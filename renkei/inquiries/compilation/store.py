"""The compiled summary (集計) of an inquiry, kept in the cache.

Compiling a large inquiry (1,788 organizations × 60 questions, over 100,000 values) takes
hundreds of milliseconds, and while an inquiry is open its answers change all the time; so
no page view compiles a large inquiry. The summary page reads the stored compilation and,
when it is stale or missing, queues one `summary_recompile` for the inquiry and shows the
last compilation (or a waiting page); the task compiles and stores it with the timestamp of
the newest answer it saw. Small inquiries compile inline, which takes a few milliseconds.

The store is the default cache: the database cache in production, shared by every process
(web and `manage.py db_worker`). A summary depends on whether names are hidden, whether the
viewer follows the inquiry (sees who has not answered and their contacts) and the date
style; each such variant is stored under its own key, and the inquiry keeps the list of
variants asked for, so that one task refreshes them all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from renkei.core.question_kinds import QuestionSummary
from renkei.core.subqueries import rows_count
from renkei.core.wareki import date_style, use_date_style
from renkei.inquiries.compilation.charts import summary_chart
from renkei.inquiries.compilation.data import compilation_data
from renkei.inquiries.compilation.progress import inquiry_progress
from renkei.inquiries.compilation.summaries import question_summaries
from renkei.inquiries.models import Answer, Inquiry, InquiryStatus, Question

# Free texts listed per question on the summary page; the question's own page lists all,
# paged. Ten keep a 60-question inquiry of 1,788 answers under 150 KB of HTML (bench).
SUMMARY_LIST_LIMIT = 10
# Bump when the summary's template or compilation changes, so old pages are not served.
SUMMARY_CACHE_VERSION = 5
# A stored summary older than this is compiled again (in the background for a large
# inquiry), so the contacts of organizations not yet answering are at most this old.
SUMMARY_FRESH_SECONDS = 600
# How long a stored summary may still be shown while a newer one is being compiled.
SUMMARY_KEEP_SECONDS = 30 * 24 * 3600
# While this marker exists a recompile of the inquiry is pending or running and no other
# is queued. The task removes it when done; the expiry only covers a task that was lost
# (a worker killed mid-way), after which the next view queues a new one.
RECOMPILE_MARKER_SECONDS = 120
# Inquiries with fewer values (answers × questions) are compiled inside the request:
# measured on the benchmark's data, 20,000 values compile in about 50 ms (the 107,280 of
# 1,788 organizations × 60 questions in about 280 ms).
INLINE_VALUES_LIMIT = 20_000


@dataclass(frozen=True)
class Variant:
    """What a summary's content depends on besides the answers."""

    hide_names: bool
    following: bool
    style: str

    @property
    def suffix(self) -> str:
        return f"{int(self.hide_names)}:{int(self.following)}:{self.style}"


@dataclass
class StoredSummary:
    """A compiled summary page body and what it was compiled from."""

    body: str
    stamp: tuple[float, float]  # the inquiry's updated_at, the newest answer's updated_at
    compiled_at: dt.datetime
    values: int  # answers × questions, to tell whether compiling inline is cheap
    # Whether the body shows any organization's own answer under its name (free texts,
    # その他, files, text tables): only then is a view of it audited.
    named: bool = True


def _prefix(inquiry_id: int) -> str:
    return f"renkei:compilation:{SUMMARY_CACHE_VERSION}:{inquiry_id}"


def summary_key(inquiry_id: int, variant: Variant) -> str:
    return f"{_prefix(inquiry_id)}:summary:{variant.suffix}"


def _variants_key(inquiry_id: int) -> str:
    return f"{_prefix(inquiry_id)}:variants"


def marker_key(inquiry_id: int) -> str:
    return f"{_prefix(inquiry_id)}:recompiling"


def current_variant(*, hide_names: bool, following: bool) -> Variant:
    """Return the variant the current request shows (its date style is the user's)."""
    return Variant(hide_names=hide_names, following=following, style=date_style.get())


def answers_stamp(inquiry: Inquiry) -> float:
    """Return the newest answer's updated_at as a timestamp (0 once answers cannot change).

    Answers change only while the inquiry is open (services.answer_accepting_check), and
    every save, confirmation or submission moves the answer's updated_at; a closed or
    published inquiry needs no query. Opening, closing, publishing, extending and editing
    move the inquiry's updated_at; questions and targets cannot change once answers exist.
    """
    if inquiry.status != InquiryStatus.OPEN:
        return 0.0
    last = Answer.objects.filter(inquiry=inquiry).aggregate(last=Max("updated_at"))["last"]
    return last.timestamp() if last else 0.0


def current_stamp(inquiry: Inquiry) -> tuple[float, float]:
    """Return what a stored summary must have been compiled from to be fresh."""
    return (inquiry.updated_at.timestamp(), answers_stamp(inquiry))


def is_fresh(stored: StoredSummary, stamp: tuple[float, float]) -> bool:
    """Tell whether a stored summary shows the current answers and recent contacts."""
    age = (timezone.now() - stored.compiled_at).total_seconds()
    return tuple(stored.stamp) == stamp and age < SUMMARY_FRESH_SECONDS


def stored_summary(inquiry_id: int, variant: Variant) -> StoredSummary | None:
    return cache.get(summary_key(inquiry_id, variant))


def values_count(inquiry: Inquiry) -> int:
    """Return answers × questions: how much compiling the inquiry reads (an upper bound)."""

    answers, questions = (
        Inquiry.objects.filter(pk=inquiry.pk)
        .values_list(
            rows_count(rows=Answer.objects.all(), pointing="inquiry"),
            rows_count(rows=Question.objects.all(), pointing="inquiry"),
        )
        .get()
    )
    return answers * questions


def _names_answers(summary: QuestionSummary) -> bool:
    """Tell whether a question's summary lists organizations' own answers, one by one."""
    table = summary.table is not None and not summary.table.numeric and summary.table.entries
    return bool(summary.others or summary.texts or summary.files or table)


def summary_body(inquiry: Inquiry, variant: Variant) -> tuple[str, int, bool]:
    """Compile the inquiry and render the summary page's body.

    Return the body, its values and whether it shows named answers (audited views).
    """
    with use_date_style(variant.style):
        data = compilation_data(inquiry=inquiry, hide_names=variant.hide_names)
        # The respondents loaded above are the latest submitted versions progress reads.
        kinds = {r.organization_id: r.answer_kind for r in data.respondents}
        summaries = question_summaries(data)
        body = render_to_string(
            "inquiries/compilation/_summary_body.html",
            {
                "inquiry": inquiry,
                "data": data,
                # Only the count of those missing: the progress page lists them, filtered
                # and paged, with their contacts.
                "progress": inquiry_progress(
                    inquiry=inquiry, with_contacts=False, submitted_kinds=kinds
                ),
                "show_pending": variant.following,
                "items": [(s, summary_chart(s)) for s in summaries],
                "limit": SUMMARY_LIST_LIMIT,
                "limit_slice": f":{SUMMARY_LIST_LIMIT}",
            },
        )
    named = not data.hide_names and any(_names_answers(s) for s in summaries)
    return body, len(data.respondents) * len(data.questions), named


def summary_compile(
    inquiry: Inquiry, variant: Variant, stamp: tuple[float, float] | None = None
) -> StoredSummary:
    """Compile and store one variant of the summary.

    The stamp is read before the answers are: an answer saved while compiling makes the
    stored summary stale (and compiled again), never wrongly fresh.
    """
    if stamp is None:
        stamp = current_stamp(inquiry)
    compiled_at = timezone.now()
    body, values, named = summary_body(inquiry, variant)
    stored = StoredSummary(
        body=str(body), stamp=stamp, compiled_at=compiled_at, values=values, named=named
    )
    cache.set(summary_key(inquiry.pk, variant), stored, SUMMARY_KEEP_SECONDS)
    return stored
