"""What a person types into the answer form, kind by kind (hypothesis strategies).

The property tests that send an answer from the web form round the offline answer sheet
draw their posts here, so both try every kind of the registry in the same way.
"""

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from renkei.inquiries.models import (
    OTHER_CHOICE,
    Inquiry,
    InquiryStatus,
    Question,
    QuestionKind,
    Target,
)
from renkei.inquiries.tests.builders import add_question, make_inquiry
from renkei.testing import Council

# The round-trip properties draw a whole answer form per example against the test database
# (a function-scoped fixture, slow examples): hypothesis is told both are meant.
ROUND_TRIP = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

CHOICES = ["準拠している", "一部準拠", "準拠していない"]
ROWS = ["本庁", "支所"]
COLUMNS = ["端末", "サーバ"]

# The settings of the question each kind is tried with; a table is tried both ways.
QUESTIONS: list[tuple[str, dict[str, Any]]] = [
    (QuestionKind.SINGLE, {"choices": CHOICES, "allow_other": True}),
    (QuestionKind.MULTIPLE, {"choices": CHOICES, "allow_other": True}),
    (QuestionKind.YES_NO, {}),
    (QuestionKind.NUMBER, {"unit": "台"}),
    (QuestionKind.DATE, {}),
    (QuestionKind.SHORT_TEXT, {}),
    (QuestionKind.LONG_TEXT, {}),
    (QuestionKind.TABLE, {"table_rows": ROWS, "table_columns": COLUMNS, "table_numeric": True}),
    (QuestionKind.TABLE, {"table_rows": ROWS, "table_columns": COLUMNS, "table_numeric": False}),
    (QuestionKind.FILE, {}),
]

# What people type: any character a browser sends (no NUL, which Django refuses), with
# Japanese text, line breaks in 長文 and look-alike characters weighted in.
_CHARACTERS = st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")
_JAPANESE = st.sampled_from("あいう漢字カナ　ー〜①㈱髙﨑・「」、。=+-@'\"\t")


def _text(max_size: int, *, lines: bool = False) -> st.SearchStrategy[str]:
    alphabet = st.one_of(_CHARACTERS, _JAPANESE, st.just("\n") if lines else _JAPANESE)
    return st.text(alphabet, max_size=max_size)


_NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False),
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
).map(str)
_DATES = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2199, 12, 31)).map(
    lambda d: d.isoformat()
)


@st.composite
def _choice(draw: Any, question: Question) -> dict[str, Any]:
    name = f"q{question.pk}"
    choice = draw(st.sampled_from(["", *question.options]))
    post: dict[str, Any] = {name: choice}
    if choice == OTHER_CHOICE:
        post[f"{name}_other"] = draw(_text(500))
    return post


@st.composite
def _multiple(draw: Any, question: Question) -> dict[str, Any]:
    name = f"q{question.pk}"
    chosen = draw(st.lists(st.sampled_from(question.options), unique=True))
    post: dict[str, Any] = {name: chosen}
    if OTHER_CHOICE in chosen:
        post[f"{name}_other"] = draw(_text(500))
    return post


@st.composite
def _table(draw: Any, question: Question) -> dict[str, Any]:
    cell = st.one_of(st.just(""), _NUMBERS) if question.table_numeric else _text(200)
    return {
        f"q{question.pk}_r{r}_c{c}": draw(cell)
        for r in range(len(question.table_rows))
        for c in range(len(question.table_columns))
    }


def _one(values: st.SearchStrategy[str]) -> Any:
    return lambda question: values.map(lambda value: {f"q{question.pk}": value})


# What a person types for a question of each kind, as the answer form receives it. Files
# are attached on the web page only: the sheet neither shows nor changes them.
POSTS = {
    QuestionKind.SINGLE: _choice,
    QuestionKind.YES_NO: _choice,
    QuestionKind.MULTIPLE: _multiple,
    QuestionKind.NUMBER: _one(st.one_of(st.just(""), _NUMBERS)),
    QuestionKind.DATE: _one(st.one_of(st.just(""), _DATES)),
    QuestionKind.SHORT_TEXT: _one(_text(500)),
    QuestionKind.LONG_TEXT: _one(_text(3000, lines=True)),
    QuestionKind.TABLE: _table,
    QuestionKind.FILE: lambda question: st.just({}),
}


@st.composite
def typed_answer(draw: Any, questions: list[Question]) -> dict[str, Any]:
    """Return the answer form's fields for the questions, each answered or left empty."""
    post: dict[str, Any] = {}
    for question in questions:
        post.update(draw(POSTS[question.kind](question)))
    return post


def make_every_kind(council: Council) -> tuple[Inquiry, list[Question]]:
    """Create an open inquiry to 当別町 with a question of every kind, none required."""
    inquiry = make_inquiry(council, status=InquiryStatus.OPEN)
    questions = [
        add_question(
            inquiry,
            code=f"Q{position}",
            kind=kind,
            text=f"{QuestionKind(kind).label}の設問",
            required=False,
            **fields,
        )
        for position, (kind, fields) in enumerate(QUESTIONS, start=1)
    ]
    Target.objects.create(inquiry=inquiry, organization=council.member_org)
    return inquiry, questions
