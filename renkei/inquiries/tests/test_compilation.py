"""Compilation (集計) of an inquiry's answers: shares, statistics, the matrix, progress."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.core.question_kinds.results import Share
from renkei.directory.models import OrganizationKind
from renkei.inquiries import services
from renkei.inquiries.compilation.comparison import inquiry_comparison
from renkei.inquiries.compilation.data import compilation_data, inquiry_questions
from renkei.inquiries.compilation.matrix import (
    compilation_matrix,
    matrix_page,
    submitter_groups,
)
from renkei.inquiries.compilation.progress import inquiry_progress
from renkei.inquiries.compilation.respondents import anonymous_label, submitter_rows
from renkei.inquiries.compilation.summaries import question_summaries, question_summary
from renkei.inquiries.hidden_order import hidden_order_key
from renkei.inquiries.models import Answer, AnswerKind, QuestionKind, Target
from renkei.inquiries.permissions import get_answer_for
from renkei.inquiries.tests.builders import (
    add_question,
    complete_data,
    draft_answer,
    make_inquiry,
    make_open,
    make_towns,
    start_correction,
    submit_answer,
)
from renkei.testing import make_contact, make_organization, make_user

PLATFORM = ["準拠している", "次年度の調達で条件にする", "準拠していない"]


def test_share_reads_the_way_the_minutes_report_it():
    assert Share(7, 19).label == "19団体中7団体（36.8%）"
    assert Share(1, 8).label == "8団体中1団体（12.5%）"  # 12.5 rounds half up, not to even
    assert Share(0, 0).label == "0団体中0団体（－）"


def test_anonymous_labels_continue_after_z():
    assert [anonymous_label(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
        "団体A",
        "団体B",
        "団体Z",
        "団体AA",
        "団体AB",
        "団体ZZ",
        "団体AAA",
    ]


@pytest.fixture
def platform_inquiry(council):
    """Nineteen organizations answered; seven comply with the platform, as in the minutes."""
    inquiry = make_inquiry(council)
    question = add_question(
        inquiry, code="Q1", kind=QuestionKind.SINGLE, choices=PLATFORM, allow_other=True
    )
    towns = make_towns(23)
    for i, town in enumerate(towns[:19]):
        if i < 6:
            data = {str(question.pk): PLATFORM[0]}
        elif i == 6:
            data = {str(question.pk): PLATFORM[1]}
        elif i == 7:
            data = {str(question.pk): "その他", f"{question.pk}_other": "マイナンバー対応時に検討"}
        elif i == 8:
            data = {}  # submitted with the question left blank
        else:
            data = {str(question.pk): PLATFORM[2]}
        submit_answer(inquiry, town, data)
    submit_answer(inquiry, towns[19], kind=AnswerKind.NOT_APPLICABLE)
    submit_answer(inquiry, towns[20], kind=AnswerKind.DECLINED)
    draft_answer(inquiry, towns[21], {str(question.pk): PLATFORM[0]})
    return inquiry, question, towns


def test_single_choice_counts_seven_of_nineteen_answering_organizations(platform_inquiry):
    inquiry, question, _ = platform_inquiry
    data = compilation_data(inquiry=inquiry)

    summary = question_summary(data, question)

    shares = {o.label: o.share.label for o in summary.options}
    assert shares == {
        "準拠している": "19団体中6団体（31.6%）",
        "次年度の調達で条件にする": "19団体中1団体（5.3%）",
        "準拠していない": "19団体中10団体（52.6%）",
        "その他": "19団体中1団体（5.3%）",
    }
    assert summary.asked == 19
    assert summary.answered == 18
    assert summary.unanswered == 1


def test_other_text_is_listed_with_the_organization_name_and_code(platform_inquiry):
    inquiry, question, towns = platform_inquiry

    summary = question_summary(compilation_data(inquiry=inquiry), question)

    [entry] = summary.others
    assert entry.text == "マイナンバー対応時に検討"
    assert entry.respondent.label == f"{towns[7].name}（{towns[7].code}）"


def test_multiple_choice_counts_each_option(council):
    inquiry = make_inquiry(council)
    question = add_question(
        inquiry, code="Q2", kind=QuestionKind.MULTIPLE, choices=["CSV", "XML"], allow_other=True
    )
    a, b, c, d = make_towns(4)
    key = str(question.pk)
    submit_answer(inquiry, a, {key: ["CSV", "XML"]})
    submit_answer(inquiry, b, {key: ["CSV", "その他"], f"{key}_other": "固定長"})
    submit_answer(inquiry, c, {key: ["XML", "その他"], f"{key}_other": "API連携"})
    submit_answer(inquiry, d, {key: ["CSV"]})

    summary = question_summary(compilation_data(inquiry=inquiry), question)

    assert [(o.label, o.share.count) for o in summary.options] == [
        ("CSV", 3),
        ("XML", 2),
        ("その他", 2),
    ]
    assert [e.text for e in summary.others] == ["固定長", "API連携"]


def test_conditional_question_counts_only_organizations_that_were_shown_it(council):
    inquiry = make_inquiry(council)
    parent = add_question(inquiry, code="Q1", kind=QuestionKind.YES_NO)
    child = add_question(
        inquiry,
        code="Q1-2",
        kind=QuestionKind.SINGLE,
        choices=["税務", "住基"],
        condition_question=None,
    )
    child.condition_question = parent
    child.condition_value = "はい"
    child.save()
    towns = make_towns(5)
    for town, yes in zip(towns, [True, True, True, False, False], strict=True):
        data = {str(parent.pk): "はい" if yes else "いいえ"}
        if yes:
            data[str(child.pk)] = "税務"
        else:
            data[str(child.pk)] = "住基"  # left over from before the condition changed
        submit_answer(inquiry, town, data)

    data = compilation_data(inquiry=inquiry)
    yes_no, conditional = question_summaries(data)

    assert [o.share.label for o in yes_no.options] == [
        "5団体中3団体（60.0%）",
        "5団体中2団体（40.0%）",
    ]
    assert [(o.label, o.share.label) for o in conditional.options] == [
        ("税務", "3団体中3団体（100.0%）"),
        ("住基", "3団体中0団体（0.0%）"),
    ]


def test_numbers_give_count_mean_median_min_max_and_sum(council):
    inquiry = make_inquiry(council)
    question = add_question(inquiry, code="Q3", kind=QuestionKind.NUMBER, unit="台")
    for town, value in zip(make_towns(5), [70, 80, "１,０００", 2.5, None], strict=True):
        submit_answer(inquiry, town, {str(question.pk): value} if value is not None else {})

    stats = question_summary(compilation_data(inquiry=inquiry), question).numbers

    assert (stats.count, stats.minimum, stats.maximum, stats.total) == (4, 2.5, 1000, 1152.5)
    assert stats.median == 75
    assert stats.formatted()["mean"] == "288.13"
    assert stats.formatted()["total"] == "1,152.5"


def test_dates_give_the_earliest_and_latest(council):
    inquiry = make_inquiry(council)
    question = add_question(inquiry, code="Q4", kind=QuestionKind.DATE)
    for town, value in zip(make_towns(3), ["2012-12-22", "2011-04-01", "不明"], strict=True):
        submit_answer(inquiry, town, {str(question.pk): value})

    dates = question_summary(compilation_data(inquiry=inquiry), question).dates

    assert (dates.count, dates.earliest, dates.latest) == (
        2,
        dt.date(2011, 4, 1),
        dt.date(2012, 12, 22),
    )


def test_free_text_is_listed_by_organization_in_code_order(council):
    inquiry = make_inquiry(council)
    question = add_question(inquiry, code="Q5", kind=QuestionKind.LONG_TEXT)
    first, second = make_towns(2)
    submit_answer(inquiry, second, {str(question.pk): "説明会はマイナンバーの説明会"})
    submit_answer(inquiry, first, {str(question.pk): "  "})
    submit_answer(inquiry, council.board_org, {str(question.pk): "CSVで交換する"})

    summary = question_summary(compilation_data(inquiry=inquiry), question)

    assert [(e.respondent.name, e.respondent.code, e.text) for e in summary.texts] == [
        ("深川市", "012289", "CSVで交換する"),
        (second.name, second.code, "説明会はマイナンバーの説明会"),
    ]


def _terminals_table(inquiry):
    """Add Q6, a numeric table of terminals and servers at the main office and a branch."""
    return add_question(
        inquiry,
        code="Q6",
        kind=QuestionKind.TABLE,
        table_rows=["本庁", "支所"],
        table_columns=["端末", "サーバ"],
    )


def test_numeric_table_is_summed_per_cell(council):
    inquiry = make_inquiry(council)
    question = _terminals_table(inquiry)
    a, b = make_towns(2)
    key = str(question.pk)
    submit_answer(inquiry, a, {key: {"本庁": {"端末": 70, "サーバ": 1}, "支所": {"端末": 5}}})
    submit_answer(inquiry, b, {key: {"本庁": {"端末": 80, "サーバ": None}}})

    table = question_summary(compilation_data(inquiry=inquiry), question).table

    assert table.totals["本庁"]["端末"].total == 150
    assert table.totals["本庁"]["サーバ"].total == 1
    assert table.totals["支所"]["端末"].total == 5
    assert table.totals["支所"]["サーバ"].count == 0
    assert table.row_totals == {"本庁": 151, "支所": 5}
    assert table.column_totals == {"端末": 155, "サーバ": 1}
    assert table.grand_total == 156


def test_text_table_lists_each_organizations_cells(council):
    inquiry = make_inquiry(council)
    question = add_question(
        inquiry,
        code="Q7",
        kind=QuestionKind.TABLE,
        table_rows=["基幹系"],
        table_columns=["事業者", "方式"],
        table_numeric=False,
    )
    [town] = make_towns(1)
    submit_answer(inquiry, town, {str(question.pk): {"基幹系": {"事業者": "A社", "方式": "共同"}}})

    table = question_summary(compilation_data(inquiry=inquiry), question).table

    [(respondent, grid)] = table.entries
    assert respondent.name == town.name
    assert grid == [("基幹系", ["A社", "共同"])]


def test_table_lists_who_filled_it_in_and_writes_their_cells_when_read(council):
    inquiry = make_inquiry(council)
    question = _terminals_table(inquiry)
    a, b, blank, c = make_towns(4)
    key = str(question.pk)
    submit_answer(inquiry, a, {key: {"本庁": {"端末": 1200, "サーバ": 1}, "支所": {"端末": 5}}})
    submit_answer(inquiry, b, {key: {"本庁": {"端末": "1,234", "サーバ": 2.5}, "支所": None}})
    submit_answer(inquiry, blank, {key: {"本庁": {"端末": None, "サーバ": ""}}})
    submit_answer(inquiry, c, {key: "表ではない値"})

    table = question_summary(compilation_data(inquiry=inquiry), question).table

    assert [r.name for r in table.respondents] == [a.name, b.name, c.name]
    assert len(table.entries) == 3
    assert [(r.name, grid) for r, grid in table.entries] == [
        (a.name, [("本庁", ["1,200", "1"]), ("支所", ["5", ""])]),
        (b.name, [("本庁", ["1,234", "2.5"]), ("支所", ["", ""])]),
        (c.name, [("本庁", ["", ""]), ("支所", ["", ""])]),
    ]
    # Read as the pages read them: a slice, one entry, the last one.
    assert [r.name for r, _ in table.entries[1:]] == [b.name, c.name]
    assert table.entries[-1][0].name == c.name
    with pytest.raises(IndexError):
        table.entries[3]
    assert table.totals["本庁"]["端末"].total == 2434
    assert table.totals["本庁"]["サーバ"].total == 3.5
    assert table.row_totals == {"本庁": 2437.5, "支所": 5}


def test_submitted_answers_are_read_unsorted_and_put_in_matrix_order(council):
    inquiry = make_inquiry(council)
    question = add_question(inquiry, code="Q1", kind=QuestionKind.SHORT_TEXT)
    towns = make_towns(3)
    for town in reversed(towns):
        submit_answer(inquiry, town, {str(question.pk): town.name})

    with CaptureQueriesContext(connection) as queries:
        data = compilation_data(inquiry=inquiry)

    # Sorting in SQL would sort every answer's JSON along with its row (the subquery that
    # picks the latest version, ending in a parenthesis, has an ORDER BY of its own).
    [versions] = [q["sql"] for q in queries.captured_queries if '"data"' in q["sql"]]
    assert "ORDER BY" not in versions.rsplit(")", 1)[-1]
    assert [r.code for r in data.respondents] == [t.code for t in towns]


def test_matrix_has_one_row_per_organization_in_code_order_without_code_last(council):
    inquiry = make_inquiry(council)
    question = add_question(inquiry, code="Q1", kind=QuestionKind.SHORT_TEXT)
    no_code = make_organization(
        code=None, name="西多摩郡電算組合", kind=OrganizationKind.ASSOCIATION
    )
    towns = make_towns(3)
    for org in [no_code, towns[2], council.board_org, towns[0], towns[1]]:
        submit_answer(inquiry, org, {str(question.pk): org.name})

    matrix = compilation_matrix(compilation_data(inquiry=inquiry))

    assert [row.cells[0] for row in matrix.rows] == [
        "012289",
        towns[0].code,
        towns[1].code,
        towns[2].code,
        None,
    ]
    assert matrix.header[:3] == ["団体コード", "都道府県", "団体名"]
    assert matrix.rows[0].cells[1:3] == ["北海道", "深川市"]


def test_matrix_gives_multiple_choice_and_table_cells_their_own_columns(council):
    inquiry = make_inquiry(council)
    multiple = add_question(
        inquiry, code="Q1", kind=QuestionKind.MULTIPLE, choices=["CSV", "XML"], allow_other=True
    )
    table = add_question(
        inquiry,
        code="Q2",
        kind=QuestionKind.TABLE,
        table_rows=["本庁"],
        table_columns=["端末", "台数"],
    )
    number = add_question(inquiry, code="Q3", kind=QuestionKind.NUMBER, unit="人")
    [town] = make_towns(1)
    submit_answer(
        inquiry,
        town,
        {
            str(multiple.pk): ["XML", "その他"],
            f"{multiple.pk}_other": "API",
            str(table.pk): {"本庁": {"端末": 3, "台数": 4}},
            str(number.pk): 12,
        },
    )

    matrix = compilation_matrix(compilation_data(inquiry=inquiry))

    fixed = matrix.fixed_count
    assert matrix.header[fixed:] == [
        "Q1 CSV",
        "Q1 XML",
        "Q1 その他",
        "Q2 本庁／端末",
        "Q2 本庁／台数",
        "Q3 Q3の設問（人）",
    ]
    assert matrix.rows[0].cells[fixed:] == [None, 1, "API", 3, 4, 12]


def test_matrix_leaves_not_applicable_and_hidden_questions_blank(council):
    inquiry = make_inquiry(council)
    question = add_question(inquiry, code="Q1", kind=QuestionKind.SHORT_TEXT)
    a, b = make_towns(2)
    submit_answer(inquiry, a, kind=AnswerKind.NOT_APPLICABLE)
    submit_answer(inquiry, b, {str(question.pk): "回答"})

    matrix = compilation_matrix(compilation_data(inquiry=inquiry))

    assert [row.cells[matrix.fixed_count - 1 :] for row in matrix.rows] == [
        ["該当なし", None],
        ["回答", "回答"],
    ]


def _matrix_page(inquiry, *, hide_names=False, prefecture_code="", kind="", page_number=None):
    """Return a page of the matrix (the first unless told) as the matrix view filters it."""
    submitters = submitter_rows(inquiry=inquiry, hide_names=hide_names)
    return matrix_page(
        inquiry=inquiry,
        questions=inquiry_questions(inquiry=inquiry),
        submitters=submitters,
        groups=submitter_groups(submitters=submitters),
        hide_names=hide_names,
        prefecture_code=prefecture_code,
        kind=kind,
        page_number=page_number,
        group_number=None,
    ).matrix


def test_matrix_filters_by_prefecture_and_kind(council):
    inquiry = make_inquiry(council)
    fukushima = make_towns(2, prefecture_code="07")
    okayama = make_towns(1, prefecture_code="33")
    village = make_towns(1, prefecture_code="07", kind=OrganizationKind.VILLAGE, start=400)
    for org in fukushima + okayama + village:
        submit_answer(inquiry, org)

    by_prefecture = _matrix_page(inquiry, prefecture_code="07")
    villages = _matrix_page(inquiry, prefecture_code="07", kind=OrganizationKind.VILLAGE)

    assert [r.respondent.organization_id for r in by_prefecture.rows] == [
        o.pk for o in fukushima + village
    ]
    assert [r.respondent.organization_id for r in villages.rows] == [village[0].pk]
    assert villages.total_rows == 4


def test_hidden_names_replace_name_and_code_and_stay_the_same_when_filtered(council):
    inquiry = make_inquiry(council, hide_names=True)
    question = add_question(inquiry, code="Q1", kind=QuestionKind.SHORT_TEXT)
    towns = make_towns(3, prefecture_code="07") + make_towns(2, prefecture_code="33")
    for town in towns:
        submit_answer(inquiry, town, {str(question.pk): f"{town.name}の回答"})
    data = compilation_data(inquiry=inquiry, hide_names=True)

    matrix = compilation_matrix(data)
    filtered = _matrix_page(inquiry, hide_names=True, prefecture_code="33")

    assert "団体コード" not in matrix.header
    labels = {row.respondent.organization_id: row.cells[1] for row in matrix.rows}
    assert sorted(labels.values()) == ["団体A", "団体B", "団体C", "団体D", "団体E"]
    assert [row.respondent.name for row in matrix.rows] == sorted(labels.values())
    for row in filtered.rows:
        assert row.cells[1] == labels[row.respondent.organization_id]
    texts = question_summary(data, question).texts
    assert {e.respondent.label for e in texts} == set(labels.values())
    assert all(t.name not in str(e.respondent.label) for e in texts for t in towns)


def _build(council, count):
    inquiry = make_inquiry(council)
    questions = [
        add_question(inquiry, code="Q1", kind=QuestionKind.SINGLE, choices=PLATFORM),
        add_question(inquiry, code="Q2", kind=QuestionKind.MULTIPLE, choices=["A", "B"]),
        add_question(inquiry, code="Q3", kind=QuestionKind.NUMBER),
        add_question(
            inquiry, code="Q4", kind=QuestionKind.TABLE, table_rows=["r"], table_columns=["c"]
        ),
        add_question(inquiry, code="Q5", kind=QuestionKind.FILE),
    ]
    for i, town in enumerate(make_towns(count)):
        submit_answer(
            inquiry,
            town,
            {
                str(questions[0].pk): PLATFORM[i % 3],
                str(questions[1].pk): ["A"],
                str(questions[2].pk): i,
                str(questions[3].pk): {"r": {"c": i}},
                str(questions[4].pk): [{"id": i, "name": f"{i}.pdf"}],
            },
        )
    for town in make_towns(3, start=800):
        Target.objects.create(inquiry=inquiry, organization=town)  # not answered yet
        make_contact(
            user=make_user(
                username=f"u{town.code}", name=town.name, role="staff", organization=town
            )
        )
    return inquiry


@pytest.mark.parametrize("count", [5, 40])
def test_compilation_makes_the_same_number_of_queries_for_5_or_40_organizations(
    council, count, django_assert_max_num_queries
):
    inquiry = _build(council, count)

    # 7: the pending organizations' notification addresses take two queries (their shared
    # mailboxes and their 連絡窓口), whatever their number.
    with django_assert_max_num_queries(7):
        data = compilation_data(inquiry=inquiry)
        summaries = question_summaries(data)
        matrix = compilation_matrix(data)
        progress = inquiry_progress(inquiry=inquiry)

    assert len(matrix.rows) == count
    assert summaries[4].files[0].text == "0.pdf"
    assert progress.submitted == count
    assert [len(p.contacts) for p in progress.pending] == [1, 1, 1]


def test_progress_counts_by_prefecture_and_kind_and_lists_who_has_not_submitted(council):
    inquiry = make_inquiry(council)
    fukushima = make_towns(3, prefecture_code="07")
    okayama = make_towns(2, prefecture_code="33", kind=OrganizationKind.VILLAGE)
    for org in fukushima[:2] + okayama[:1]:
        submit_answer(inquiry, org)
    draft_answer(inquiry, okayama[1], {})
    submit_answer(inquiry, fukushima[2], kind=AnswerKind.DECLINED)
    make_contact(
        user=make_user(
            username="okayama-1", name="岡山 五郎", role="staff", organization=okayama[1]
        )
    )

    progress = inquiry_progress(inquiry=inquiry)

    assert progress.share.label == "5団体中4団体（80.0%）"
    assert [(g.label, g.targeted, g.submitted) for g in progress.by_prefecture] == [
        ("福島県", 3, 3),
        ("岡山県", 2, 1),
    ]
    assert [(g.label, g.share.label) for g in progress.by_kind] == [
        ("町", "3団体中3団体（100.0%）"),
        ("村", "2団体中1団体（50.0%）"),
    ]
    assert dict(progress.by_answer_kind) == {"回答": 3, "該当なし": 0, "回答辞退": 1}
    [pending] = progress.pending
    assert pending.organization == okayama[1]
    assert pending.status_label == "作成中"
    assert [p.name for p in pending.contacts] == ["岡山 五郎"]


def test_comparison_matches_questions_by_code_and_text(council):
    last_year = make_inquiry(council, title="平成22年度 照会")
    this_year = make_inquiry(council, title="平成23年度 照会")
    old = add_question(last_year, code="Q1", kind=QuestionKind.SINGLE, choices=PLATFORM[:2])
    add_question(last_year, code="Q2", kind=QuestionKind.NUMBER, text="端末台数")
    new = add_question(this_year, code="Q1", kind=QuestionKind.SINGLE, choices=PLATFORM)
    add_question(this_year, code="Q2", kind=QuestionKind.NUMBER, text="サーバ台数")
    towns = make_towns(4)
    for town in towns[:2]:
        submit_answer(last_year, town, {str(old.pk): PLATFORM[0]})
    for town in towns:
        submit_answer(this_year, town, {str(new.pk): PLATFORM[0]})

    comparison = inquiry_comparison(base=this_year, other=last_year)

    [matched] = comparison.matched
    first = matched.options[0]
    assert (first.label, first.base.label, first.other.label) == (
        "準拠している",
        "4団体中4団体（100.0%）",
        "2団体中2団体（100.0%）",
    )
    assert matched.options[2].other is None
    assert [q.code for q in comparison.unmatched_base] == ["Q2"]
    assert [q.code for q in comparison.unmatched_other] == ["Q2"]


def test_a_correction_being_drafted_does_not_change_the_results(council):
    inquiry = make_inquiry(council)
    question = add_question(inquiry, code="Q1", kind=QuestionKind.SINGLE, choices=PLATFORM)
    [town] = make_towns(1)
    answer = submit_answer(inquiry, town, {str(question.pk): PLATFORM[0]})
    start_correction(answer, {str(question.pk): PLATFORM[2]})

    summary = question_summary(compilation_data(inquiry=inquiry), question)
    progress = inquiry_progress(inquiry=inquiry)

    assert [o.share.count for o in summary.options] == [1, 0, 0]
    assert progress.submitted == 1


# --- The matrix's order, kept by the database (issue 9 §6) -------------------------------------


def _page_rows(inquiry, *, hide_names, page_number=None, prefecture_code=""):
    """Return (organization id, shown name) of one page of the matrix, as the view makes it."""
    matrix = _matrix_page(
        inquiry, hide_names=hide_names, prefecture_code=prefecture_code, page_number=page_number
    )
    return [(row.respondent.organization_id, row.respondent.name) for row in matrix.rows]


def test_answers_store_the_hidden_order_key_however_they_are_created(council):
    inquiry = make_open(council)
    answer = get_answer_for(council.staff, inquiry.pk)  # unsaved: the first save creates it
    services.answer_save(answer=answer, by=council.staff, revision=0, data=complete_data(inquiry))
    [town] = make_towns(1)
    Answer.objects.bulk_create([Answer(inquiry=inquiry, organization=town)])  # the generators

    stored = dict(
        Answer.objects.filter(inquiry=inquiry).values_list("organization_id", "hidden_order")
    )

    assert stored == {
        org.pk: hidden_order_key(inquiry.pk, org.pk) for org in (council.member_org, town)
    }


def test_migration_stores_the_hidden_order_key_of_existing_answers(council):
    inquiry = make_inquiry(council, hide_names=True)
    towns = make_towns(3)
    for town in towns:
        submit_answer(inquiry, town)
    Answer.objects.update(hidden_order="")  # as the column was added
    migration = importlib.import_module("renkei.inquiries.migrations.0009_answer_hidden_order")

    migration.fill_hidden_order(apps, None)

    assert dict(Answer.objects.values_list("organization_id", "hidden_order")) == {
        town.pk: hidden_order_key(inquiry.pk, town.pk) for town in towns
    }


def test_hidden_labels_count_every_submitter_whatever_the_filter_or_page(council):
    inquiry = make_inquiry(council, hide_names=True)
    fukushima = make_towns(20, prefecture_code="07")
    okayama = make_towns(20, prefecture_code="33", start=500)
    for town in fukushima + okayama:
        submit_answer(inquiry, town)
    exported = {
        r.organization_id: r.name
        for r in compilation_data(inquiry=inquiry, hide_names=True).respondents
    }

    first = _page_rows(inquiry, hide_names=True)
    second = _page_rows(inquiry, hide_names=True, page_number="2")
    filtered = _page_rows(inquiry, hide_names=True, prefecture_code="33")

    # The export and the pages agree, in the order of the keyed digest.
    assert first + second == list(exported.items())
    assert list(exported) == sorted(exported, key=lambda pk: hidden_order_key(inquiry.pk, pk))
    # Filtered, each organization keeps its label: the labels are not numbered again.
    okayama_pks = {town.pk for town in okayama}
    assert filtered == [(pk, name) for pk, name in exported.items() if pk in okayama_pks]
    assert [name for _, name in filtered] != [anonymous_label(i) for i in range(20)]


def test_organizations_without_a_code_come_last_by_reading_on_the_page_and_in_the_export(
    council,
):
    inquiry = make_inquiry(council)
    coded = make_towns(2)
    without = [
        make_organization(code=code, name=name, kana=kana, kind=OrganizationKind.ASSOCIATION)
        for code, name, kana in [
            (None, "同じ読みの組合B", "オナジ"),
            (None, "読みのない研究会", ""),
            ("", "空のコードの組合", "アキ"),
            (None, "同じ読みの組合A", "オナジ"),
            (None, "以下略協議会", "イカ"),
        ]
    ]
    for org in [*without, *reversed(coded)]:
        submit_answer(inquiry, org)
    expected = [
        *coded,
        without[1],  # no reading sorts first
        without[2],  # an empty code counts as none
        without[4],
        without[3],  # the same reading: by name
        without[0],
    ]

    page = _page_rows(inquiry, hide_names=False)
    exported = compilation_data(inquiry=inquiry).respondents

    assert [pk for pk, _ in page] == [org.pk for org in expected]
    assert [r.organization_id for r in exported] == [org.pk for org in expected]
