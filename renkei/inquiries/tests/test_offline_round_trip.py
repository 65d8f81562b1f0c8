"""Property: any answer the web form takes comes back unchanged through the offline sheet.

Web form → stored answer → downloaded sheet → uploaded as it is → stored answer, equal.
"""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renkei.inquiries.models import OTHER_CHOICE, Answer, InquiryStatus, QuestionKind, Target
from renkei.inquiries.tests.builders import add_question, make_inquiry

CHOICES = ["準拠している", "一部準拠", "準拠していない"]
ROWS = ["本庁", "支所"]
COLUMNS = ["端末", "サーバ"]


@pytest.fixture
def every_kind(council):
    """An open inquiry with a question of every kind, none required."""
    inquiry = make_inquiry(council, status=InquiryStatus.OPEN)
    common = {"required": False}
    questions = [
        add_question(
            inquiry,
            code="Q1",
            kind=QuestionKind.SINGLE,
            choices=CHOICES,
            allow_other=True,
            **common,
        ),
        add_question(inquiry, code="Q2", kind=QuestionKind.YES_NO, **common),
        add_question(
            inquiry,
            code="Q3",
            kind=QuestionKind.MULTIPLE,
            choices=CHOICES,
            allow_other=True,
            **common,
        ),
        add_question(inquiry, code="Q4", kind=QuestionKind.NUMBER, unit="台", **common),
        add_question(inquiry, code="Q5", kind=QuestionKind.DATE, **common),
        add_question(inquiry, code="Q6", kind=QuestionKind.SHORT_TEXT, **common),
        add_question(inquiry, code="Q7", kind=QuestionKind.LONG_TEXT, **common),
        add_question(
            inquiry,
            code="Q8",
            kind=QuestionKind.TABLE,
            table_rows=ROWS,
            table_columns=COLUMNS,
            table_numeric=True,
            **common,
        ),
        add_question(
            inquiry,
            code="Q9",
            kind=QuestionKind.TABLE,
            table_rows=ROWS,
            table_columns=COLUMNS,
            table_numeric=False,
            **common,
        ),
        add_question(inquiry, code="Q10", kind=QuestionKind.FILE, **common),
    ]
    Target.objects.create(inquiry=inquiry, organization=council.member_org)
    return inquiry, questions


# What people type: any character a browser sends (no NUL, which Django refuses), with
# Japanese text, line breaks in 長文 and look-alike characters weighted in.
_CHARACTERS = st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")
_JAPANESE = st.sampled_from("あいう漢字カナ　ー〜①㈱髙﨑・「」、。=+-@'\"\t")


def _text(max_size, *, lines=False):
    alphabet = st.one_of(_CHARACTERS, _JAPANESE, st.just("\n") if lines else _JAPANESE)
    return st.text(alphabet, max_size=max_size)


_NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False),
).map(str)
_DATES = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2199, 12, 31)).map(
    lambda d: d.isoformat()
)


@st.composite
def web_posts(draw, questions):
    """Return the fields of an answer form post, each question answered or left empty."""
    single, yes_no, multiple, number, date, short, long_, numeric, texts, _ = questions
    post: dict[str, object] = {}
    choice = draw(st.sampled_from(["", *CHOICES, OTHER_CHOICE]))
    post[f"q{single.pk}"] = choice
    if choice == OTHER_CHOICE:
        post[f"q{single.pk}_other"] = draw(_text(500))
    post[f"q{yes_no.pk}"] = draw(st.sampled_from(["", "はい", "いいえ"]))
    chosen = draw(st.lists(st.sampled_from([*CHOICES, OTHER_CHOICE]), unique=True))
    post[f"q{multiple.pk}"] = chosen
    if OTHER_CHOICE in chosen:
        post[f"q{multiple.pk}_other"] = draw(_text(500))
    post[f"q{number.pk}"] = draw(st.one_of(st.just(""), _NUMBERS))
    post[f"q{date.pk}"] = draw(st.one_of(st.just(""), _DATES))
    post[f"q{short.pk}"] = draw(_text(500))
    post[f"q{long_.pk}"] = draw(_text(3000, lines=True))
    for r in range(len(ROWS)):
        for c in range(len(COLUMNS)):
            post[f"q{numeric.pk}_r{r}_c{c}"] = draw(st.one_of(st.just(""), _NUMBERS))
            post[f"q{texts.pk}_r{r}_c{c}"] = draw(_text(200))
    return post


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_web_answer_comes_back_unchanged_through_the_sheet(council, every_kind, data):
    inquiry, questions = every_kind
    client = Client()
    client.force_login(council.staff)
    answer_url = reverse("inquiries:answer", args=[inquiry.pk])
    answer = Answer.objects.filter(inquiry=inquiry, organization=council.member_org).first()
    post = {
        "revision": answer.revision if answer else 0,
        "kind": "answered",
        "intent": "save",
        **data.draw(web_posts(questions)),
    }
    saved = client.post(answer_url, post)
    assert saved.status_code == 302, saved.content.decode()
    stored = Answer.objects.get(inquiry=inquiry, organization=council.member_org)

    sheet = client.get(reverse("inquiries:offline_sheet", args=[inquiry.pk]))
    content = b"".join(sheet.streaming_content)
    uploaded = client.post(
        reverse("inquiries:offline", args=[inquiry.pk]),
        {"sheet": SimpleUploadedFile("回答票.xlsx", io.BytesIO(content).read())},
    )

    assert uploaded.status_code == 302, uploaded.content.decode()
    after = Answer.objects.get(pk=stored.pk)
    assert after.data == stored.data
    assert after.revision == stored.revision + 1
