"""Japanese era (和暦) dates: formatting, parsing and the per-request display style."""

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

WEEKDAYS = "月火水木金土日"

DATE_STYLES = ("wareki", "western")

# Set per request from the user's preference; everything that shows a date reads it.
date_style: ContextVar[str] = ContextVar("date_style", default="wareki")


class WarekiParseError(ValueError):
    """Typed text that is not a date; the message is Japanese and shown to the user."""


@dataclass(frozen=True)
class Era:
    """One era, with its first and last day."""

    name: str
    letter: str
    start: date
    end: date | None  # last day; None for the current era


ERAS: tuple[Era, ...] = (
    Era("明治", "M", date(1868, 10, 23), date(1912, 7, 29)),
    Era("大正", "T", date(1912, 7, 30), date(1926, 12, 24)),
    Era("昭和", "S", date(1926, 12, 25), date(1989, 1, 7)),
    Era("平成", "H", date(1989, 1, 8), date(2019, 4, 30)),
    Era("令和", "R", date(2019, 5, 1), None),
)

_ERA_BY_KEY = {era.name: era for era in ERAS} | {era.letter: era for era in ERAS}


def era_named(key: str) -> Era:
    """Return the era written as its name (「平成」) or letter (「H」, 「h」)."""
    return _ERA_BY_KEY.get(key) or _ERA_BY_KEY[key.upper()]


@contextmanager
def use_date_style(style: str) -> Iterator[None]:
    """Show dates in the given style ("wareki" or "western") inside the block."""
    if style not in DATE_STYLES:
        raise ValueError(f"Unknown date style: {style!r}")
    token = date_style.set(style)
    try:
        yield
    finally:
        date_style.reset(token)


def era_of(value: date) -> Era:
    """Return the era in force on the given day."""
    for era in reversed(ERAS):
        if value >= era.start:
            return era
    raise ValueError(f"明治より前の日付は和暦で表せません: {value.isoformat()}")


def era_year(value: date) -> tuple[Era, int]:
    """Return the era and the year within it (1 for 元年) of the given day."""
    era = era_of(value)
    return era, value.year - era.start.year + 1


def year_in_era(number: int) -> str:
    """Write an era year number the way it is printed: 1 is 「元」."""
    return "元" if number == 1 else str(number)


def era_year_label(year: int, month: int = 12, day: int = 31) -> str:
    """Return the era year of a western year, e.g. 2026 → 「令和8年」.

    The era is the one in force on the given day; the default, the year's last day,
    gives the usual label for a whole year that changed era (2019 → 「令和元年」).
    """
    era, number = era_year(date(year, month, day))
    return f"{era.name}{year_in_era(number)}年"


def _local(value: datetime) -> datetime:
    # Like Django's date filter: aware values move to the current time zone, naive ones
    # are taken as already local.
    return timezone.localtime(value) if timezone.is_aware(value) else value


def local_date(value: date) -> date:
    """Return the day a date or datetime falls on in the current time zone."""
    return _local(value).date() if isinstance(value, datetime) else value


def _weekday_suffix(value: date) -> str:
    return f"（{WEEKDAYS[value.weekday()]}）"


def format_wareki(value: date, *, weekday: bool = False) -> str:
    """Write a date in the era calendar: 「令和8年11月21日」, with weekday 「…（土）」."""
    value = local_date(value)
    era, number = era_year(value)
    text = f"{era.name}{year_in_era(number)}年{value.month}月{value.day}日"
    return text + _weekday_suffix(value) if weekday else text


def format_western(value: date, *, weekday: bool = False) -> str:
    """Write a date in the western calendar: 「2026年11月21日」, with weekday 「…（土）」."""
    value = local_date(value)
    text = f"{value.year}年{value.month}月{value.day}日"
    return text + _weekday_suffix(value) if weekday else text


def format_wareki_datetime(value: datetime, *, weekday: bool = False) -> str:
    """Write a datetime in the current time zone: 「令和8年11月21日 14:30」."""
    value = _local(value)
    return f"{format_wareki(value.date(), weekday=weekday)} {value:%H:%M}"


def format_western_datetime(value: datetime, *, weekday: bool = False) -> str:
    """Write a datetime in the current time zone: 「2026年11月21日 14:30」."""
    value = _local(value)
    return f"{format_western(value.date(), weekday=weekday)} {value:%H:%M}"


def format_date(value: date, *, weekday: bool = False) -> str:
    """Write a date in the current request's style."""
    value = local_date(value)
    # Dates before 明治 have no era here; show them in western form rather than fail.
    if date_style.get() == "western" or value < ERAS[0].start:
        return format_western(value, weekday=weekday)
    return format_wareki(value, weekday=weekday)


def format_datetime(value: datetime, *, weekday: bool = False) -> str:
    """Write a datetime in the current request's style and time zone."""
    value = _local(value)
    return f"{format_date(value.date(), weekday=weekday)} {value:%H:%M}"


# What people type, after NFKC and with spaces removed: an era (kanji or letter), a year
# (digits or 元), then month and day separated by 年月日 or by . / -.
_ERA_DATE_RE = re.compile(
    r"(?P<era>明治|大正|昭和|平成|令和|[MTSHR])(?P<year>\d{1,2}|元)"
    r"[年./-](?P<month>\d{1,2})[月./-](?P<day>\d{1,2})日?",
    re.IGNORECASE,
)
_WESTERN_DATE_RE = re.compile(r"(?P<year>\d{4})[年./-](?P<month>\d{1,2})[月./-](?P<day>\d{1,2})日?")
_WEEKDAY_RE = re.compile(r"\((?P<weekday>[月火水木金土日])(?:曜日?)?\)$")
# Dashes NFKC leaves alone but people paste from word processors.
_DASHES = str.maketrans({"−": "-", "‐": "-", "‑": "-", "–": "-", "—": "-", "ー": "-"})


def normalize_typed(text: str) -> str:
    """Fold full-width characters and dashes and drop spaces from typed text."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    return "".join(text.split())


def _unreadable(text: str) -> WarekiParseError:
    return WarekiParseError(
        f"日付として読み取れません: 「{text.strip()}」。"
        "令和8年11月21日、R8.11.21 または 2026-11-21 の形で入力してください。"
    )


def _era_date(match: re.Match[str]) -> date:
    era = era_named(match["era"])
    number = 1 if match["year"] == "元" else int(match["year"])
    month, day = int(match["month"]), int(match["day"])
    written = f"{era.name}{year_in_era(number)}年{month}月{day}日"
    if number < 1:
        raise WarekiParseError(f"{written} は存在しない日付です（{era.name}は元年から）。")
    try:
        value = date(era.start.year + number - 1, month, day)
    except ValueError:
        raise WarekiParseError(f"{written} は存在しない日付です。") from None
    if value < era.start:
        first = era.start
        raise WarekiParseError(
            f"{written} は存在しない日付です（{era.name}は元年{first.month}月{first.day}日から）。"
        )
    if era.end is not None and value > era.end:
        last = era.end
        last_year = last.year - era.start.year + 1
        raise WarekiParseError(
            f"{written} は存在しない日付です"
            f"（{era.name}は{year_in_era(last_year)}年{last.month}月{last.day}日まで）。"
        )
    return value


def _western_date(match: re.Match[str]) -> date:
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    try:
        return date(year, month, day)
    except ValueError:
        raise WarekiParseError(f"{year}年{month}月{day}日 は存在しない日付です。") from None


def parse_date(text: str) -> date:
    """Read a date as people type it, in the era or western calendar."""
    cleaned = normalize_typed(text)
    if not cleaned:
        raise WarekiParseError("日付を入力してください。")
    weekday_match = _WEEKDAY_RE.search(cleaned)
    if weekday_match:
        cleaned = cleaned[: weekday_match.start()]
    if match := _ERA_DATE_RE.fullmatch(cleaned):
        value = _era_date(match)
    elif match := _WESTERN_DATE_RE.fullmatch(cleaned):
        value = _western_date(match)
    else:
        raise _unreadable(text)
    # A weekday that disagrees with the date means one of them is a typo.
    if weekday_match and WEEKDAYS[value.weekday()] != weekday_match["weekday"]:
        actual = WEEKDAYS[value.weekday()]
        raise WarekiParseError(
            f"曜日が合いません: {format_date(value)} は{actual}曜日です"
            f"（入力は{weekday_match['weekday']}曜日）。"
        )
    return value


# Excel's Japanese-calendar formats: 「令和8年4月1日」, 「令和8年4月1日 13:30」. LCID 411 (ja-JP) is
# the form both Excel and LibreOffice read; the ja-JP-x-gannen tag shows as a bare serial number in
# Calc.
WAREKI_DATE_FORMAT = '[$-411]ggge"年"m"月"d"日"'
WAREKI_DATETIME_FORMAT = '[$-411]ggge"年"m"月"d"日" hh:mm'
