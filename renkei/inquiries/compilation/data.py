"""An inquiry's questions and submitted answers, loaded once for every view of them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from renkei.core.question_kinds import DisplayConditions
from renkei.inquiries.compilation.respondents import (
    Respondent,
    latest_submitted_versions,
    submitted_respondents,
)
from renkei.inquiries.models import (
    Inquiry,
    Question,
)


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


def compilation_data(*, inquiry: Inquiry, hide_names: bool = False) -> CompilationData:
    """Load an inquiry's questions and submitted answers in a constant number of queries."""
    questions = inquiry_questions(inquiry=inquiry)
    respondents = submitted_respondents(inquiry=inquiry, hide_names=hide_names)
    _shown_set(questions, respondents)
    return CompilationData(
        inquiry=inquiry,
        questions=questions,
        respondents=respondents,
        hide_names=hide_names,
    )


def inquiry_questions(*, inquiry: Inquiry) -> list[Question]:
    """Return an inquiry's questions in the order members see them."""
    return list(Question.objects.filter(inquiry=inquiry).order_by("position", "id"))


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
    """Read the submitted answers of respondents made without them (a page of the matrix).

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
