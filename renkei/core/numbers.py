"""Numbers shown the way councils report them: one percent format for every page."""

from decimal import ROUND_HALF_UP, Decimal


def format_percent(count: int, total: int) -> str:
    """Return count/total as a percentage with one decimal, rounded half up ("36.8%").

    Every page and chart shows shares this way (「19団体中7団体（36.8%）」), so a progress bar
    and a compiled table never disagree on the same count; "－" when nobody was asked.
    """
    if total <= 0:
        return "－"
    value = (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{value}%"
