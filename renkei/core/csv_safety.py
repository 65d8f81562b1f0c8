"""Keep spreadsheet programs from running what users typed (CSV/Excel formula injection)."""

from typing import Any

# A cell starting with one of these is read as a formula by Excel and LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: Any) -> Any:
    """Return the value, prefixed with a quote when text would be read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if not isinstance(value, str | int | float) and value is not None:
        return neutralize(str(value))
    return value
