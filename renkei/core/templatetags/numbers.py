"""Template filters that show numbers the way councils report them.

Registered as a template builtin, so templates use them without {% load %}.
"""

from typing import Any

from django import template

from renkei.core.numbers import format_percent

register = template.Library()


@register.filter
def percent(count: Any, total: Any) -> str:
    """Show count out of total as 「36.8%」 (「－」 when the total is zero)."""
    try:
        return format_percent(int(count or 0), int(total or 0))
    except (TypeError, ValueError):
        return ""
