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


# Kanji that people write interchangeably in names and place names, each folded to the form
# most often typed: an IME offers 斉藤 first, the register says 齋藤; both must find the person.
_KANJI_VARIANTS = str.maketrans(
    {
        "檜": "桧",
        "斎": "斉",
        "齋": "斉",
        "齊": "斉",
        "邊": "辺",
        "邉": "辺",
        "﨑": "崎",
        "嵜": "崎",
        "髙": "高",
        "龍": "竜",
        "濱": "浜",
        "濵": "浜",
        "嶋": "島",
        "嶌": "島",
        "澤": "沢",
        "廣": "広",
        "國": "国",
        "眞": "真",
        "冨": "富",
    }
)
# The small ケ of place names (竜ケ崎, 霞ヶ関, 関が原) is written ケ, ヶ, ヵ, が or ガ; only between
# two kanji, so kana readings (フカガワ) keep their ガ.
_KANJI = r"[\u3005\u3400-\u9fff\uf900-\ufaff]"
_PLACE_KE_RE = re.compile(rf"(?<={_KANJI})[ケヶヵガ](?={_KANJI})")


def fold_for_search(text: str) -> str:
    """Fold width, kana, case, spaces and variant kanji, so typed names find stored ones.

    The one folding used for organization and people search alike: 「ﾘｭｳｶﾞｻｷ」 and
    「りゅうがさき」 fold to 「リュウガサキ」, 「龍ヶ崎」 and 「竜が崎」 to 「竜ケ崎」, 「渡邊」 to 「渡辺」.
    Applied to the stored text (Person.name_folded, Organization.name_folded) and to the query.
    """
    text = normalize_for_search(text).translate(_KANJI_VARIANTS)
    text = _PLACE_KE_RE.sub("ケ", text)
    # Dropping spaces can join a combining mark to a letter (「A ́」), so compose once more.
    return normalize_for_search(text)


def name_search_key(*parts: str) -> str:
    """Return a stored search key matching each part with and without spaces, in either order.

    「小林 隆」 gives 「小林隆 隆小林」, so 「小林隆」, 「小林　隆」 and 「隆 小林」 all find it;
    the key's own space never matches, as folded search terms have none.
    """
    keys: list[str] = []
    for part in parts:
        words = [fold_for_search(word) for word in part.split()]
        words = [word for word in words if word]
        for key in ("".join(words), "".join(reversed(words))):
            if key and key not in keys:
                keys.append(key)
    return " ".join(keys)
