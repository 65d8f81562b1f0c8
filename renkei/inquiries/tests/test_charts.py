"""The bar charts of choice questions on the summary page."""

import xml.etree.ElementTree as ET

from renkei.inquiries.compilation.charts import summary_chart
from renkei.inquiries.compilation.data import compilation_data
from renkei.inquiries.compilation.summaries import question_summary
from renkei.inquiries.models import QuestionKind
from renkei.inquiries.tests.builders import (
    add_question,
    make_inquiry,
    make_towns,
    submit_answer,
)

SVG = "{http://www.w3.org/2000/svg}"


def test_summary_chart_draws_one_bar_per_option(council):
    inquiry = make_inquiry(council)
    question = add_question(inquiry, code="Q1", kind=QuestionKind.YES_NO)
    for town, value in zip(make_towns(3), ["はい", "はい", "いいえ"], strict=True):
        submit_answer(inquiry, town, {str(question.pk): value})

    svg = summary_chart(question_summary(compilation_data(inquiry=inquiry), question))

    root = ET.fromstring(svg)
    assert [g.find(f"{SVG}title").text for g in root.findall(f"{SVG}g")] == [
        "はい: 2団体（66.7%）",
        "いいえ: 1団体（33.3%）",
    ]
    assert "3団体中2団体（66.7%）" in root.find(f"{SVG}desc").text


def test_summary_chart_is_empty_for_questions_without_options(council):
    inquiry = make_inquiry(council)
    question = add_question(inquiry, code="Q1", kind=QuestionKind.NUMBER)

    assert summary_chart(question_summary(compilation_data(inquiry=inquiry), question)) == ""
