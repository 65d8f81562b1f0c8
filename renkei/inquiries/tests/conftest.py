"""Fixtures of the inquiry tests."""

import pytest

from renkei.directory.models import Post
from renkei.inquiries.models import InquiryStatus, QuestionKind, Target
from renkei.inquiries.tests.builders import add_question, make_inquiry
from renkei.inquiries.tests.typed_answers import make_every_kind
from renkei.testing import Council, make_contact


@pytest.fixture
def contacts(council: Council) -> list[Post]:
    """Make the staff of 当別町 and 和木町 and the board member of 深川市 their 連絡窓口."""
    return [
        make_contact(user=council.staff),
        make_contact(user=council.outsider),
        make_contact(user=council.board),
    ]


@pytest.fixture
def sheet_inquiry(council):
    """An open inquiry with one question of each kind, asked of 当別町 and 和木町 (offline sheets)."""
    inquiry = make_inquiry(council, status=InquiryStatus.OPEN)
    questions = {
        "single": add_question(
            inquiry,
            code="Q1",
            kind=QuestionKind.SINGLE,
            choices=["準拠している", "準拠していない"],
            allow_other=True,
        ),
        "multiple": add_question(
            inquiry, code="Q2", kind=QuestionKind.MULTIPLE, choices=["CSV", "XML"], required=False
        ),
        "number": add_question(inquiry, code="Q3", kind=QuestionKind.NUMBER, unit="台"),
        "date": add_question(inquiry, code="Q4", kind=QuestionKind.DATE, required=False),
        "text": add_question(inquiry, code="Q5", kind=QuestionKind.LONG_TEXT, required=False),
        "table": add_question(
            inquiry,
            code="Q6",
            kind=QuestionKind.TABLE,
            table_rows=["本庁", "支所"],
            table_columns=["端末", "サーバ"],
        ),
    }
    for organization in (council.member_org, council.other_org):
        Target.objects.create(inquiry=inquiry, organization=organization)
    return inquiry, questions


@pytest.fixture
def every_kind(council):
    """An open inquiry to 当別町 with a question of every kind, none required, and its questions."""
    return make_every_kind(council)
