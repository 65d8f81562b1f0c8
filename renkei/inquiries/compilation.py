"""Compiling an inquiry's answers (集計): progress, per-question summaries and the matrix.

Who counts. Only submitted answers are results: each organization's latest submitted
version (selectors.latest_submitted_versions); drafts, answers awaiting confirmation and
corrections not yet submitted again are not. A question's denominator is the number of organizations that submitted an answer
of kind "answered" AND to which the question was shown (its display condition held for
that answer). Organizations that submitted 該当なし or 回答辞退 answered no question, and
an organization that was never shown a conditional question cannot have chosen an option
in it, so neither belongs in "19団体中7団体". Organizations that were shown a question but
left it blank stay in the denominator and are reported as 無回答, the way councils report
them.

Queries. Everything is read in a constant number of queries (questions, submitted versions
with their organizations, and for progress the targets, answers and contacts), whatever
the number of organizations; no loop below touches the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from renkei.core.numbers import format_number, format_percent, format_share
from renkei.directory.models import Organization, OrganizationKind
from renkei.directory.prefectures import PREFECTURES
from renkei.directory.selectors import notification_recipients
from renkei.inquiries import selectors
from renkei.inquiries.models import (
    NO,
    OTHER_CHOICE,
    YES,
    Answer,
    AnswerKind,
    AnswerStatus,
    AnswerVersion,
    Inquiry,
    Question,
    QuestionKind,
    Target,
)

OTHER_LABEL = OTHER_CHOICE
CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YES_NO})
TEXT_KINDS = frozenset({QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT})
NO_PREFECTURE = "（都道府県なし）"


# --- Shares ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """A count out of a total, written the way councils report it."""

    count: int
    total: int

    @property
    def percent(self) -> float | None:
        """Return the share in percent, or None when nobody was asked."""
        return self.count * 100 / self.total if self.total else None

    @property
    def percent_text(self) -> str:
        """Return the percentage with one decimal ("36.8%")."""
        return format_percent(self.count, self.total)

    @property
    def label(self) -> str:
        """Return 「19団体中7団体（36.8%）」."""
        return format_share(self.count, self.total)

    def __str__(self) -> str:
        return self.label


# --- Respondents ----------------------------------------------------------------------------


def anonymous_label(index: int) -> str:
    """Return 団体A, 団体B … 団体Z, 団体AA … for the index-th hidden organization."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"団体{letters}"


def organization_sort_key(organization: Organization) -> tuple:
    """Order organizations by JIS code, those without a code last (by reading, then name)."""
    code = organization.code or ""
    return (code == "", code, organization.kana or "", organization.name, organization.pk)


def prefecture_name(code: str) -> str:
    """Return the prefecture's name for its two-digit code, or a marker when there is none."""
    return PREFECTURES.get(code or "", NO_PREFECTURE)


@dataclass
class Respondent:
    """An organization whose answer was submitted, as the viewer may see it."""

    organization_id: int
    code: str  # "" when the organization has none or names are hidden
    name: str  # the real name, or 団体A … when names are hidden
    prefecture_code: str
    kind: str
    answer_kind: str
    data: dict[str, Any]
    submitted_at: dt.datetime | None
    hidden: bool = False
    # The ids of the questions this answer was shown (see shown_question_ids).
    shown: frozenset[int] = frozenset()
    version_id: int = 0

    @property
    def prefecture(self) -> str:
        """Return the prefecture's name."""
        return prefecture_name(self.prefecture_code)

    @property
    def kind_label(self) -> str:
        """Return the organization kind in Japanese."""
        return OrganizationKind(self.kind).label if self.kind in OrganizationKind else self.kind

    @property
    def answer_kind_label(self) -> str:
        """Return 回答 / 該当なし / 回答辞退."""
        return AnswerKind(self.answer_kind).label

    @property
    def label(self) -> str:
        """Return 「深川市（012289）」, or the bare label when hidden or without a code."""
        return f"{self.name}（{self.code}）" if self.code else self.name

    @property
    def answered(self) -> bool:
        """Tell whether the organization answered the questions (not 該当なし / 辞退)."""
        return self.answer_kind == AnswerKind.ANSWERED


def _hidden_order_key(inquiry_id: int, organization_id: int) -> str:
    """Return a keyed digest that orders hidden organizations without revealing their code."""
    message = f"renkei.inquiries.compilation.hidden:{inquiry_id}:{organization_id}"
    return hashlib.blake2b(
        message.encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=16
    ).hexdigest()


# What a respondent needs from each submitted version, read as plain tuples: model
# instances for 1,788 versions and their answers and organizations cost more than the SQL.
_VERSION_FIELDS = (
    "id",
    "kind",
    "submitted_at",
    "answer__organization_id",
    "answer__organization__code",
    "answer__organization__name",
    "answer__organization__kana",
    "answer__organization__kind",
    "answer__organization__prefecture_code",
)


def _respondents(*, inquiry: Inquiry, hide_names: bool, with_answers: bool) -> list[Respondent]:
    """Return the organizations that submitted, in matrix order, labelled when hidden.

    With names hidden the JIS order would give identities away (団体A would be the
    northernmost), so hidden labels follow a keyed hash of the organization instead.
    """
    fields = (*_VERSION_FIELDS, "data") if with_answers else _VERSION_FIELDS
    rows = list(latest_submitted_versions(inquiry=inquiry).values_list(*fields))
    if hide_names:
        rows.sort(key=lambda row: _hidden_order_key(inquiry.pk, row[3]))
    else:
        # Organizations without a code last, as organization_sort_key orders them.
        rows.sort(key=lambda row: (not row[4], row[4] or "", row[6] or "", row[5], row[3]))
    respondents = []
    for index, row in enumerate(rows):
        data = row[9] if with_answers else None
        respondents.append(
            Respondent(
                organization_id=row[3],
                code="" if hide_names else (row[4] or ""),
                name=anonymous_label(index) if hide_names else row[5],
                prefecture_code=row[8] or "",
                kind=row[7],
                answer_kind=row[1],
                data=data if isinstance(data, dict) else {},
                submitted_at=row[2],
                hidden=hide_names,
                version_id=row[0],
            )
        )
    return respondents


# --- Reading answer values defensively ------------------------------------------------------


def choice_values(question: Question, value: Any, other: Any = None) -> tuple[list[str], str]:
    """Return the chosen option texts and the その他 text of a choice answer.

    The answer form stores a text (single, yes/no) or a list of texts (multiple) with the
    その他 text beside it under "<id>_other"; older shapes are read too:
    {"choice": "その他", "other": "…"}, a list with an {"other": "…"} entry and
    {"choices": […], "other": "…"}. A non-empty その他 text implies that その他 was chosen.
    """
    chosen: list[str] = []
    other = _text(other) if not isinstance(other, dict | list) else ""
    if value is None:
        return chosen, other
    if question.kind == QuestionKind.YES_NO and isinstance(value, bool):
        return [YES if value else NO], other
    items: list[Any]
    if isinstance(value, dict):
        other = _text(value.get("other"))
        picked = value.get("choices", value.get("choice", value.get("selected")))
        items = list(picked) if isinstance(picked, list | tuple) else [picked]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        items = [value]
    for item in items:
        if isinstance(item, dict):
            other = other or _text(item.get("other"))
            if item.get("choice") is not None:
                chosen.append(_text(item.get("choice")))
            continue
        text = _text(item)
        if text and text not in chosen:
            chosen.append(text)
    if other and OTHER_LABEL not in chosen:
        chosen.append(OTHER_LABEL)
    return chosen, other


def _text(value: Any) -> str:
    """Return a value as stripped text ("" for None)."""
    if value is None:
        return ""
    return str(value).strip()


def number_value(value: Any) -> float | int | None:
    """Return a stored number, reading numeric text with commas or full-width digits."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str):
        cleaned = unicodedata.normalize("NFKC", value).replace(",", "").strip()
        if not cleaned:
            return None
        try:
            number = Decimal(cleaned)
        except ArithmeticError:
            return None
        if not number.is_finite():
            return None
        return int(number) if number == number.to_integral_value() else float(number)
    return None


def date_value(value: Any) -> dt.date | None:
    """Return a stored ISO date ("YYYY-MM-DD") as a date, or None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def table_value(value: Any, row: str, column: str) -> Any:
    """Return one cell of a stored table answer ({row: {column: value}})."""
    if not isinstance(value, dict):
        return None
    cells = value.get(row)
    if not isinstance(cells, dict):
        return None
    return cells.get(column)


def shown_question_ids(questions: Sequence[Question], data: dict[str, Any]) -> frozenset[int]:
    """Return the ids of the questions whose display condition held for this answer."""
    hidden = selectors.hidden_question_ids(questions, data)
    return frozenset(q.pk for q in questions if q.pk not in hidden)


# --- Loading ---------------------------------------------------------------------------------


@dataclass
class CompilationData:
    """An inquiry's questions and submitted answers, loaded once for every view of them."""

    inquiry: Inquiry
    questions: list[Question]
    respondents: list[Respondent]
    hide_names: bool = False

    @property
    def answering(self) -> list[Respondent]:
        """Return the respondents whose answer is of kind 回答."""
        return [r for r in self.respondents if r.answered]

    def asked(self, question: Question) -> list[Respondent]:
        """Return the respondents who answered and were shown the question."""
        pk = question.pk
        return [r for r in self.respondents if r.answered and pk in r.shown]


def latest_submitted_versions(*, inquiry: Inquiry) -> QuerySet[AnswerVersion]:
    """Return each organization's latest submitted version, without joined instances.

    What counts as an answer is the selectors' rule (a correction being drafted does not
    replace the submitted version); callers here read only the fields they name.
    """
    return selectors.latest_submitted_versions(inquiry).select_related(None)


def compilation_data(
    *, inquiry: Inquiry, hide_names: bool = False, with_answers: bool = True
) -> CompilationData:
    """Load an inquiry's questions and submitted answers in a constant number of queries.

    Without answers, only who answered is loaded (for a page of the matrix, whose rows'
    answers `answers_load` reads afterwards): reading every answer's JSON is most of the
    cost of compiling a large inquiry.
    """
    questions = list(Question.objects.filter(inquiry=inquiry).order_by("position", "id"))
    respondents = _respondents(inquiry=inquiry, hide_names=hide_names, with_answers=with_answers)
    if with_answers:
        _shown_set(questions, respondents)
    return CompilationData(
        inquiry=inquiry,
        questions=questions,
        respondents=respondents,
        hide_names=hide_names,
    )


def _shown_set(questions: Sequence[Question], respondents: Iterable[Respondent]) -> None:
    """Set each answering respondent's shown questions (see shown_question_ids).

    The conditions are prepared once, not once per organization, and respondents who were
    shown the same questions share one set: without display conditions, that is everyone.
    """
    everything = frozenset(q.pk for q in questions)
    # selectors.hidden_question_ids, with the ordering and keys worked out beforehand.
    conditions = [
        (q.pk, q.condition_question_id, str(q.condition_question_id), q.condition_value)
        for q in sorted(questions, key=lambda q: (q.position, q.id))
        if q.condition_question_id is not None
    ]
    shared: dict[tuple[int, ...], frozenset[int]] = {(): everything}
    for respondent in respondents:
        if not respondent.answered:
            continue
        if not conditions:
            respondent.shown = everything
            continue
        data = respondent.data
        hidden: list[int] = []
        for pk, controller_id, controller_key, expected in conditions:
            if controller_id in hidden:
                hidden.append(pk)
                continue
            value = data.get(controller_key)
            if not (expected in value if isinstance(value, list) else value == expected):
                hidden.append(pk)
        key = tuple(hidden)
        shown = shared.get(key)
        if shown is None:
            shown = shared[key] = everything.difference(hidden)
        respondent.shown = shown


def answers_load(data: CompilationData, respondents: Sequence[Respondent]) -> None:
    """Read the answers of some respondents of data loaded without answers (one query)."""
    values = dict(
        AnswerVersion.objects.filter(pk__in=[r.version_id for r in respondents]).values_list(
            "id", "data"
        )
    )
    for respondent in respondents:
        value = values.get(respondent.version_id)
        respondent.data = value if isinstance(value, dict) else {}
    _shown_set(data.questions, respondents)


# --- Progress -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressGroup:
    """Targeted and submitted organizations in one prefecture or of one kind."""

    key: str
    label: str
    targeted: int
    submitted: int

    @property
    def share(self) -> Share:
        """Return submitted out of targeted."""
        return Share(self.submitted, self.targeted)


@dataclass(frozen=True)
class PendingOrganization:
    """A targeted organization that has not submitted, with whom to contact."""

    organization: Organization
    status_label: str  # 未着手 / 作成中 / 所属長確認待ち / 確認済み
    contacts: list[Any]

    @property
    def prefecture(self) -> str:
        """Return the organization's prefecture name."""
        return prefecture_name(self.organization.prefecture_code)


@dataclass(frozen=True)
class Progress:
    """How far the answering has come."""

    targeted: int
    submitted: int
    by_answer_kind: list[tuple[str, int]]
    by_prefecture: list[ProgressGroup]
    by_kind: list[ProgressGroup]
    pending: list[PendingOrganization]

    @property
    def share(self) -> Share:
        """Return submitted out of targeted."""
        return Share(self.submitted, self.targeted)


NOT_STARTED = "未着手"


# The organization fields progress reads; other fields stay deferred, as with .only().
_PROGRESS_FIELDS = frozenset({"id", "code", "name", "kana", "kind", "prefecture_code"})


def inquiry_progress(
    *, inquiry: Inquiry, with_contacts: bool = True, submitted_kinds: dict[int, str] | None = None
) -> Progress:
    """Return submitted / targeted overall, by prefecture and by kind, and who is missing.

    An organization counts as submitted once it has submitted, even while it drafts a
    correction; its answer kind is that of its latest submitted version. `submitted_kinds`
    ({organization id: kind of its latest submitted version}) saves reading those again when
    the caller has loaded them (CompilationData.respondents).
    """
    # Targets as plain tuples: only the organizations still missing become instances.
    names = [f.attname for f in Organization._meta.concrete_fields if f.attname in _PROGRESS_FIELDS]
    at = {name: index for index, name in enumerate(names)}
    pk_at, code_at, kana_at, name_at = at["id"], at["code"], at["kana"], at["name"]
    prefecture_at, kind_at = at["prefecture_code"], at["kind"]
    targets = Target.objects.filter(inquiry=inquiry)
    rows = list(targets.values_list(*[f"organization__{name}" for name in names]))
    statuses: dict[int, str] = {}
    submitted_ids: set[int] = set()
    for organization_id, status, submitted_at in Answer.objects.filter(inquiry=inquiry).values_list(
        "organization_id", "status", "submitted_at"
    ):
        statuses[organization_id] = status
        if submitted_at is not None:
            submitted_ids.add(organization_id)
    kinds = (
        submitted_kinds
        if submitted_kinds is not None
        else dict(
            latest_submitted_versions(inquiry=inquiry).values_list(
                "answer__organization_id", "kind"
            )
        )
    )
    # organization_sort_key, on the tuples.
    rows.sort(
        key=lambda row: (
            not row[code_at],
            row[code_at] or "",
            row[kana_at] or "",
            row[name_at],
            row[pk_at],
        )
    )
    submitted_ids &= {row[pk_at] for row in rows}

    by_prefecture: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        done = int(row[pk_at] in submitted_ids)
        group = by_prefecture[row[prefecture_at] or ""]
        group[0] += 1
        group[1] += done
        group = by_kind[row[kind_at]]
        group[0] += 1
        group[1] += done
    pending_orgs = [
        Organization.from_db(targets.db, names, row)
        for row in rows
        if row[pk_at] not in submitted_ids
    ]

    kind_order = {value: i for i, value in enumerate(OrganizationKind.values)}
    kind_counts = Counter(kinds[o] for o in submitted_ids if o in kinds)
    contacts: dict[int, list[Any]] = defaultdict(list)
    if with_contacts and pending_orgs:
        # The addresses the inquiry's mail reaches (連絡窓口 and shared mailbox).
        for recipient in notification_recipients(organization_ids=[o.pk for o in pending_orgs]):
            contacts[recipient.organization.pk].append(recipient)
    status_labels = dict(AnswerStatus.choices)
    return Progress(
        targeted=len(rows),
        submitted=len(submitted_ids),
        by_answer_kind=[(AnswerKind(k).label, kind_counts.get(k, 0)) for k in AnswerKind.values],
        by_prefecture=[
            ProgressGroup(key=code, label=prefecture_name(code), targeted=t, submitted=s)
            for code, (t, s) in sorted(by_prefecture.items(), key=lambda kv: (kv[0] == "", kv[0]))
        ],
        by_kind=[
            ProgressGroup(
                key=kind,
                label=OrganizationKind(kind).label if kind in OrganizationKind else kind,
                targeted=t,
                submitted=s,
            )
            for kind, (t, s) in sorted(by_kind.items(), key=lambda kv: kind_order.get(kv[0], 99))
        ],
        pending=[
            PendingOrganization(
                organization=o,
                status_label=status_labels.get(statuses.get(o.pk, ""), NOT_STARTED),
                contacts=contacts.get(o.pk, []),
            )
            for o in pending_orgs
        ],
    )


# --- Per-question summaries -----------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A text written by one organization."""

    respondent: Respondent
    text: str


@dataclass(frozen=True)
class OptionCount:
    """How many organizations chose one option."""

    label: str
    share: Share
    is_other: bool = False
    # An option that is not (or no longer) among the question's choices.
    unlisted: bool = False


@dataclass(frozen=True)
class NumberStats:
    """Statistics of a number question."""

    count: int
    mean: float
    median: float
    minimum: float
    maximum: float
    total: float

    def formatted(self) -> dict[str, str]:
        """Return each statistic formatted for display."""
        return {
            "count": f"{self.count:,}",
            "mean": format_number(self.mean),
            "median": format_number(self.median),
            "minimum": format_number(self.minimum),
            "maximum": format_number(self.maximum),
            "total": format_number(self.total),
        }


@dataclass(frozen=True)
class DateRange:
    """Earliest and latest answer to a date question."""

    count: int
    earliest: dt.date
    latest: dt.date


@dataclass(frozen=True)
class TableCellTotal:
    """The sum of one cell of a numeric table over every organization."""

    row: str
    column: str
    total: float | int
    count: int


@dataclass(frozen=True)
class TableSummary:
    """A table question compiled: sums per cell when numeric, each organization's table."""

    rows: list[str]
    columns: list[str]
    numeric: bool
    # totals[row][column] for numeric tables.
    totals: dict[str, dict[str, TableCellTotal]]
    row_totals: dict[str, float | int]
    column_totals: dict[str, float | int]
    # (respondent, [(row label, [cell text per column])]) for each organization that filled it.
    entries: list[tuple[Respondent, list[tuple[str, list[str]]]]]

    def grid(self) -> list[tuple[str, list[TableCellTotal], float | int]]:
        """Return (row label, cells, row total) in order, for display."""
        return [
            (row, [self.totals[row][c] for c in self.columns], self.row_totals[row])
            for row in self.rows
        ]

    @property
    def grand_total(self) -> float | int:
        """Return the sum of every cell."""
        return _sum(self.row_totals.values())


@dataclass
class QuestionSummary:
    """One question compiled over the organizations that were asked it."""

    question: Question
    asked: int
    answered: int
    options: list[OptionCount] = field(default_factory=list)
    others: list[Entry] = field(default_factory=list)
    numbers: NumberStats | None = None
    dates: DateRange | None = None
    texts: list[Entry] = field(default_factory=list)
    table: TableSummary | None = None
    files: list[Entry] = field(default_factory=list)

    @property
    def unanswered(self) -> int:
        """Return how many organizations were asked but left the question blank."""
        return self.asked - self.answered

    @property
    def is_choice(self) -> bool:
        """Tell whether the question has options to count."""
        return self.question.kind in CHOICE_KINDS

    @property
    def answered_share(self) -> Share:
        """Return answered out of asked."""
        return Share(self.answered, self.asked)


def option_labels(question: Question) -> list[str]:
    """Return the options of a choice question in order, その他 last when it is allowed."""
    labels = [str(c) for c in question.options]
    # A question whose own choices include その他 must not count it twice.
    return list(dict.fromkeys(labels))


def _sum(values: Iterable[float | int]) -> float | int:
    """Sum numbers exactly for integers and with fsum for the rest."""
    values = list(values)
    # The types, not every value, are checked: a table's totals add thousands of cells.
    if all(issubclass(kind, int) for kind in set(map(type, values))):
        return sum(values)
    total = math.fsum(values)
    return int(total) if total.is_integer() else total


def _choice_keys(values: list[Any], others: list[Any]) -> list[Any] | None:
    """Return one key per answer that equals another only when choice_values reads both
    alike (texts and lists of texts, with a text or no その他), or None for other shapes."""
    if not set(map(type, others)) <= _TEXT_OR_NONE:
        return None
    kinds = set(map(type, values))
    if kinds <= _TEXT_OR_NONE:
        return list(zip(values, others, strict=True))
    if not kinds <= _TEXT_LIST_OR_NONE:
        return None
    items = chain.from_iterable(value for value in values if type(value) is list)
    if not set(map(type, items)) <= _TEXT:
        return None
    return [
        (tuple(value) if type(value) is list else value, other)
        for value, other in zip(values, others, strict=True)
    ]


_TEXT = frozenset({str})
_TEXT_OR_NONE = frozenset({str, type(None)})
_TEXT_LIST_OR_NONE = frozenset({str, list, type(None)})


def _summarize_choice(summary: QuestionSummary, asked: list[Respondent]) -> None:
    question = summary.question
    key, other_key = str(question.pk), f"{question.pk}_other"
    listed = option_labels(question)
    values = [r.data.get(key) for r in asked]
    others = [r.data.get(other_key) for r in asked]
    keys = _choice_keys(values, others)
    # Most organizations give one of a few answers: each distinct answer is read once.
    if keys is None:
        readings = [choice_values(question, v, o) for v, o in zip(values, others, strict=True)]
        tally = Counter(range(len(readings)))
    else:
        tally = Counter(keys)
        distinct = {
            k: choice_values(question, list(k[0]) if type(k[0]) is tuple else k[0], k[1])
            for k in tally
        }
        readings = None
    counts: Counter[str] = Counter()
    unlisted: list[str] = []
    # Distinct answers in the order they first occur, so 選択肢外 labels keep that order.
    for tally_key, number in tally.items():
        chosen, _ = readings[tally_key] if readings is not None else distinct[tally_key]
        if not chosen:
            continue
        summary.answered += number
        for label in chosen:
            counts[label] += number
            if label not in listed and label not in unlisted:
                unlisted.append(label)
    # その他 texts, in the respondents' order.
    if readings is not None:
        summary.others.extend(
            Entry(respondent=r, text=other)
            for r, (chosen, other) in zip(asked, readings, strict=True)
            if chosen and other
        )
    elif any(other for _, other in distinct.values()):
        summary.others.extend(
            Entry(respondent=r, text=distinct[k][1])
            for r, k in zip(asked, keys, strict=True)
            if distinct[k][0] and distinct[k][1]
        )
    total = summary.asked
    summary.options = [
        OptionCount(
            label=label,
            share=Share(counts[label], total),
            is_other=question.allow_other and label == OTHER_LABEL,
        )
        for label in listed
    ] + [
        OptionCount(label=label, share=Share(counts[label], total), unlisted=True)
        for label in unlisted
    ]


_NUMBER_OR_NONE = frozenset({int, float, type(None)})


def _numbers(values: list[Any]) -> list[float | int]:
    """Return the values that number_value reads as numbers, in order."""
    if set(map(type, values)) <= _NUMBER_OR_NONE:
        # Stored numbers, as the answer form saves them: only the checks number_value makes.
        return [v for v in values if v is not None and math.isfinite(v)]
    return [n for v in values if (n := number_value(v)) is not None]


def _summarize_number(summary: QuestionSummary, asked: list[Respondent]) -> None:
    key = str(summary.question.pk)
    numbers = _numbers([r.data.get(key) for r in asked])
    summary.answered = len(numbers)
    if numbers:
        summary.numbers = NumberStats(
            count=len(numbers),
            mean=statistics.fmean(numbers),
            median=statistics.median(numbers),
            minimum=min(numbers),
            maximum=max(numbers),
            total=_sum(numbers),
        )


def _summarize_date(summary: QuestionSummary, asked: list[Respondent]) -> None:
    key = str(summary.question.pk)
    read: dict[str, dt.date | None] = {}
    dates = []
    for respondent in asked:
        value = respondent.data.get(key)
        if type(value) is str:
            # Many organizations give the same day: each distinct text is parsed once.
            if value not in read:
                read[value] = date_value(value)
            day = read[value]
        else:
            day = date_value(value)
        if day is not None:
            dates.append(day)
    summary.answered = len(dates)
    if dates:
        summary.dates = DateRange(count=len(dates), earliest=min(dates), latest=max(dates))


def _summarize_text(summary: QuestionSummary, asked: list[Respondent]) -> None:
    key = str(summary.question.pk)
    for respondent in asked:
        value = respondent.data.get(key)
        if value is None:
            continue
        text = value.strip() if type(value) is str else _text(value)
        if text:
            summary.texts.append(Entry(respondent=respondent, text=text))
    summary.answered = len(summary.texts)


def cell_text(value: Any) -> str:
    """Return a table cell's stored value as display text."""
    number = number_value(value) if not isinstance(value, str) else None
    if number is not None:
        return format_number(number, places=6)
    return _text(value)


def _table_cell(value: Any, numeric: bool) -> tuple[float | int | None, str]:
    """Return a table cell's number (for the sums of a numeric table) and display text."""
    kind = type(value)
    if kind is int:
        # What number_value and cell_text make of an int, without their general checks.
        return (value if numeric else None), f"{value:,}"
    if value is None:
        return None, ""
    number = number_value(value) if numeric else None
    return number, cell_text(value)


def _summarize_table(summary: QuestionSummary, asked: list[Respondent]) -> None:
    question = summary.question
    key = str(question.pk)
    rows = [str(r) for r in (question.table_rows or [])]
    columns = [str(c) for c in (question.table_columns or [])]
    numeric = question.table_numeric
    sums: dict[tuple[str, str], list[float | int]] = {
        (row, column): [] for row in rows for column in columns
    }
    # Each row's columns with the list their numbers are summed in, looked up once.
    lines = [(row, [(column, sums[(row, column)]) for column in columns]) for row in rows]
    entries = []
    value_is_empty = selectors.value_is_empty
    for respondent in asked:
        value = respondent.data.get(key)
        if value is None or value_is_empty(value):
            continue
        summary.answered += 1
        grid = []
        is_table = isinstance(value, dict)
        for row, buckets in lines:
            cells = value.get(row) if is_table else None
            if not isinstance(cells, dict):
                cells = {}
            line = []
            for column, bucket in buckets:
                cell = cells.get(column)
                if type(cell) is int:
                    # What number_value and cell_text make of an int, without their checks.
                    if numeric:
                        bucket.append(cell)
                    line.append(f"{cell:,}")
                elif cell is None:
                    line.append("")
                else:
                    number, text = _table_cell(cell, numeric)
                    if number is not None:
                        bucket.append(number)
                    line.append(text)
            grid.append((row, line))
        entries.append((respondent, grid))
    totals = {
        row: {
            column: TableCellTotal(
                row=row,
                column=column,
                total=_sum(sums[(row, column)]),
                count=len(sums[(row, column)]),
            )
            for column in columns
        }
        for row in rows
    }
    summary.table = TableSummary(
        rows=rows,
        columns=columns,
        numeric=numeric,
        totals=totals,
        row_totals={row: _sum(v for c in columns for v in sums[(row, c)]) for row in rows},
        column_totals={
            column: _sum(v for row in rows for v in sums[(row, column)]) for column in columns
        },
        entries=entries,
    )


def file_names(value: Any) -> str:
    """Return the names of the files of a file answer ([{"id": …, "name": …}]), joined."""
    items = value if isinstance(value, list) else ([value] if value else [])
    names = []
    for item in items:
        if isinstance(item, dict):
            names.append(_text(item.get("name")) or f"ファイル{item.get('id', '')}")
        elif not selectors.value_is_empty(item):
            names.append(f"ファイル{item}")
    return "、".join(names)


def _summarize_file(summary: QuestionSummary, asked: list[Respondent]) -> None:
    key = str(summary.question.pk)
    for respondent in asked:
        names = file_names(respondent.data.get(key))
        if names:
            summary.files.append(Entry(respondent=respondent, text=names))
    summary.answered = len(summary.files)


def question_summary(data: CompilationData, question: Question) -> QuestionSummary:
    """Compile one question over the organizations that were asked it."""
    return _question_summary(question, data.asked(question))


def _question_summary(question: Question, asked: list[Respondent]) -> QuestionSummary:
    summary = QuestionSummary(question=question, asked=len(asked), answered=0)
    if question.kind in CHOICE_KINDS:
        _summarize_choice(summary, asked)
    elif question.kind == QuestionKind.NUMBER:
        _summarize_number(summary, asked)
    elif question.kind == QuestionKind.DATE:
        _summarize_date(summary, asked)
    elif question.kind in TEXT_KINDS:
        _summarize_text(summary, asked)
    elif question.kind == QuestionKind.TABLE:
        _summarize_table(summary, asked)
    elif question.kind == QuestionKind.FILE:
        _summarize_file(summary, asked)
    return summary


def question_summaries(data: CompilationData) -> list[QuestionSummary]:
    """Compile every question of the inquiry, in question order."""
    answering = data.answering
    if answering and all(r.shown is answering[0].shown for r in answering):
        # Everyone was shown the same questions (always so without display conditions):
        # each question was asked of all or none of them.
        shown = answering[0].shown
        return [_question_summary(q, answering if q.pk in shown else []) for q in data.questions]
    return [_question_summary(q, data.asked(q)) for q in data.questions]


# --- The matrix -------------------------------------------------------------------------------


class CellKind:
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    FLAG = "flag"


@dataclass(frozen=True)
class MatrixColumn:
    """One column of the matrix: an organization field, a question or a sub-field of one."""

    key: str
    header: str
    kind: str = CellKind.TEXT
    question: Question | None = None
    # What part of the question's value this column shows: ("value",), ("option", label),
    # ("other",), ("cell", row, column).
    part: tuple[str, ...] = ("value",)
    width: int = 16

    @property
    def is_numeric(self) -> bool:
        """Tell whether the column holds numbers (sums and right alignment apply)."""
        return self.kind in (CellKind.NUMBER, CellKind.FLAG)


@dataclass(frozen=True)
class MatrixRow:
    """One organization's line of the matrix."""

    respondent: Respondent
    cells: list[Any]


@dataclass
class Matrix:
    """One row per organization, one column per question or sub-field."""

    columns: list[MatrixColumn]
    rows: list[MatrixRow]
    hide_names: bool
    total_rows: int  # before filtering

    @property
    def fixed_count(self) -> int:
        """Return how many leading columns describe the organization (frozen in Excel)."""
        return sum(1 for c in self.columns if c.question is None)

    @property
    def header(self) -> list[str]:
        """Return the header line."""
        return [c.header for c in self.columns]

    def lines(self) -> Iterator[list[Any]]:
        """Yield each row's cells, organization fields first."""
        for row in self.rows:
            yield row.cells


def _short(text: str, limit: int = 40) -> str:
    """Return a one-line prefix of a question's text for a column header."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def question_columns(question: Question) -> list[MatrixColumn]:
    """Return the matrix columns of one question."""
    head = f"{question.code} {_short(question.text)}".strip()
    key = f"q{question.pk}"
    kind = question.kind
    if kind == QuestionKind.MULTIPLE:
        columns = [
            MatrixColumn(
                key=f"{key}:o{i}",
                header=f"{question.code} {label}",
                kind=CellKind.FLAG,
                question=question,
                part=("option", label),
                width=max(8, min(24, len(label) * 2 + 4)),
            )
            for i, label in enumerate(c for c in option_labels(question) if c != OTHER_LABEL)
        ]
        if question.allow_other:
            columns.append(
                MatrixColumn(
                    key=f"{key}:other",
                    header=f"{question.code} {OTHER_LABEL}",
                    question=question,
                    part=("other",),
                    width=24,
                )
            )
        return columns
    if kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
        columns = [MatrixColumn(key=key, header=head, question=question, width=20)]
        if kind == QuestionKind.SINGLE and question.allow_other:
            columns.append(
                MatrixColumn(
                    key=f"{key}:other",
                    header=f"{question.code} {OTHER_LABEL}（内容）",
                    question=question,
                    part=("other",),
                    width=24,
                )
            )
        return columns
    if kind == QuestionKind.TABLE:
        cell_kind = CellKind.NUMBER if question.table_numeric else CellKind.TEXT
        return [
            MatrixColumn(
                key=f"{key}:r{ri}c{ci}",
                header=f"{question.code} {row}／{column}",
                kind=cell_kind,
                question=question,
                part=("cell", str(row), str(column)),
                width=12 if question.table_numeric else 20,
            )
            for ri, row in enumerate(question.table_rows or [])
            for ci, column in enumerate(question.table_columns or [])
        ]
    if kind == QuestionKind.NUMBER:
        unit = f"（{question.unit}）" if question.unit else ""
        return [
            MatrixColumn(
                key=key, header=f"{head}{unit}", kind=CellKind.NUMBER, question=question, width=12
            )
        ]
    if kind == QuestionKind.DATE:
        return [MatrixColumn(key=key, header=head, kind=CellKind.DATE, question=question, width=17)]
    width = 40 if kind == QuestionKind.LONG_TEXT else 24
    return [MatrixColumn(key=key, header=head, question=question, width=width)]


def organization_columns(*, hide_names: bool) -> list[MatrixColumn]:
    """Return the leading columns that describe the organization."""
    columns = [
        MatrixColumn(key="code", header="団体コード", part=("code",), width=10),
        MatrixColumn(key="prefecture", header="都道府県", part=("prefecture",), width=10),
        MatrixColumn(key="name", header="団体名", part=("name",), width=18),
        MatrixColumn(key="kind", header="種別", part=("kind",), width=10),
        MatrixColumn(key="answer_kind", header="回答区分", part=("answer_kind",), width=10),
    ]
    if hide_names:
        # The code identifies the organization as surely as its name.
        columns = columns[1:]
    return columns


CellReader = Callable[[dict[str, Any]], list[Any]]


def _number_cell(value: Any) -> Any:
    number = number_value(value)
    return number if number is not None else (_text(value) or None)


def cell_reader(question: Question, columns: list[MatrixColumn]) -> CellReader:
    """Return a function giving one organization's cells for a question's columns.

    The question's kind, keys and columns are looked at once here, not once per
    organization: the matrix of a large inquiry reads a hundred thousand values.
    """
    kind = question.kind
    key = str(question.pk)
    other_key = f"{key}_other"

    def choices(data: dict[str, Any]) -> tuple[list[str], str]:
        return choice_values(question, data.get(key), data.get(other_key))

    if kind == QuestionKind.MULTIPLE:
        parts = [c.part for c in columns]

        def multiple(data: dict[str, Any]) -> list[Any]:
            chosen, other = choices(data)
            return [
                (other or (OTHER_LABEL if OTHER_LABEL in chosen else None))
                if part[0] == "other"
                else (1 if part[1] in chosen else None)
                for part in parts
            ]

        return multiple
    if kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
        with_other = len(columns) > 1

        def single(data: dict[str, Any]) -> list[Any]:
            chosen, other = choices(data)
            if with_other:
                return ["、".join(chosen) or None, other or None]
            return ["、".join(chosen) or None]

        return single
    if kind == QuestionKind.TABLE:
        cells = [(c.part[1], c.part[2]) for c in columns]
        read = _number_cell if question.table_numeric else (lambda v: _text(v) or None)

        def table(data: dict[str, Any]) -> list[Any]:
            value = data.get(key)
            if not isinstance(value, dict):
                return [None] * len(cells)
            return [read(table_value(value, row, column)) for row, column in cells]

        return table
    if kind == QuestionKind.NUMBER:
        return lambda data: [_number_cell(data.get(key))]
    if kind == QuestionKind.DATE:
        return lambda data: [date_value(data.get(key)) or (_text(data.get(key)) or None)]
    if kind == QuestionKind.FILE:
        return lambda data: [file_names(data.get(key)) or None]
    return lambda data: [_text(data.get(key)) or None]


def organization_cell(respondent: Respondent, column: MatrixColumn) -> Any:
    """Return the value of one of the leading organization columns for a respondent."""
    part = column.part[0]
    if part == "code":
        return respondent.code or None
    if part == "prefecture":
        return respondent.prefecture if respondent.prefecture_code else None
    if part == "name":
        return respondent.name
    if part == "kind":
        return respondent.kind_label
    return respondent.answer_kind_label


def matrix_respondents(
    data: CompilationData, *, prefecture_code: str = "", kind: str = ""
) -> list[Respondent]:
    """Return the matrix's respondents in order, optionally of one prefecture or kind."""
    return [
        r
        for r in data.respondents
        if (not prefecture_code or r.prefecture_code == prefecture_code)
        and (not kind or r.kind == kind)
    ]


def compilation_matrix(
    data: CompilationData,
    *,
    prefecture_code: str = "",
    kind: str = "",
    respondents: Sequence[Respondent] | None = None,
) -> Matrix:
    """Return the matrix of answers, optionally for one prefecture or organization kind.

    `respondents` (already filtered, e.g. one page of them) replaces the filters.
    """
    fixed = organization_columns(hide_names=data.hide_names)
    per_question = [(q, question_columns(q)) for q in data.questions]
    columns = fixed + [c for _, cols in per_question for c in cols]
    if respondents is None:
        respondents = matrix_respondents(data, prefecture_code=prefecture_code, kind=kind)
    readers = [(q.pk, [None] * len(cols), cell_reader(q, cols)) for q, cols in per_question]
    rows = []
    for respondent in respondents:
        cells = [organization_cell(respondent, c) for c in fixed]
        shown = respondent.shown if respondent.answered else frozenset()
        values = respondent.data
        for pk, blank, read in readers:
            cells.extend(read(values) if pk in shown else blank)
        rows.append(MatrixRow(respondent=respondent, cells=cells))
    return Matrix(
        columns=columns, rows=rows, hide_names=data.hide_names, total_rows=len(data.respondents)
    )


def matrix_filter_options(
    data: CompilationData,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return the prefectures and kinds present among respondents, for the filter form."""
    prefectures = sorted({r.prefecture_code for r in data.respondents if r.prefecture_code})
    kinds = {r.kind for r in data.respondents}
    return (
        [(code, prefecture_name(code)) for code in prefectures],
        [(value, label) for value, label in OrganizationKind.choices if value in kinds],
    )


# --- Comparison ----------------------------------------------------------------------------


def _normalized(text: str) -> str:
    return " ".join((text or "").split())


@dataclass(frozen=True)
class ComparedOption:
    """One option's share in both inquiries."""

    label: str
    base: Share | None
    other: Share | None


@dataclass(frozen=True)
class ComparedQuestion:
    """The same question compiled in two inquiries."""

    base: QuestionSummary
    other: QuestionSummary
    base_title: str = ""
    other_title: str = ""

    @property
    def pairs(self) -> list[tuple[str, QuestionSummary]]:
        """Return (inquiry title, summary) for both inquiries, base first."""
        return [(self.base_title, self.base), (self.other_title, self.other)]

    @property
    def options(self) -> list[ComparedOption]:
        """Return the union of both inquiries' options, in the base inquiry's order first."""
        base = {o.label: o.share for o in self.base.options}
        other = {o.label: o.share for o in self.other.options}
        labels = list(base) + [label for label in other if label not in base]
        return [ComparedOption(label, base.get(label), other.get(label)) for label in labels]


@dataclass(frozen=True)
class Comparison:
    """Two inquiries' results for the questions they share."""

    base: Inquiry
    other: Inquiry
    matched: list[ComparedQuestion]
    unmatched_base: list[Question]
    unmatched_other: list[Question]


def inquiry_comparison(*, base: Inquiry, other: Inquiry) -> Comparison:
    """Compare two inquiries' results for questions with the same code, kind and text.

    Only aggregates are compared, so organizations' names never appear and the
    viewer's name hiding need not apply.
    """
    base_data = compilation_data(inquiry=base, hide_names=True)
    other_data = compilation_data(inquiry=other, hide_names=True)
    other_by_key = {(q.code, q.kind, _normalized(q.text)): q for q in other_data.questions}
    matched, unmatched_base, used = [], [], set()
    for question in base_data.questions:
        twin = other_by_key.get((question.code, question.kind, _normalized(question.text)))
        if twin is None:
            unmatched_base.append(question)
            continue
        used.add(twin.pk)
        matched.append(
            ComparedQuestion(
                base=question_summary(base_data, question),
                other=question_summary(other_data, twin),
                base_title=base.title,
                other_title=other.title,
            )
        )
    return Comparison(
        base=base,
        other=other,
        matched=matched,
        unmatched_base=unmatched_base,
        unmatched_other=[q for q in other_data.questions if q.pk not in used],
    )
