"""Template filters for looking things up in mappings."""

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Mapping[Any, Any] | None, key: Any) -> Any:
    """Return mapping[key], or "" when the mapping or key is missing."""
    if not mapping:
        return ""
    return mapping.get(key, "")
