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
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet

from renkei.core.question_kinds import (
    DisplayConditions,
    QuestionSummary,
    kind_of,
    option_labels,
    question_summary_of,
    shown_question_ids,
)
from renkei.core.question_kinds.kinds import CellReader
from renkei.core.question_kinds.results import (
    CellKind,
    DateRange,
    Entry,
    MatrixColumn,
    NumberStats,
    OptionCount,
    Share,
    TableCellTotal,
    TableSummary,
    format_number,
)
from renkei.core.question_kinds.values import (
    choice_values,
    date_value,
    file_names,
    number_value,
    table_value,
)
from renkei.directory.models import Organization, OrganizationKind
from renkei.directory.prefectures import PREFECTURES
from renkei.directory.selectors import notification_recipients
from renkei.inquiries import selectors
from renkei.inquiries.models import (
    Answer,
    AnswerKind,
    AnswerStatus,
    AnswerVersion,
    Inquiry,
    Question,
    Target,
)

# What each question kind's answers are lives in question_kinds; these are re-exported for
# the pages and exports that read compiled results from here.
__all__ = [
    "CellKind",
    "DateRange",
    "Entry",
    "MatrixColumn",
    "NumberStats",
    "OptionCount",
    "QuestionSummary",
    "Share",
    "TableCellTotal",
    "TableSummary",
    "choice_values",
    "date_value",
    "file_names",
    "format_number",
    "number_value",
    "option_labels",
    "shown_question_ids",
    "table_value",
]

NO_PREFECTURE = "（都道府県なし）"


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
    answer_id: int = 0

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


# Who submitted, without their versions: the answers that have one, and their organizations.
_ANSWER_FIELDS = (
    "id",
    "organization_id",
    "organization__code",
    "organization__name",
    "organization__kana",
    "organization__kind",
    "organization__prefecture_code",
)


def _submitters(*, inquiry: Inquiry, hide_names: bool) -> list[Respondent]:
    """Return the organizations that submitted, in matrix order, without their answers.

    A page of the matrix needs every organization (for its order, filters and count) but
    the submitted version of only its own rows: answers_load reads those. Finding each
    organization's latest version, and reading when it was submitted, is left to them.
    """
    submitted = AnswerVersion.objects.filter(answer=OuterRef("pk"))
    rows = list(
        Answer.objects.filter(inquiry=inquiry)
        .filter(Exists(submitted))
        .order_by()
        .values_list(*_ANSWER_FIELDS)
    )
    # The order and labels of _respondents.
    if hide_names:
        rows.sort(key=lambda row: _hidden_order_key(inquiry.pk, row[1]))
    else:
        rows.sort(key=lambda row: (not row[2], row[2] or "", row[4] or "", row[3], row[1]))
    return [
        Respondent(
            organization_id=row[1],
            code="" if hide_names else (row[2] or ""),
            name=anonymous_label(index) if hide_names else row[3],
            prefecture_code=row[6] or "",
            kind=row[5],
            answer_kind="",
            data={},
            submitted_at=None,
            hidden=hide_names,
            answer_id=row[0],
        )
        for index, row in enumerate(rows)
    ]


def _respondents(*, inquiry: Inquiry, hide_names: bool, with_answers: bool) -> list[Respondent]:
    """Return the organizations that submitted, in matrix order, labelled when hidden.

    With names hidden the JIS order would give identities away (団体A would be the
    northernmost), so hidden labels follow a keyed hash of the organization instead.
    """
    if not with_answers:
        return _submitters(inquiry=inquiry, hide_names=hide_names)
    rows = list(latest_submitted_versions(inquiry=inquiry).values_list(*_VERSION_FIELDS, "data"))
    if hide_names:
        rows.sort(key=lambda row: _hidden_order_key(inquiry.pk, row[3]))
    else:
        # Organizations without a code last, as organization_sort_key orders them.
        rows.sort(key=lambda row: (not row[4], row[4] or "", row[6] or "", row[5], row[3]))
    respondents = []
    for index, row in enumerate(rows):
        data = row[9]
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
    """Set each answering respondent's shown questions (the registry's DisplayConditions).

    The conditions are prepared once, not once per organization, and respondents who were
    shown the same questions share one set: without display conditions, that is everyone.
    """
    everything = frozenset(q.pk for q in questions)
    conditions = DisplayConditions(questions)
    shared: dict[tuple[int, ...], frozenset[int]] = {(): everything}
    for respondent in respondents:
        if not respondent.answered:
            continue
        if not conditions.rules:
            respondent.shown = everything
            continue
        key = conditions.hidden(respondent.data)
        shown = shared.get(key)
        if shown is None:
            shown = shared[key] = everything.difference(key)
        respondent.shown = shown


def answers_load(data: CompilationData, respondents: Sequence[Respondent]) -> None:
    """Read the submitted answers of some respondents of data loaded without answers.

    One query: each one's latest submitted version, its kind and its values.
    """
    versions = {
        row[0]: row[1:]
        for row in latest_submitted_versions(inquiry=data.inquiry)
        .filter(answer_id__in=[r.answer_id for r in respondents])
        .order_by()
        .values_list("answer_id", "id", "kind", "submitted_at", "data")
    }
    for respondent in respondents:
        version_id, kind, submitted_at, value = versions[respondent.answer_id]
        respondent.version_id = version_id
        respondent.answer_kind = kind
        respondent.submitted_at = submitted_at
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


def question_summary(data: CompilationData, question: Question) -> QuestionSummary:
    """Compile one question over the organizations that were asked it."""
    return question_summary_of(question, data.asked(question))


def question_summaries(data: CompilationData) -> list[QuestionSummary]:
    """Compile every question of the inquiry, in question order."""
    answering = data.answering
    if answering and all(r.shown is answering[0].shown for r in answering):
        # Everyone was shown the same questions (always so without display conditions):
        # each question was asked of all or none of them.
        shown = answering[0].shown
        return [question_summary_of(q, answering if q.pk in shown else []) for q in data.questions]
    return [question_summary_of(q, data.asked(q)) for q in data.questions]


# --- The matrix -------------------------------------------------------------------------------


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


def question_columns(question: Question) -> list[MatrixColumn]:
    """Return the matrix columns of one question."""
    return kind_of(question).columns(question)


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


def cell_reader(question: Question, columns: list[MatrixColumn]) -> CellReader:
    """Return a function giving one organization's cells for a question's columns."""
    return kind_of(question).cell_reader(question, columns)


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
