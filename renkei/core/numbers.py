"""Numbers shown the way councils report them: one number, percent and share format for every page."""

from decimal import ROUND_HALF_UP, Decimal


def format_number(value: float | int | Decimal | None, *, places: int = 2) -> str:
    """Return a number with thousands separators and no needless trailing zeros."""
    if value is None:
        return "－"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return f"{int(rounded):,}"
    return f"{rounded:,.{places}f}".rstrip("0").rstrip(".")


def format_percent(count: int, total: int) -> str:
    """Return count/total as a percentage with one decimal, rounded half up ("36.8%").

    Every page and chart shows shares this way (「19団体中7団体（36.8%）」), so a progress bar
    and a compiled table never disagree on the same count; "－" when nobody was asked.
    """
    if total <= 0:
        return "－"
    value = (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{value}%"


def format_share(count: int, total: int, *, unit: str = "団体") -> str:
    """Return a count out of a total the way reports write it: 「19団体中7団体（36.8%）」.

    The unit is what is counted (団体 for organizations, 票 for ballots); a zero total reads
    「0団体中0団体（－）」.
    """
    if total <= 0:
        return f"0{unit}中{count:,}{unit}（－）"
    return f"{total:,}{unit}中{count:,}{unit}（{format_percent(count, total)}）"
