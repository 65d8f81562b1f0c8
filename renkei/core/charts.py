"""Horizontal bar charts of shares (choices, poll results), drawn as inline SVG on the server.

No JavaScript and no external files, so the charts work inside closed government
networks and print as they look. Each chart carries role="img" with a <title> and <desc>
for screen readers; the page shows the same numbers in a table next to it.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_WIDTH = 200
VALUE_WIDTH = 150
BAR_HEIGHT = 20
ROW_HEIGHT = 30
PADDING = 8
FONT_SIZE = 13
# Full-width characters are about one font size wide; longer labels are cut with "…"
# (the full text stays in each bar's <title> and in the table beside the chart).
LABEL_CHARS = LABEL_WIDTH // FONT_SIZE - 1
BAR_COLOR = "#0b4f8a"
OTHER_COLOR = "#5b7fa3"
TRACK_COLOR = "#f3f5f7"
INK = "#1a1a1a"


@dataclass(frozen=True)
class Bar:
    """One bar: a label, a count out of a total, and the text written after the bar."""

    label: str
    count: int
    total: int
    text: str
    muted: bool = False

    @property
    def fraction(self) -> float:
        """Return the bar's length as a fraction of the full width."""
        return min(1.0, self.count / self.total) if self.total else 0.0


def _cut(label: str) -> str:
    """Return the label shortened to fit the label column."""
    width = 0.0
    for index, char in enumerate(label):
        width += 0.55 if char.isascii() else 1.0
        if width > LABEL_CHARS:
            return label[:index] + "…"
    return label


def bar_chart(*, chart_id: str, title: str, description: str, bars: Sequence[Bar]) -> SafeString:
    """Return an SVG horizontal bar chart; every text in it is escaped."""
    height = PADDING * 2 + ROW_HEIGHT * max(1, len(bars))
    track = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'style="max-width:100%;height:auto" '
        # Set once here and inherited by every text: the summary page of a 60-question
        # inquiry carries some 30 charts, and these repeated per text cost ~20 KB of HTML.
        f'font-size="{FONT_SIZE}" fill="{INK}" dominant-baseline="middle" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    for index, bar in enumerate(bars):
        top = PADDING + index * ROW_HEIGHT
        middle = top + BAR_HEIGHT / 2
        length = round(track * bar.fraction, 1)
        color = OTHER_COLOR if bar.muted else BAR_COLOR
        parts.append(
            f"<g><title>{escape(bar.label)}: {escape(bar.text)}</title>"
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end">'
            f"{escape(_cut(bar.label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{top}" width="{track}" height="{BAR_HEIGHT}" '
            f'fill="{TRACK_COLOR}"/>'
            f'<rect x="{LABEL_WIDTH}" y="{top}" width="{length}" height="{BAR_HEIGHT}" '
            f'fill="{color}"/>'
            f'<text x="{LABEL_WIDTH + track + 6}" y="{middle}">{escape(bar.text)}</text></g>'
        )
    parts.append("</svg>")
    # Safe because every piece of text above went through escape().
    return mark_safe("".join(parts))
