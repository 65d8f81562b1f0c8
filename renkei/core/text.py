"""Japanese text helpers for input cleaning and search."""

import re
import unicodedata

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# Half-width katakana, including the half-width sound marks and punctuation (｡ to ﾟ).
_HALFWIDTH_KATAKANA_RE = re.compile(r"[\uff61-\uff9f]+")
# Hiragana ぁ-ゖ and the iteration marks ゝゞ sit exactly 0x60 below their katakana.
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in (*range(0x3041, 0x3097), 0x309D, 0x309E)}


def to_halfwidth_digits(text: str) -> str:
    """Turn full-width digits (０-９) into ASCII digits and leave everything else alone."""
    return text.translate(_FULLWIDTH_DIGITS)


def katakana_from_halfwidth(text: str) -> str:
    """Turn half-width katakana (ﾌｶｶﾞﾜ) into full-width (フカガワ), joining sound marks."""
    # NFKC only on the katakana runs, so full-width letters elsewhere keep their width.
    return _HALFWIDTH_KATAKANA_RE.sub(lambda match: unicodedata.normalize("NFKC", match[0]), text)


def hiragana_to_katakana(text: str) -> str:
    """Turn hiragana into katakana: ふかがわし → フカガワシ."""
    return text.translate(_HIRAGANA_TO_KATAKANA)


def normalize_for_search(text: str) -> str:
    """Fold width, kana and case and drop spaces, so ﾌｶｶﾞﾜｼ, ふかがわし and フカガワシ match."""
    text = unicodedata.normalize("NFKC", text)
    text = hiragana_to_katakana(text).lower()
    return "".join(text.split())
