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


def compilation_data(
    *, inquiry: Inquiry, hide_names: bool = False, with_answers: bool = True
) -> CompilationData:
    """Load an inquiry's questions and submitted answers in a constant number of queries.

    Without answers, only who answered is loaded (for a page of the matrix, whose rows'
    answers `answers_load` reads afterwards): reading every answer's JSON is most of the
    cost of compiling a large inquiry.
    """
    questions = list(Question.objects.filter(inquiry=inquiry).order_by("position", "id"))
    respondents = submitted_respondents(
        inquiry=inquiry, hide_names=hide_names, with_answers=with_answers
    )
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
