"""The results bar chart of a poll, drawn with the core SVG bar chart."""

from django.utils.safestring import SafeString

from renkei.core.charts import Bar, bar_chart
from renkei.polls.selectors import PollResults


def results_chart(results: PollResults) -> SafeString:
    """Return the poll's results as an accessible SVG bar chart, one bar per choice."""
    bars = [
        Bar(
            label=row.choice.text,
            count=row.count,
            total=results.total,
            text=f"{row.count_text}（{row.percent_text}）",
        )
        for row in results.rows
    ]
    description = f"回答{results.total_text}。" + "、".join(
        f"{row.choice.text} {row.summary}" for row in results.rows
    )
    return bar_chart(
        chart_id=f"poll-chart-{results.poll.pk}",
        title=f"「{results.poll.question}」の調査結果",
        description=description,
        bars=bars,
    )
