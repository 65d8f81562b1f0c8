"""Keep spreadsheet programs from running what users typed (CSV/Excel formula injection)."""

import unicodedata
from typing import Any

# A cell starting with one of these is read as a formula by Excel and LibreOffice. The
# full-width forms are included because Japanese Excel turns 「＝」 typed by an IME into a
# formula, and a later clean-up (encoding to Shift_JIS, a user's 全角→半角 macro) may fold them.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

# Leading characters an encoder, an import dialog or a spreadsheet may drop or skip before
# reading the first visible character: format characters (zero-width space, BOM, bidi marks),
# controls and spaces.
_SKIPPED_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})


def looks_like_formula(text: str) -> bool:
    """Tell whether a spreadsheet could read the text as a formula, invisible lead-in skipped."""
    for char in text:
        if char in FORMULA_PREFIXES:
            return True
        if char.isspace() or unicodedata.category(char) in _SKIPPED_CATEGORIES:
            continue
        return False
    return False


def neutralize(value: Any) -> Any:
    """Return the value, prefixed with a quote when text could be read as a formula.

    Call it on the final text of a cell, after every other transformation (encoding
    clean-ups drop zero-width spaces and fold dashes), so nothing can expose a formula later.
    """
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    if not isinstance(value, str | int | float) and value is not None:
        return neutralize(str(value))
    return value
