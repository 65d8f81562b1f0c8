"""Who submitted an answer, in matrix order, labelled when names are hidden."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import NullIf

from renkei.directory.models import Organization, OrganizationKind
from renkei.directory.prefectures import PREFECTURES
from renkei.inquiries.models import (
    Answer,
    AnswerKind,
    AnswerVersion,
    Inquiry,
)
from renkei.inquiries.selectors import answers as answer_selectors

NO_PREFECTURE = "（都道府県なし）"


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


def matrix_order(*, hide_names: bool) -> list[Any]:
    """Return the order_by() of an inquiry's answers in the matrix, the page's and the export's.

    With names shown: by JIS code, organizations without one (NULL or "") last by reading,
    then name, as organization_sort_key orders them. With names hidden: by the stored keyed
    digest (Answer.hidden_order), which gives no identity away. The organization's id breaks
    ties, so that every page of the order is the same whatever the filter.
    """
    if hide_names:
        return ["hidden_order", "organization_id"]
    return [
        NullIf("organization__code", Value("")).asc(nulls_last=True),
        "organization__kana",
        "organization__name",
        "organization_id",
    ]


def _submitted(inquiry: Inquiry) -> QuerySet[Answer]:
    """Return the inquiry's answers that were submitted, unordered."""
    # An answer has a submitted version exactly when it has a submission time: submitting sets
    # both in one transaction and nothing clears it (permissions.py reads it the same way).
    # Reading the answers alone spares a join over every inquiry's versions.
    return Answer.objects.filter(inquiry=inquiry, submitted_at__isnull=False).order_by()


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
    "answer__hidden_order",
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


def submitter_rows(*, inquiry: Inquiry, hide_names: bool) -> QuerySet[Answer, tuple]:
    """Return a query of the organizations that submitted, as plain rows in matrix order.

    The database filters, counts and pages it (compilation.matrix.matrix_page), so a page
    reads its own rows only; `submitter_respondent` makes their Respondents and
    `answers_load` their answers. The row's fields are _ANSWER_FIELDS.
    """
    return (
        _submitted(inquiry)
        .order_by(*matrix_order(hide_names=hide_names))
        .values_list(*_ANSWER_FIELDS)
    )


def hidden_positions(*, inquiry: Inquiry, answer_ids: list[int]) -> dict[int, int]:
    """Return each answer's index among all the inquiry's submitters in the hidden order.

    The index is the number of the hidden label (団体A is 0): counted over every submitter,
    not the filtered ones, so that a label is the same on every page and with every filter.
    The count of answers ordered before each one mirrors matrix_order(hide_names=True); the
    index on (inquiry, hidden_order, organization) finds them.
    """
    before = (
        _submitted(inquiry)
        .filter(
            Q(hidden_order__lt=OuterRef("hidden_order"))
            | Q(
                hidden_order=OuterRef("hidden_order"),
                organization_id__lt=OuterRef("organization_id"),
            )
        )
        .annotate(count=Func(F("pk"), function="COUNT"))
        .values("count")
    )
    return dict(
        Answer.objects.filter(pk__in=answer_ids)
        .annotate(position=Subquery(before))
        .values_list("pk", "position")
    )


def submitter_respondent(row: tuple, *, index: int, hide_names: bool) -> Respondent:
    """Return the Respondent, without answers, of a submitter_rows row labelled `index`."""
    return Respondent(
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


def submitted_respondents(*, inquiry: Inquiry, hide_names: bool) -> list[Respondent]:
    """Return the organizations that submitted, in matrix order, labelled when hidden.

    The order is matrix_order's, applied here: sorting in SQL sorted every answer's JSON
    along (SQLite built a temporary B-tree of them), so the rows are read unordered and
    sorted by the same keys, the stored hidden_order with names hidden. Labels number the
    rows in that order, as the matrix page's hidden_positions does.
    """
    versions = latest_submitted_versions(inquiry=inquiry).order_by()
    rows = list(versions.values_list(*_VERSION_FIELDS, "data"))
    if hide_names:
        rows.sort(key=lambda row: (row[9], row[3]))
    else:
        rows.sort(key=lambda row: (not row[4], row[4] or "", row[6] or "", row[5], row[3]))
    respondents = []
    for index, row in enumerate(rows):
        data = row[10]
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


def latest_submitted_versions(*, inquiry: Inquiry) -> QuerySet[AnswerVersion]:
    """Return each organization's latest submitted version, without joined instances.

    What counts as an answer is the selectors' rule (a correction being drafted does not
    replace the submitted version); callers here read only the fields they name.
    """
    return answer_selectors.latest_submitted_versions(inquiry).select_related(None)
