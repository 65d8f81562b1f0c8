"""Per-question summaries over the organizations that were asked each question."""

from __future__ import annotations

from renkei.core.question_kinds import (
    QuestionSummary,
    question_summary_of,
)
from renkei.inquiries.compilation.data import CompilationData
from renkei.inquiries.models import Question


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
