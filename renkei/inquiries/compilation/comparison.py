"""Comparing two inquiries question by question (the same question asked again)."""

from __future__ import annotations

from dataclasses import dataclass

from renkei.core.question_kinds import QuestionSummary
from renkei.core.question_kinds.results import Share
from renkei.inquiries.compilation.data import compilation_data
from renkei.inquiries.compilation.summaries import question_summary
from renkei.inquiries.models import (
    Inquiry,
    Question,
)


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
