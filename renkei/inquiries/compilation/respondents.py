"""Who submitted an answer, in matrix order, labelled when names are hidden."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

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


def submitter_rows(*, inquiry: Inquiry, hide_names: bool) -> list[tuple]:
    """Return the organizations that submitted as plain rows, in matrix order.

    A page of the matrix needs every organization (for its order, filters and count) but
    a Respondent, and the submitted version, of only its own rows: `submitter_respondent`
    and `answers_load` make those. The row's fields are _ANSWER_FIELDS.
    """
    # An answer has a submitted version exactly when it has a submission time: submitting sets
    # both in one transaction and nothing clears it (permissions.py reads it the same way).
    # Reading the answers alone spares a join over every inquiry's versions.
    rows = list(
        Answer.objects.filter(inquiry=inquiry, submitted_at__isnull=False)
        .order_by()
        .values_list(*_ANSWER_FIELDS)
    )
    # The order and labels of submitted_respondents.
    if hide_names:
        rows.sort(key=lambda row: _hidden_order_key(inquiry.pk, row[1]))
    else:
        rows.sort(key=lambda row: (not row[2], row[2] or "", row[4] or "", row[3], row[1]))
    return rows


def submitter_prefecture_and_kind(row: tuple) -> tuple[str, str]:
    """Return a submitter row's prefecture code ("" without one) and organization kind."""
    return row[6] or "", row[5]


def submitter_respondent(row: tuple, *, index: int, hide_names: bool) -> Respondent:
    """Return the Respondent, without answers, of the index-th row of submitter_rows."""
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

    With names hidden the JIS order would give identities away (団体A would be the
    northernmost), so hidden labels follow a keyed hash of the organization instead.
    """
    # Unordered: the rows are put in matrix order here, and sorting them in SQL sorted every
    # answer's JSON along (SQLite built a temporary B-tree of them).
    versions = latest_submitted_versions(inquiry=inquiry).order_by()
    rows = list(versions.values_list(*_VERSION_FIELDS, "data"))
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


def latest_submitted_versions(*, inquiry: Inquiry) -> QuerySet[AnswerVersion]:
    """Return each organization's latest submitted version, without joined instances.

    What counts as an answer is the selectors' rule (a correction being drafted does not
    replace the submitted version); callers here read only the fields they name.
    """
    return answer_selectors.latest_submitted_versions(inquiry).select_related(None)
