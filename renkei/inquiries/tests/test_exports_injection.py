"""Formula injection through the exports, whatever invisible characters lead the text."""

import csv
import io
import unicodedata

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renkei.core.question_kinds.results import CellKind, MatrixColumn
from renkei.inquiries.compilation.data import compilation_data
from renkei.inquiries.compilation.matrix import Matrix, MatrixRow
from renkei.inquiries.exports import matrix_csv, workbook_xlsx
from renkei.inquiries.models import Export, InquiryStatus, QuestionKind
from renkei.inquiries.tests.builders import (
    add_question,
    make_inquiry,
    make_towns,
    submit_answer,
)

# What a spreadsheet reads as the start of a formula, checked independently of csv_safety.
DANGEROUS_STARTS = set("=+-@\t\r＝＋－＠")
INVISIBLE = [
    "\u200b",  # zero-width space
    "\ufeff",  # byte-order mark
    "\u200c",
    "\u200d",
    "\u200e",
    "\u2060",
    "\u00a0",
    "\u3000",
    " ",
    "\u2013",  # en dash: Shift_JIS folds it into "-"
    "\u2014",
    "\u00ad",
]
LEADS = st.lists(st.sampled_from([*INVISIBLE, *DANGEROUS_STARTS]), min_size=1, max_size=4)
TEXTS = st.builds(
    lambda lead, rest: "".join(lead) + rest,
    LEADS,
    st.sampled_from(['=HYPERLINK("http://x","x")', "+1", "-1+2", "@SUM(A1)", "cmd|' /C calc'!A0"])
    # What a form can store: browsers send UTF-8 (no lone surrogates), and Django's form fields
    # refuse NUL (PostgreSQL's JSON cannot hold either).
    | st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
    ),
)


def is_live_formula(cell: str) -> bool:
    """Tell whether a spreadsheet could evaluate the cell: no leading quote, and a formula
    character after whatever a program might skip."""
    if cell.startswith("'"):
        return False
    for char in cell:
        if char in DANGEROUS_STARTS:
            return True
        if char.isspace() or unicodedata.category(char) in {"Cf", "Cc", "Zs"}:
            continue
        return False
    return False


def _matrix(texts: list[str]) -> Matrix:
    columns = [
        MatrixColumn(key="name", header="団体名"),
        MatrixColumn(key="q", header="\u200b=見出し", kind=CellKind.TEXT),
    ]
    rows = [MatrixRow(respondent=None, cells=[f"団体{i}", text]) for i, text in enumerate(texts)]
    return Matrix(columns=columns, rows=rows, hide_names=False, total_rows=len(rows))


def test_shift_jis_csv_quotes_a_formula_hidden_behind_a_zero_width_space():
    content, _ = matrix_csv(_matrix(['\u200b=HYPERLINK("http://x","x")']), encoding="cp932")

    rows = list(csv.reader(io.StringIO(content.decode("cp932"))))
    assert rows[1][1] == '\'=HYPERLINK("http://x","x")'


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(TEXTS, min_size=1, max_size=8))
@pytest.mark.parametrize("encoding", ["cp932", "utf-8-sig"])
def test_no_csv_cell_is_a_live_formula(encoding, texts):
    content, _ = matrix_csv(_matrix(texts), encoding=encoding)

    rows = list(csv.reader(io.StringIO(content.decode(encoding), newline="")))
    cells = [cell for row in rows for cell in row]
    assert [cell for cell in cells if is_live_formula(cell)] == []


@pytest.fixture
def towns(db):
    return make_towns(8)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(TEXTS, min_size=8, max_size=8))
def test_no_xlsx_cell_is_a_live_formula(council, towns, texts):
    inquiry = make_inquiry(council)
    question = add_question(inquiry, code="Q1", kind=QuestionKind.SHORT_TEXT)
    for town, text in zip(towns, texts, strict=True):
        submit_answer(inquiry, town, {str(question.pk): text})

    book = openpyxl.load_workbook(io.BytesIO(workbook_xlsx(compilation_data(inquiry=inquiry))))

    cells = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    assert [cell for cell in cells if is_live_formula(cell)] == []
    assert all(cell.data_type != "f" for s in book.worksheets for r in s.iter_rows() for cell in r)


def test_shift_jis_csv_is_served_as_shift_jis(council):
    inquiry = make_inquiry(council, status=InquiryStatus.PUBLISHED)
    question = add_question(inquiry, code="Q1", kind=QuestionKind.SHORT_TEXT)
    submit_answer(inquiry, council.member_org, {str(question.pk): "\u200b=1+1"})
    client = Client()
    client.force_login(council.board)
    client.post(reverse("inquiries:export_list", args=[inquiry.pk]), {"format": "csv_sjis"})
    export = Export.objects.get()

    download = client.get(reverse("inquiries:export_download", args=[inquiry.pk, export.pk]))

    assert download["Content-Type"] == "text/csv; charset=Shift_JIS"
    assert "'=1+1" in b"".join(download.streaming_content).decode("cp932")
