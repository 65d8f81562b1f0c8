"""Compilation pages through the test client: who may see them, what they show, the audit log."""

import io

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renkei.audit.models import Action, AuditEvent
from renkei.directory.models import OrganizationKind
from renkei.inquiries.compilation import store as compilation_store
from renkei.inquiries.models import (
    Answer,
    AnswerKind,
    AnswerVersion,
    Export,
    ExportStatus,
    InquiryStatus,
    Question,
    QuestionKind,
    ResultsVisibility,
    Target,
)
from renkei.inquiries.tests.builders import (
    PLATFORM,
    add_question,
    make_inquiry,
    make_towns,
    start_correction,
    submit_answer,
)
from renkei.testing import login_client as login
from renkei.testing import text_of


@pytest.fixture
def published(council):
    """町田市's role: the board city asked; 19 towns answered, 7 comply; 当別町 answered too."""
    inquiry = make_inquiry(council, status=InquiryStatus.PUBLISHED)
    question = add_question(inquiry, code="Q1", kind=QuestionKind.SINGLE, choices=PLATFORM)
    text = add_question(inquiry, code="Q2", kind=QuestionKind.SHORT_TEXT, required=False)
    towns = make_towns(18)
    for i, town in enumerate(towns):
        submit_answer(
            inquiry,
            town,
            {str(question.pk): PLATFORM[0] if i < 7 else PLATFORM[2], str(text.pk): f"{town.name}"},
        )
    submit_answer(
        inquiry, council.member_org, {str(question.pk): PLATFORM[2], str(text.pk): "=1+1"}
    )
    Target.objects.create(inquiry=inquiry, organization=council.other_org)
    return inquiry


@pytest.fixture
def hidden(published):
    """The published inquiry, its results published with the organizations' names hidden."""
    published.hide_names = True
    published.save()
    return published


def urls(inquiry, export_pk=1):
    return [
        reverse("inquiries:compilation", args=[inquiry.pk]),
        reverse("inquiries:compilation_matrix", args=[inquiry.pk]),
        reverse("inquiries:compilation_compare", args=[inquiry.pk]),
        reverse("inquiries:export_list", args=[inquiry.pk]),
        reverse("inquiries:export_detail", args=[inquiry.pk, export_pk]),
        reverse("inquiries:export_download", args=[inquiry.pk, export_pk]),
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(published):
    for url in urls(published):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["outsider", "observer"])
def test_organizations_without_an_answer_may_not_see_the_results(council, published, who):
    client = login(getattr(council, who))

    for url in urls(published):
        assert client.get(url).status_code == 403


def test_target_organization_may_not_see_results_before_publication(council, published):
    published.status = InquiryStatus.CLOSED
    published.save()
    client = login(council.staff)

    for url in urls(published):
        assert client.get(url).status_code == 403


def test_observers_see_results_published_to_all_members(council, published):
    published.results_visibility = ResultsVisibility.MEMBERS
    published.save()

    response = login(council.observer).get(reverse("inquiries:compilation", args=[published.pk]))

    assert response.status_code == 200


def test_requesting_organization_sees_results_before_publication(council, published):
    published.status = InquiryStatus.CLOSED
    published.save()

    response = login(council.board).get(reverse("inquiries:compilation", args=[published.pk]))

    assert response.status_code == 200
    assert "19団体中7団体（36.8%）" in response.content.decode()


def test_summary_page_shows_chart_table_and_links_who_has_not_answered(
    council, contacts, published
):
    response = login(council.board).get(reverse("inquiries:compilation", args=[published.pk]))

    html = response.content.decode()
    assert 'role="img"' in html
    assert "<caption>Q1 の選択肢ごとの団体数</caption>" in html
    assert "20団体中19団体（95.0%）" in html
    # The count and a link to the progress page, which lists them with contacts, paged.
    assert "未提出の団体：<strong>1団体</strong>" in html
    assert reverse("inquiries:progress", args=[published.pk]) + "?status=waiting" in html
    assert AuditEvent.objects.filter(action=Action.RECORD_VIEWED).count() == 1


def test_summary_of_counts_and_charts_only_is_not_audited(council):
    inquiry = make_inquiry(council, status=InquiryStatus.PUBLISHED)
    question = add_question(inquiry, code="Q1", kind=QuestionKind.SINGLE, choices=PLATFORM)
    for town in make_towns(3):
        submit_answer(inquiry, town, {str(question.pk): PLATFORM[0]})

    response = login(council.board).get(reverse("inquiries:compilation", args=[inquiry.pk]))

    assert "<caption>Q1 の選択肢ごとの団体数</caption>" in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.RECORD_VIEWED).exists()


def test_summary_with_names_hidden_is_not_audited(council, hidden):
    html = text_of(login(council.staff).get(reverse("inquiries:compilation", args=[hidden.pk])))

    assert "団体名を伏せて公開されています" in html
    assert "当別町" not in html.split("設問ごとの集計", 1)[1]
    assert not AuditEvent.objects.filter(action=Action.RECORD_VIEWED).exists()


def test_summary_listing_named_texts_is_audited_on_every_view(council, published):
    client = login(council.board)
    url = reverse("inquiries:compilation", args=[published.pk])

    client.get(url)
    client.get(url)

    events = AuditEvent.objects.filter(action=Action.RECORD_VIEWED)
    assert [e.detail["page"] for e in events] == ["compilation", "compilation"]


def test_answering_members_see_results_without_others_contacts(council, published):
    response = login(council.staff).get(reverse("inquiries:compilation", args=[published.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "未提出の団体" not in html
    assert "waki-staff@example.lg.jp" not in html


def test_matrix_page_lists_organizations_in_code_order_and_is_audited(council, published):
    client = login(council.board)

    response = client.get(reverse("inquiries:compilation_matrix", args=[published.pk]))

    html = response.content.decode()
    assert html.index("013030") < html.index("073008")  # 当別町 (北海道) before 福島 towns
    assert '<th scope="row">当別町</th>' in html
    event = AuditEvent.objects.get(action=Action.RECORD_VIEWED)
    assert event.target_id == str(published.pk)
    assert event.detail["page"] == "matrix"


def _second_version(council, published, text: str) -> tuple[Answer, Question]:
    """Record a second submitted version of the member's answer with `text` for Q2."""
    question = published.questions.get(code="Q2")
    answer = Answer.objects.get(inquiry=published, organization=council.member_org)
    AnswerVersion.objects.create(
        answer=answer,
        number=2,
        kind=AnswerKind.ANSWERED,
        data={str(question.pk): text},
        submitted_at=answer.submitted_at,
    )
    return answer, question


def test_matrix_page_shows_the_latest_submitted_version_not_a_correction(council, published):
    answer, question = _second_version(council, published, "第2版の回答")
    start_correction(answer, {str(question.pk): "修正中の回答"})

    html = (
        login(council.board)
        .get(reverse("inquiries:compilation_matrix", args=[published.pk]))
        .content.decode()
    )

    assert "第2版の回答" in html
    assert "=1+1" not in html  # the first version
    assert "修正中の回答" not in html
    assert "19団体中 19団体を表示" in html


def test_matrix_page_escapes_answers_and_widens_long_texts(council, published):
    _second_version(council, published, "<script>alert(1)</script>")

    html = (
        login(council.board)
        .get(reverse("inquiries:compilation_matrix", args=[published.pk]))
        .content.decode()
    )

    assert "<script>alert(1)" not in html
    assert '<td class="long">&lt;script&gt;alert(1)&lt;/script&gt;</td>' in html


def test_matrix_page_filters_by_prefecture_and_kind(council, published):
    village = make_towns(1, prefecture_code="07", kind=OrganizationKind.VILLAGE, start=700)[0]
    submit_answer(published, village, {})
    client = login(council.board)
    url = reverse("inquiries:compilation_matrix", args=[published.pk])

    by_prefecture = client.get(url, {"prefecture": "01"}).content.decode()
    by_kind = client.get(url, {"prefecture": "07", "kind": "village"}).content.decode()

    assert "20団体中 1団体を表示" in by_prefecture
    assert "当別町" in by_prefecture
    assert "20団体中 1団体を表示" in by_kind
    assert village.name in by_kind


def test_matrix_page_refuses_an_unknown_filter_with_a_message(council, published):
    response = login(council.board).get(
        reverse("inquiries:compilation_matrix", args=[published.pk]), {"prefecture": "99"}
    )

    assert "指定された都道府県の回答はありません。" in response.content.decode()


def test_matrix_page_refuses_an_unknown_kind_in_japanese_and_shows_every_submitter(
    council, published
):
    html = (
        login(council.board)
        .get(reverse("inquiries:compilation_matrix", args=[published.pk]), {"kind": "ward"})
        .content.decode()
    )

    assert "指定された種別の回答はありません。" in html
    assert "19団体中 19団体を表示" in html


def test_matrix_page_shows_ten_questions_at_a_time_with_links_to_the_others(council):
    inquiry = make_inquiry(council, status=InquiryStatus.PUBLISHED)
    questions = [
        add_question(inquiry, code=f"Q{n}", kind=QuestionKind.SHORT_TEXT, required=False)
        for n in range(1, 13)
    ]
    submit_answer(inquiry, council.member_org, {str(q.pk): f"答{q.code}" for q in questions})
    client = login(council.board)
    url = reverse("inquiries:compilation_matrix", args=[inquiry.pk])

    first = client.get(url, {"prefecture": "01"}).content.decode()
    second = client.get(url, {"prefecture": "01", "questions": "2"}).content.decode()

    assert "答Q10" in first and "答Q11" not in first
    assert '<strong aria-current="true">Q1〜Q10</strong>' in first
    assert 'href="?prefecture=01&amp;questions=2">Q11〜Q12</a>' in first
    assert "答Q11" in second and "答Q12" in second and "答Q10" not in second
    assert "団体別の回答一覧（Q11〜Q12、1／1ページ）" in second
    # The organization columns stay with every group of questions.
    assert '<th scope="row">当別町</th>' in second


def test_matrix_page_ignores_a_question_group_that_does_not_exist(council, published):
    html = (
        login(council.board)
        .get(reverse("inquiries:compilation_matrix", args=[published.pk]), {"questions": "9"})
        .content.decode()
    )

    assert "町田市" not in html.split("<table", 1)[0]  # no error page
    assert "19団体中 19団体を表示" in html
    assert "表示する設問" not in html  # two questions: one group, no links


def test_hidden_names_keep_their_labels_on_later_pages(council):
    inquiry = make_inquiry(council, status=InquiryStatus.PUBLISHED, hide_names=True)
    question = add_question(inquiry, code="Q1", kind=QuestionKind.SHORT_TEXT, required=False)
    for town in [council.member_org, *make_towns(32)]:
        submit_answer(inquiry, town, {str(question.pk): town.name})
    client = login(council.staff)  # an answering member: names are hidden from them
    url = reverse("inquiries:compilation_matrix", args=[inquiry.pk])

    first = client.get(url).content.decode().split("<tbody>", 1)[1]
    second = client.get(url, {"page": "2"}).content.decode().split("<tbody>", 1)[1]

    assert '<th scope="row">団体A</th>' in first
    assert '<th scope="row">団体AD</th>' in first  # the 30th
    assert '<th scope="row">団体AE</th>' in second  # the 31st: numbered across pages
    assert '<th scope="row">団体A</th>' not in second


def test_hidden_names_stay_hidden_from_answering_members(council, hidden):
    url = reverse("inquiries:compilation_matrix", args=[hidden.pk])
    html = text_of(login(council.staff).get(url))

    assert "団体A" in html
    assert "当別町" not in html.split("<table", 1)[1]
    assert "013030" not in html


def test_export_runs_in_the_background_and_downloads_once_done(council, published):
    client = login(council.board)

    response = client.post(
        reverse("inquiries:export_list", args=[published.pk]), {"format": "xlsx"}
    )

    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "inquiries:export_detail", args=[published.pk, export.pk]
    )
    assert (export.status, export.progress) == (ExportStatus.DONE, 100)
    page = client.get(response["Location"]).content.decode()
    assert '<progress class="progress" max="100" value="100"' in page
    assert "ダウンロード" in page
    download = client.get(reverse("inquiries:export_download", args=[published.pk, export.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.sheetnames == ["集計", "回答一覧"]
    assert "attachment" in download["Content-Disposition"]
    event = AuditEvent.objects.get(action=Action.EXPORTED)
    assert event.detail["format"] == "xlsx"


def test_pending_export_page_polls_with_htmx_and_offers_a_reload_link(council, published):
    export = Export.objects.create(inquiry=published, format="xlsx", requested_by=council.board)
    client = login(council.board)
    url = reverse("inquiries:export_detail", args=[published.pk, export.pk])

    page = client.get(url).content.decode()
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert 'hx-trigger="every 1s"' in page
    assert f'<a href="{url}">再読み込み</a>' in page
    assert fragment.startswith('<section id="export-progress"')
    assert "<html" not in fragment
    assert (
        client.get(url.replace(str(export.pk) + "/", str(export.pk) + "/download/")).status_code
        == 404
    )


def test_export_of_someone_else_is_not_found(council, published):
    export = Export.objects.create(
        inquiry=published, format="xlsx", requested_by=council.board, status=ExportStatus.DONE
    )

    response = login(council.staff).get(
        reverse("inquiries:export_download", args=[published.pk, export.pk])
    )

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EXPORTED).exists()


def test_unknown_export_format_is_refused_with_a_message(council, published):
    response = login(council.board).post(
        reverse("inquiries:export_list", args=[published.pk]), {"format": "pdf"}
    )

    assert response.status_code == 400
    assert "出力形式を選んでください。" in response.content.decode()
    assert not Export.objects.exists()


def test_csv_export_in_shift_jis_decodes(council, published):
    client = login(council.board)
    client.post(reverse("inquiries:export_list", args=[published.pk]), {"format": "csv_sjis"})
    export = Export.objects.get()

    download = client.get(reverse("inquiries:export_download", args=[published.pk, export.pk]))

    text = b"".join(download.streaming_content).decode("cp932")
    assert text.startswith("団体コード,都道府県,団体名")
    assert "'=1+1" in text


def test_compare_page_puts_two_years_side_by_side(council, published):
    last_year = make_inquiry(council, title="前年度の照会", status=InquiryStatus.PUBLISHED)
    question = add_question(last_year, code="Q1", kind=QuestionKind.SINGLE, choices=PLATFORM)
    submit_answer(last_year, council.member_org, {str(question.pk): PLATFORM[0]})
    client = login(council.board)

    response = client.get(
        reverse("inquiries:compilation_compare", args=[published.pk]), {"other": last_year.pk}
    )

    html = response.content.decode()
    assert "19団体中7団体（36.8%）" in html
    assert "1団体中1団体（100.0%）" in html


def test_compare_refuses_an_inquiry_whose_results_the_user_may_not_see(council, published):
    hidden = make_inquiry(
        council, title="非公開", status=InquiryStatus.CLOSED, requester=council.other_org
    )

    response = login(council.board).get(
        reverse("inquiries:compilation_compare", args=[published.pk]), {"other": hidden.pk}
    )

    assert response.status_code == 403


def test_compare_refuses_a_non_number_in_japanese_and_compares_nothing(council, published):
    response = login(council.board).get(
        reverse("inquiries:compilation_compare", args=[published.pk]), {"other": "R7"}
    )

    assert response.status_code == 200
    assert "整数を入力してください。" in response.content.decode()
    assert "比較結果" not in response.content.decode()


def test_export_list_names_formats_in_japanese(council, published):
    client = login(council.board)
    client.post(reverse("inquiries:export_list", args=[published.pk]), {"format": "csv_utf8"})

    html = client.get(reverse("inquiries:export_list", args=[published.pk])).content.decode()

    assert "<td>CSV（UTF-8 BOM付き）回答一覧</td>" in html


def test_open_inquiry_summary_is_compiled_once_until_an_answer_changes(council, published):
    published.status = InquiryStatus.OPEN
    published.save()
    client = login(council.board)
    url = reverse("inquiries:compilation", args=[published.pk])
    client.get(url)
    question = published.questions.get(code="Q1")

    with CaptureQueriesContext(connection) as repeated:
        html = client.get(url).content.decode()
    submit_answer(published, council.other_org, {str(question.pk): PLATFORM[0]})
    after = client.get(url).content.decode()

    assert "19団体中7団体（36.8%）" in html
    assert not any("answerversion" in q["sql"].lower() for q in repeated.captured_queries)
    assert "20団体中8団体（40.0%）" in after
    assert AuditEvent.objects.filter(action=Action.RECORD_VIEWED).count() == 3


def test_published_summary_is_compiled_again_when_the_inquiry_changes(council, published):
    client = login(council.board)
    url = reverse("inquiries:compilation", args=[published.pk])
    client.get(url)
    question = published.questions.get(code="Q1")

    with CaptureQueriesContext(connection) as repeated:
        client.get(url)
    # Answers of a published inquiry cannot change through the services; written directly
    # here, the kept page stays until the inquiry itself changes.
    submit_answer(published, council.other_org, {str(question.pk): PLATFORM[0]})
    kept = client.get(url).content.decode()
    published.save()
    recompiled = client.get(url).content.decode()

    assert not any("inquiries_answer" in q["sql"] for q in repeated.captured_queries)
    assert "19団体中7団体（36.8%）" in kept
    assert "20団体中8団体（40.0%）" in recompiled


def test_summary_lists_the_first_texts_and_links_to_all_of_them(council, published, monkeypatch):
    monkeypatch.setattr(compilation_store, "SUMMARY_LIST_LIMIT", 5)

    html = (
        login(council.board)
        .get(reverse("inquiries:compilation", args=[published.pk]))
        .content.decode()
    )

    question = published.questions.get(code="Q2")

    assert "最初の5団体を表示しています（全19団体）。" in html
    assert reverse("inquiries:compilation_question", args=[published.pk, question.pk]) in html


def test_question_page_lists_every_organizations_text(council, published):
    question = published.questions.get(code="Q2")

    response = login(council.board).get(
        reverse("inquiries:compilation_question", args=[published.pk, question.pk])
    )

    html = response.content.decode()
    assert html.count('<th scope="row">') == 19
    assert "当別町（013030）" in html
    assert AuditEvent.objects.get(action=Action.RECORD_VIEWED).detail["page"] == "question"


def test_question_page_refuses_outsiders_and_unknown_questions(council, published):
    question = published.questions.get(code="Q2")
    url = reverse("inquiries:compilation_question", args=[published.pk, question.pk])

    assert login(council.outsider).get(url).status_code == 403
    assert (
        login(council.board)
        .get(reverse("inquiries:compilation_question", args=[published.pk, 999999]))
        .status_code
        == 404
    )


@pytest.mark.parametrize("count", [5, 40])
def test_pages_make_the_same_number_of_queries_for_5_or_40_organizations(
    council, count, django_assert_max_num_queries
):
    inquiry = make_inquiry(council, status=InquiryStatus.OPEN)
    question = add_question(inquiry, code="Q1", kind=QuestionKind.SINGLE, choices=PLATFORM)
    for town in make_towns(count):
        submit_answer(inquiry, town, {str(question.pk): PLATFORM[0]})
    client = login(council.board)

    for name, limit in (("compilation", 11), ("compilation_matrix", 8)):
        client.get(reverse(f"inquiries:{name}", args=[inquiry.pk]))  # session set-up
        cache.clear()
        with django_assert_max_num_queries(limit):
            assert client.get(reverse(f"inquiries:{name}", args=[inquiry.pk])).status_code == 200


def test_export_page_lists_characters_shift_jis_could_not_hold(council, published):
    question = published.questions.get(code="Q2")
    submit_answer(published, council.other_org, {str(question.pk): "𠮷野家"})
    client = login(council.board)
    client.post(reverse("inquiries:export_list", args=[published.pk]), {"format": "csv_sjis"})
    export = Export.objects.get()

    html = client.get(reverse("inquiries:export_detail", args=[published.pk, export.pk]))

    assert "和木町「Q2 Q2の設問」の「𠮷」は Shift_JIS で表せないため「〓」に置き換えました。" in (
        html.content.decode()
    )
    # The notes have a field of their own; a finished export has no error.
    assert "𠮷" in export.notes
    assert export.error == ""


def test_export_fails_cleanly_when_the_requester_lost_access(council, published):
    from renkei.inquiries.export_tasks import export_run

    export = Export.objects.create(inquiry=published, format="xlsx", requested_by=council.staff)
    published.status = InquiryStatus.CLOSED  # no longer published: staff may not see results
    published.save()

    export_run.call(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert export.error == "ファイルの作成に失敗しました。時間をおいて再度お試しください。"
    assert not export.file


def test_export_is_built_once_even_if_queued_twice(council, published):
    from renkei.inquiries.export_tasks import export_run

    client = login(council.board)
    client.post(reverse("inquiries:export_list", args=[published.pk]), {"format": "xlsx"})
    export = Export.objects.get()

    assert export_run.call(export_id=export.pk) == "skipped"


def test_matrix_page_shows_date_answers_in_the_japanese_era(council):
    inquiry = make_inquiry(council, status=InquiryStatus.PUBLISHED)
    date = add_question(inquiry, code="Q1", kind=QuestionKind.DATE)
    submit_answer(inquiry, council.member_org, {str(date.pk): "2026-04-01"})

    response = login(council.board).get(reverse("inquiries:compilation_matrix", args=[inquiry.pk]))

    html = response.content.decode()
    assert "<td>令和8年4月1日</td>" in html
    assert "2026-04-01" not in html


def test_export_page_says_which_file_is_for_people_and_which_for_other_systems(council, published):
    response = login(council.board).get(reverse("inquiries:export_list", args=[published.pk]))

    html = response.content.decode()
    assert "人が見る・印刷するときは Excel ファイル" in html
    assert "他のシステムに取り込むときは CSV" in html
    assert "先頭の0が消える（013986 → 13986）" in html


def test_members_only_results_refuse_an_observer(council, published):
    published.results_visibility = ResultsVisibility.MEMBERS_ONLY
    published.save()
    observer = login(council.observer)

    for url in urls(published)[:4]:
        assert observer.get(url).status_code == 403, url
    assert login(council.staff).get(urls(published)[0]).status_code == 200


def test_visibility_choices_say_that_observers_see_named_answers(council):
    response = login(council.board).get(reverse("inquiries:create"))

    html = response.content.decode()
    assert "全会員団体とオブザーバー（総務省など。各団体の回答が団体名付きで見えます）" in html
    assert "全会員団体（オブザーバーには公開しない）" in html


@pytest.mark.parametrize("count", [5, 40])
@pytest.mark.parametrize(("viewer", "queries"), [("board", 7), ("staff", 9)])
def test_matrix_page_reads_one_page_in_a_fixed_number_of_queries(
    council, count, viewer, queries, django_assert_num_queries
):
    inquiry = make_inquiry(council, status=InquiryStatus.PUBLISHED, hide_names=True)
    question = add_question(inquiry, code="Q1", kind=QuestionKind.SHORT_TEXT, required=False)
    for town in [council.member_org, *make_towns(count)]:
        submit_answer(inquiry, town, {str(question.pk): town.name})
    client = login(getattr(council, viewer))  # the board sees names, a member 団体A …
    url = reverse("inquiries:compilation_matrix", args=[inquiry.pk])
    client.get(url)  # session set-up

    # Session, user, inquiry, the filter's counts, the page's rows, their answers, the audit
    # row (the questions come from the per-process cache the first view filled); for a
    # member, also whether their organization answered and, names hidden, the numbers of
    # the page's labels.
    with django_assert_num_queries(queries):
        response = client.get(url, {"prefecture": "07", "page": "2"})

    html = response.content.decode()
    assert f"{count + 1}団体中 {count}団体を表示" in html
    assert html.count('<th scope="row">') == (10 if count == 40 else 5)
