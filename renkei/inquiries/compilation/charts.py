"""The bar chart of a choice question's options, drawn with the core SVG bar chart."""

from django.utils.safestring import SafeString, mark_safe

from renkei.core.charts import Bar, bar_chart
from renkei.core.question_kinds import QuestionSummary


def summary_chart(summary: QuestionSummary) -> SafeString:
    """Return the bar chart of a choice question's options (empty for other kinds)."""
    if not summary.is_choice or not summary.options:
        return mark_safe("")
    question = summary.question
    bars = [
        Bar(
            label=option.label,
            count=option.share.count,
            total=option.share.total,
            text=f"{option.share.count:,}団体（{option.share.percent_text}）",
            muted=option.is_other or option.unlisted,
        )
        for option in summary.options
    ]
    description = f"回答対象{summary.asked:,}団体。" + "、".join(
        f"{option.label} {option.share.label}" for option in summary.options
    )
    return bar_chart(
        chart_id=f"chart-q{question.pk}",
        title=f"{question.code} {question.text}",
        description=description,
        bars=bars,
    )
