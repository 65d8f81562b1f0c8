"""An inquiry's compiled results as a summary other pages show (core.summaries, kind "inquiry").

A meeting's agenda item that points at an inquiry shows it (seed 004: the meeting discussed
the inquiry's results). The figures are the 集計 page's per-question counts: options with
their counts and shares, number statistics, date ranges, and for free texts, files and
tables how many answered (their content, which names organizations, stays on the inquiry's
own pages, where views of it are audited). A viewer who may not see the inquiry's results
(its results visibility, the same rule as the 集計 page) gets its title and a note.

Queries: three for the whole batch (the inquiries, which of them the user may open, which
of them the user may see the results of), then per inquiry at most one for the answers'
freshness stamp while it is open; a compilation is kept in the cache under that stamp, so
compiling happens once per change of the answers.
"""

from django.core.cache import cache
from django.urls import reverse

from renkei.accounts.models import User
from renkei.core.numbers import format_number
from renkei.core.question_kinds import QuestionSummary
from renkei.core.summaries import RecordSummary, SummaryPart, SummaryTable
from renkei.core.wareki import date_style, format_date
from renkei.inquiries.compilation.data import compilation_data
from renkei.inquiries.compilation.store import INLINE_VALUES_LIMIT, current_stamp, values_count
from renkei.inquiries.compilation.summaries import question_summaries
from renkei.inquiries.models import Inquiry
from renkei.inquiries.permissions import results_visible_filter, visible_inquiries_filter

KIND_LABEL = "照会"
# Bump when the parts below change, so no cached summary of the old shape is shown.
CACHE_VERSION = 1
CACHE_SECONDS = 30 * 24 * 3600
NO_RESULTS = "この照会の集計結果を閲覧する権限がないため、結果は表示していません。"
TOO_LARGE = "回答が多いため、ここには表示していません。集計結果は照会の集計ページをご覧ください。"


def _part(summary: QuestionSummary) -> SummaryPart:
    """Return one question's counts: the table of the 集計 page, without organizations' names."""
    question = summary.question
    note = f"{question.get_kind_display()}・回答対象 {summary.asked}団体"
    if summary.asked:
        note += f"・回答 {summary.answered}団体・無回答 {summary.unanswered}団体"
    table = None
    if summary.is_choice:
        table = SummaryTable(
            caption=f"{question.code} の選択肢ごとの団体数",
            columns=("選択肢", "団体数", "割合"),
            rows=tuple(
                (option.label, f"{option.share.count:,}", option.share.percent_text)
                for option in summary.options
            ),
            numeric=frozenset({1, 2}),
        )
    elif summary.numbers is not None:
        stats = summary.numbers.formatted()
        unit = f"（単位：{question.unit}）" if question.unit else ""
        table = SummaryTable(
            caption=f"{question.code} の統計{unit}",
            columns=("件数", "平均", "中央値", "最小", "最大", "合計"),
            rows=(
                (
                    stats["count"],
                    stats["mean"],
                    stats["median"],
                    stats["minimum"],
                    stats["maximum"],
                    stats["total"],
                ),
            ),
            numeric=frozenset(range(1, 6)),
        )
    elif summary.dates is not None:
        note += (
            f"・最も早い日 {format_date(summary.dates.earliest)}"
            f"・最も遅い日 {format_date(summary.dates.latest)}"
        )
    elif summary.answered:
        note += "（回答の内容は照会の集計ページに掲載しています）"
    return SummaryPart(heading=f"{question.code} {question.text}", note=note, table=table)


def _compiled(inquiry: Inquiry, url: str) -> RecordSummary:
    """Return the inquiry's compiled summary, from the cache while its answers are unchanged."""
    changed, answered = current_stamp(inquiry)
    key = (
        f"renkei:inquiry-summary:{CACHE_VERSION}:{inquiry.pk}:"
        f"{changed!r}:{answered!r}:{date_style.get()}"
    )
    summary = cache.get(key)
    if summary is not None:
        return summary
    if values_count(inquiry) >= INLINE_VALUES_LIMIT:
        # Compiling a large inquiry takes hundreds of milliseconds: not inside a meeting page.
        return RecordSummary(kind_label=KIND_LABEL, title=inquiry.title, url=url, note=TOO_LARGE)
    data = compilation_data(inquiry=inquiry)
    summary = RecordSummary(
        kind_label=KIND_LABEL,
        title=inquiry.title,
        url=url,
        note=f"{inquiry.get_status_display()}・提出 {format_number(len(data.respondents))}団体"
        f"（うち回答 {format_number(len(data.answering))}団体）",
        parts=tuple(_part(s) for s in question_summaries(data)),
    )
    cache.set(key, summary, CACHE_SECONDS)
    return summary


def inquiry_summaries(*, user: User, ids: list[int]) -> dict[int, RecordSummary]:
    """Return the inquiries' compiled results the user may see, by id (the title otherwise)."""
    inquiries = list(Inquiry.objects.filter(pk__in=ids))
    results_ok = set(
        Inquiry.objects.filter(pk__in=ids)
        .filter(results_visible_filter(user))
        .values_list("pk", flat=True)
    )
    openable = set(
        Inquiry.objects.filter(pk__in=ids)
        .filter(visible_inquiries_filter(user))
        .values_list("pk", flat=True)
    )
    summaries = {}
    for inquiry in inquiries:
        url = reverse("inquiries:detail", args=[inquiry.pk]) if inquiry.pk in openable else ""
        if inquiry.pk in results_ok:
            summaries[inquiry.pk] = _compiled(inquiry, url)
        else:
            summaries[inquiry.pk] = RecordSummary(
                kind_label=KIND_LABEL, title=inquiry.title, url=url, note=NO_RESULTS
            )
    return summaries
