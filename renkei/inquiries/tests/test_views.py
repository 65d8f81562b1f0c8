"""Inquiry pages through the test client: editor, review, answer form, versions, progress."""

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from renkei.audit.models import Action, AuditEvent
from renkei.directory.models import Membership, Organization, OrganizationKind, Person
from renkei.inquiries import services
from renkei.inquiries.models import (
    Answer,
    AnswerStatus,
    Inquiry,
    InquiryStatus,
    Question,
    QuestionKind,
    Target,
)
from renkei.inquiries.tests.builders import (
    answer_post,
    complete_data,
    make_draft,
    make_open,
    started_answer,
)
from renkei.mailer.models import OutboxMessage
from renkei.testing import PASSWORD, make_user, text_of
from renkei.testing import login_client as login
from tests.browser.fixtures import login as login_form
from tests.browser.fixtures import serious_violations


def submit_confirmed(client: Client, inquiry: Inquiry, organization, *, proxy: bool = False):
    """Press 「この内容で提出する」 on the 確認画面 of the organization's saved answer."""
    if proxy:
        url = reverse("inquiries:proxy_submit", args=[inquiry.pk, organization.pk])
    else:
        url = reverse("inquiries:answer_submit", args=[inquiry.pk])
    answer = Answer.objects.get(inquiry=inquiry, organization=organization)
    return client.post(url, {"confirm": "yes", "revision": answer.revision}, follow=True)


# --- creating and editing -------------------------------------------------------------------


def test_secretariat_creates_inquiry_with_suggested_deadline_shown(council):
    client = login(council.secretariat)

    page = client.get(reverse("inquiries:create"))
    assert page.status_code == 200
    assert "10営業日後" in text_of(page)

    response = client.post(
        reverse("inquiries:create"),
        {
            "title": "地域情報プラットフォームへの準拠について",
            "purpose": "準拠状況を伺います。",
            "deadline_date": "2099-11-20",
            "deadline_time": "17:00",
            "results_visibility": "answering",
            "reminder_business_days": "2",
        },
    )

    inquiry = Inquiry.objects.get()
    assert response.status_code == 302
    assert inquiry.requester == council.secretariat_org
    assert inquiry.status == InquiryStatus.DRAFT
    assert timezone.localtime(inquiry.deadline).hour == 17


def test_member_creates_a_request_for_its_own_organization(council):
    client = login(council.board)

    client.post(
        reverse("inquiries:create"),
        {
            "title": "情報セキュリティポリシーについて",
            "deadline_date": "令和81年11月20日",
            "results_visibility": "members",
        },
    )

    inquiry = Inquiry.objects.get()
    assert inquiry.requester == council.board_org
    assert inquiry.created_by == council.board


def test_create_with_past_deadline_shows_error_and_saves_nothing(council):
    client = login(council.staff)

    response = client.post(
        reverse("inquiries:create"),
        {"title": "照会", "deadline_date": "2001-01-01", "results_visibility": "answering"},
    )

    assert response.status_code == 200
    assert "現在より後" in text_of(response)
    assert 'aria-invalid="true"' in text_of(response)
    assert not Inquiry.objects.exists()


def test_secretariat_asks_on_behalf_of_a_member_and_back(council):
    inquiry = make_draft(council)
    client = login(council.secretariat)
    fields = {"title": inquiry.title, "results_visibility": "answering"}

    client.post(reverse("inquiries:edit", args=[inquiry.pk]), {**fields, "requester": "深川市"})
    inquiry.refresh_from_db()
    assert inquiry.requester == council.board_org
    client.post(reverse("inquiries:edit", args=[inquiry.pk]), {**fields, "requester": ""})

    inquiry.refresh_from_db()
    assert inquiry.requester == council.secretariat_org


def test_observer_cannot_create(council):
    response = login(council.observer).get(reverse("inquiries:create"))

    assert response.status_code == 403


def test_purpose_markdown_is_sanitized(council):
    inquiry = make_open(council)
    Inquiry.objects.filter(pk=inquiry.pk).update(
        purpose="**重要**<script>alert(1)</script>[x](javascript:alert(1))"
    )

    page = text_of(login(council.staff).get(reverse("inquiries:detail", args=[inquiry.pk])))

    assert "<strong>重要</strong>" in page
    assert "<script>alert(1)" not in page
    assert "javascript:" not in page


def test_detail_shows_deadline_in_wareki_with_weekday(council):
    deadline = dt.datetime(2099, 11, 20, 17, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    inquiry = make_open(council, deadline=deadline)

    page = text_of(login(council.staff).get(reverse("inquiries:detail", args=[inquiry.pk])))

    assert "令和81年11月20日（金） 17:00" in page
    assert "未着手" in page


def test_detail_asks_once_whether_the_organization_is_a_target(council):
    inquiry = make_open(council)
    client = login(council.staff)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("inquiries:detail", args=[inquiry.pk]))

    assert response.status_code == 200
    assert "未着手" in text_of(response)
    # The target test (the page's count of targets is another query).
    target_tests = [q for q in queries if 'FROM "inquiries_target" WHERE' in q["sql"]]
    target_tests = [q for q in target_tests if "COUNT(" not in q["sql"]]
    assert len(target_tests) == 1


def test_detail_lists_each_question_with_its_kind_condition_options_and_table(council):
    inquiry = make_open(council)
    Question.objects.create(
        inquiry=inquiry,
        position=3,
        code="Q3",
        kind=QuestionKind.TABLE,
        text="職員数を<b>職種別</b>に\n記入してください。",
        required=False,
        unit="人",
        table_rows=["正規", "会計年度"],
        table_columns=["令和6年度", "令和7年度"],
    )

    page = login(council.staff).get(reverse("inquiries:detail", args=[inquiry.pk]))

    html = page.content.decode()
    assert "設問（3問）" in html
    assert "［はい／いいえ・必須］" in html
    assert "選択肢：はい／いいえ" in html
    assert "Q1で「はい」と回答した場合のみ" in html
    assert "職員数を&lt;b&gt;職種別&lt;/b&gt;に<br>記入してください。" in html
    assert "［表・単位：人］" in html
    assert "行：正規／会計年度　列：令和6年度／令和7年度" in html


def test_question_form_refuses_single_choice_without_choices(council):
    inquiry = make_draft(council)
    client = login(council.secretariat)

    response = client.post(
        reverse("inquiries:questions", args=[inquiry.pk]),
        {"kind": "single", "text": "どれですか", "required": "on", "choices_text": ""},
    )

    assert response.status_code == 200
    assert "選択肢を2つ以上" in text_of(response)
    assert inquiry.questions.count() == 2


def test_question_form_adds_table_question(council):
    inquiry = make_draft(council)
    client = login(council.secretariat)

    client.post(
        reverse("inquiries:questions", args=[inquiry.pk]),
        {
            "kind": "table",
            "text": "端末台数",
            "table_rows_text": "本庁\n支所",
            "table_columns_text": "デスクトップ\nノート",
            "table_numeric": "on",
        },
    )

    question = inquiry.questions.get(kind=QuestionKind.TABLE)
    assert question.table_rows == ["本庁", "支所"]
    assert question.code == "Q3"


def test_question_form_adds_conditional_question(council):
    inquiry = make_draft(council)
    q1 = inquiry.questions.get(code="Q1")

    login(council.secretariat).post(
        reverse("inquiries:questions", args=[inquiry.pk]),
        {
            "kind": "long_text",
            "text": "公表していない理由",
            "condition_question": q1.pk,
            "condition_value": "いいえ",
        },
    )

    question = inquiry.questions.get(code="Q3")
    assert question.condition_question == q1
    assert question.condition_value == "いいえ"


def test_targets_pick_names_unknown_organizations(council):
    inquiry = make_draft(council)

    response = login(council.secretariat).post(
        reverse("inquiries:targets", args=[inquiry.pk]),
        {"mode": "pick", "organizations": "当別町\n353213\n架空村"},
    )

    assert response.status_code == 200
    assert "次の団体が見つかりません：架空村" in text_of(response)
    inquiry.refresh_from_db()
    assert inquiry.target_spec == {"mode": "all"}


def picked_ids(inquiry) -> set[int]:
    """Return the organizations the inquiry's stored target spec picks."""
    inquiry.refresh_from_db()
    return set(inquiry.target_spec["organization_ids"])


def test_targets_pick_by_code_and_name(council):
    inquiry = make_draft(council)

    login(council.secretariat).post(
        reverse("inquiries:targets", args=[inquiry.pk]),
        {"mode": "pick", "organizations": "当別町\n353213"},
    )

    assert picked_ids(inquiry) == {council.member_org.pk, council.other_org.pk}


def test_targets_pick_accepts_its_own_listing_back(council):
    inquiry = make_draft(council)
    client = login(council.secretariat)
    url = reverse("inquiries:targets", args=[inquiry.pk])
    client.post(url, {"mode": "pick", "organizations": "０１３０３\n353213"})
    listing = client.get(url).context["form"]["organizations"].value()
    assert "013030 当別町" in listing

    client.post(url, {"mode": "pick", "organizations": listing})

    assert picked_ids(inquiry) == {council.member_org.pk, council.other_org.pk}


def test_targets_pick_refuses_a_wrong_check_digit(council):
    inquiry = make_draft(council)

    response = login(council.secretariat).post(
        reverse("inquiries:targets", args=[inquiry.pk]),
        {"mode": "pick", "organizations": "013031"},
    )

    assert "見つかりません：013031" in text_of(response)


def test_targets_pick_ambiguous_name_asks_for_prefecture(council):
    for code, prefecture in (("045055", "04"), ("113859", "11")):
        organization = Organization.objects.create(
            code=code, name="美里町", kind=OrganizationKind.TOWN, prefecture_code=prefecture
        )
        Membership.objects.create(organization=organization, joined_on=dt.date(2010, 4, 1))
    inquiry = make_draft(council)
    client = login(council.secretariat)

    response = client.post(
        reverse("inquiries:targets", args=[inquiry.pk]),
        {"mode": "pick", "organizations": "美里町"},
    )
    assert "複数あります" in text_of(response)

    client.post(
        reverse("inquiries:targets", args=[inquiry.pk]),
        {"mode": "pick", "organizations": "宮城県美里町"},
    )
    inquiry.refresh_from_db()
    assert inquiry.target_spec["organization_ids"] == [Organization.objects.get(code="045055").pk]


def test_targets_filter_by_population(council):
    Organization.objects.filter(pk=council.member_org.pk).update(population=16000)
    Organization.objects.filter(pk=council.board_org.pk).update(population=20000)
    inquiry = make_draft(council)

    login(council.secretariat).post(
        reverse("inquiries:targets", args=[inquiry.pk]),
        {"mode": "filter", "population_min": "１０,０００", "population_max": "18000"},
    )

    inquiry.refresh_from_db()
    assert inquiry.target_spec["population_min"] == 10000
    services.inquiry_open(inquiry=inquiry, by=council.secretariat)
    assert list(inquiry.targets.values_list("organization_id", flat=True)) == [
        council.member_org.pk
    ]


PDF = b"%PDF-1.4\n%test\n"


def test_attachment_upload_and_download(council):
    inquiry = make_draft(council)
    client = login(council.secretariat)

    client.post(
        reverse("inquiries:attachments", args=[inquiry.pk]),
        {"file": SimpleUploadedFile("資料1.pdf", PDF, content_type="application/pdf")},
    )
    attachment = inquiry.attachments.get()
    services.inquiry_open(inquiry=inquiry, by=council.secretariat)
    response = login(council.staff).get(
        reverse("inquiries:attachment_download", args=[inquiry.pk, attachment.pk])
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_attachment_macro_file_is_refused_with_message(council):
    inquiry = make_draft(council)

    response = login(council.secretariat).post(
        reverse("inquiries:attachments", args=[inquiry.pk]),
        {"file": SimpleUploadedFile("集計.xlsm", b"PK\x03\x04")},
    )

    assert "マクロを含むファイル" in text_of(response)
    assert not inquiry.attachments.exists()


# --- review and lifecycle -------------------------------------------------------------------


def test_member_request_review_approve_flow_through_pages(council, contacts):
    inquiry = make_draft(council, by=council.board)
    board = login(council.board)
    secretariat = login(council.secretariat)

    board.post(reverse("inquiries:submit_for_review", args=[inquiry.pk]))
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.REVIEW
    # While in review the requester can no longer edit.
    assert board.get(reverse("inquiries:edit", args=[inquiry.pk])).status_code == 403

    secretariat.post(
        reverse("inquiries:review", args=[inquiry.pk]), {"decision": "approve", "note": ""}
    )

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN
    assert OutboxMessage.objects.filter(template="inquiry_opened").exists()


def test_reject_without_note_shows_error(council):
    inquiry = make_draft(council, by=council.board)
    services.inquiry_submit_for_review(inquiry=inquiry, by=council.board)

    response = login(council.secretariat).post(
        reverse("inquiries:review", args=[inquiry.pk]), {"decision": "reject", "note": ""}
    )

    assert "理由を入力してください" in text_of(response)
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.REVIEW


def test_open_asks_first_then_opens(council):
    inquiry = make_draft(council)
    client = login(council.secretariat)

    page = client.get(reverse("inquiries:open", args=[inquiry.pk]))
    assert "3団体" in text_of(page)
    client.post(reverse("inquiries:open", args=[inquiry.pk]))

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN


def test_invalid_transition_shows_japanese_message(council):
    inquiry = make_draft(council)
    client = login(council.secretariat)

    response = client.post(
        reverse("inquiries:publish", args=[inquiry.pk]), {"confirm": "yes"}, follow=True
    )

    assert "結果を公開できるのは締切後の照会のみです" in text_of(response)


def test_close_extend_publish_through_pages(council):
    inquiry = make_open(council)
    client = login(council.secretariat)

    client.post(reverse("inquiries:close", args=[inquiry.pk]), {"confirm": "yes"})
    client.post(
        reverse("inquiries:extend", args=[inquiry.pk]),
        {"deadline_date": "2099-12-01", "deadline_time": "12:00"},
    )
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN
    client.post(reverse("inquiries:close", args=[inquiry.pk]), {"confirm": "yes"})
    client.post(reverse("inquiries:publish", args=[inquiry.pk]), {"confirm": "yes"})

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.PUBLISHED


def test_copy_goes_to_the_new_draft_editor(council):
    inquiry = make_open(council)

    response = login(council.staff).post(reverse("inquiries:copy", args=[inquiry.pk]))

    copy = Inquiry.objects.exclude(pk=inquiry.pk).get()
    assert response.url == reverse("inquiries:edit", args=[copy.pk])
    assert copy.requester == council.member_org


# --- answering ------------------------------------------------------------------------------


def test_answer_form_saves_shared_draft_and_shows_who_saved(council):
    inquiry = make_open(council)
    staff = login(council.staff)
    staff.get(reverse("inquiries:answer", args=[inquiry.pk]))
    answer = started_answer(inquiry, council.member_org)

    staff.post(reverse("inquiries:answer", args=[inquiry.pk]), answer_post(inquiry, answer))
    page = text_of(
        login(council.representative).get(reverse("inquiries:answer", args=[inquiry.pk]))
    )

    answer.refresh_from_db()
    assert answer.status == AnswerStatus.DRAFT
    assert "当別 次郎" in page
    assert "要綱集に掲載" in page


def test_stale_save_is_refused_with_the_other_persons_name(council):
    inquiry = make_open(council)
    answer = started_answer(inquiry, council.member_org)
    stale = answer_post(inquiry, answer, **{f"q{inquiry.questions.get(code='Q2').pk}": "古い内容"})
    login(council.representative).post(
        reverse("inquiries:answer", args=[inquiry.pk]), answer_post(inquiry, answer)
    )

    response = login(council.staff).post(reverse("inquiries:answer", args=[inquiry.pk]), stale)

    assert response.status_code == 409
    assert "他の方（当別 太郎）が" in text_of(response)
    assert "最新の内容を表示する" in text_of(response)
    # The form keeps what the user typed, so it can be copied before reloading.
    assert "古い内容" in text_of(response)
    answer.refresh_from_db()
    assert answer.data[str(inquiry.questions.get(code="Q2").pk)] == "要綱集に掲載"


def test_submit_with_missing_required_answer_marks_the_field(council):
    inquiry = make_open(council)
    answer = started_answer(inquiry, council.member_org)
    q1 = inquiry.questions.get(code="Q1")

    response = login(council.staff).post(
        reverse("inquiries:answer", args=[inquiry.pk]),
        answer_post(inquiry, answer, "submit", **{f"q{q1.pk}": ""}),
    )

    assert response.status_code == 400
    page = text_of(response)
    assert "Q1：この設問は回答が必須です。" in page
    assert f'href="#id_q{q1.pk}"' in page
    assert not answer.versions.exists()


def test_number_question_accepts_full_width_digits_and_commas(council):
    inquiry = make_draft(council)
    number = services.question_create(
        inquiry=inquiry,
        by=council.secretariat,
        draft=services.QuestionDraft(kind=QuestionKind.NUMBER, text="職員数", unit="人"),
    )
    services.inquiry_open(inquiry=inquiry, by=council.secretariat)
    answer = started_answer(inquiry, council.member_org)

    login(council.staff).post(
        reverse("inquiries:answer", args=[inquiry.pk]),
        answer_post(inquiry, answer, **{f"q{number.pk}": "１，２３４人"}),
    )

    answer.refresh_from_db()
    assert answer.data[str(number.pk)] == 1234


def test_number_question_refuses_text(council):
    inquiry = make_draft(council)
    number = services.question_create(
        inquiry=inquiry,
        by=council.secretariat,
        draft=services.QuestionDraft(kind=QuestionKind.NUMBER, text="職員数"),
    )
    services.inquiry_open(inquiry=inquiry, by=council.secretariat)
    answer = started_answer(inquiry, council.member_org)

    response = login(council.staff).post(
        reverse("inquiries:answer", args=[inquiry.pk]),
        answer_post(inquiry, answer, **{f"q{number.pk}": "約十人"}),
    )

    assert "数値として読み取れません" in text_of(response)
    answer.refresh_from_db()
    assert answer.revision == 0


def test_submit_through_page_creates_version_and_history_lists_it(council):
    inquiry = make_open(council)
    answer = started_answer(inquiry, council.member_org)
    staff = login(council.staff)

    saved = staff.post(
        reverse("inquiries:answer", args=[inquiry.pk]), answer_post(inquiry, answer, "submit")
    )
    assert saved.url == reverse("inquiries:answer_submit", args=[inquiry.pk])
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.DRAFT  # saved, not yet sent
    submit_confirmed(staff, inquiry, council.member_org)
    history = text_of(staff.get(reverse("inquiries:answer_versions", args=[inquiry.pk])))

    answer.refresh_from_db()
    assert answer.status == AnswerStatus.SUBMITTED
    assert "第1版" in history
    assert "当別 次郎" in history


def test_confirmation_through_pages(council):
    inquiry = make_open(council, requires_confirmation=True)
    answer = started_answer(inquiry, council.member_org)
    staff = login(council.staff)
    representative = login(council.representative)

    staff.post(
        reverse("inquiries:answer", args=[inquiry.pk]),
        answer_post(inquiry, answer, "request_confirmation"),
    )
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.AWAITING_CONFIRMATION
    assert staff.get(reverse("inquiries:answer_confirm", args=[inquiry.pk])).status_code == 403
    representative.post(
        reverse("inquiries:answer_confirm", args=[inquiry.pk]),
        {"revision": answer.revision, "action": "confirm_submit"},
    )

    answer.refresh_from_db()
    assert answer.status == AnswerStatus.SUBMITTED
    assert answer.confirmed_by == council.representative


def test_staff_submit_without_confirmation_keeps_draft_with_message(council):
    inquiry = make_open(council, requires_confirmation=True)
    answer = started_answer(inquiry, council.member_org)

    staff = login(council.staff)
    staff.post(
        reverse("inquiries:answer", args=[inquiry.pk]), answer_post(inquiry, answer, "submit")
    )
    response = submit_confirmed(staff, inquiry, council.member_org)

    assert "所属長確認が必要です" in text_of(response)
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.DRAFT
    assert answer.revision == 1


def test_answer_after_deadline_shows_closed_message(council):
    inquiry = make_open(council)
    answer = started_answer(inquiry, council.member_org)
    Inquiry.objects.filter(pk=inquiry.pk).update(deadline=timezone.now() - dt.timedelta(hours=1))
    staff = login(council.staff)

    page = staff.get(reverse("inquiries:answer", args=[inquiry.pk]))
    response = staff.post(
        reverse("inquiries:answer", args=[inquiry.pk]), answer_post(inquiry, answer)
    )

    assert "回答期限" in text_of(page) and "過ぎたため" in text_of(page)
    assert "過ぎたため" in text_of(response)
    answer.refresh_from_db()
    assert answer.revision == 0


def test_conditional_question_fragment_hides_unmet_conditions(council):
    inquiry = make_open(council)
    q1, q2 = list(inquiry.questions.order_by("position"))
    client = login(council.staff)
    url = reverse("inquiries:answer_conditions", args=[inquiry.pk])

    hidden = text_of(client.get(url, {f"q{q1.pk}": "いいえ"}))
    shown = text_of(client.get(url, {f"q{q1.pk}": "はい"}))

    # One marker per conditional question, swapped into the form out of band; inquiries.css
    # hides a question whose marker says its condition is unmet. No inline style.
    marker = (
        rf'<span id="condition-{q2.pk}" class="inq-condition([^"]*)" hidden hx-swap-oob="true">'
    )
    assert re.search(marker, hidden)[1] == " inq-condition--unmet"
    assert re.search(marker, shown)[1] == ""
    assert f"condition-{q1.pk}" not in hidden
    assert "<style" not in hidden + shown


def test_answer_form_wires_htmx_only_on_controlling_questions(council):
    inquiry = make_open(council)
    q1, q2 = list(inquiry.questions.order_by("position"))

    page = text_of(login(council.staff).get(reverse("inquiries:answer", args=[inquiry.pk])))

    assert re.search(rf'id="question-{q1.pk}"[^>]*hx-get=', page)
    assert not re.search(rf'id="question-{q2.pk}"[^>]*hx-get=', page)
    assert "<noscript>" in page


def test_table_question_cells_must_be_numbers(council):
    inquiry = make_draft(council)
    table = services.question_create(
        inquiry=inquiry,
        by=council.secretariat,
        draft=services.QuestionDraft(
            kind=QuestionKind.TABLE,
            text="端末台数",
            table_rows=["本庁"],
            table_columns=["デスクトップ", "ノート"],
            table_numeric=True,
        ),
    )
    services.inquiry_open(inquiry=inquiry, by=council.secretariat)
    answer = started_answer(inquiry, council.member_org)
    client = login(council.staff)

    bad = client.post(
        reverse("inquiries:answer", args=[inquiry.pk]),
        answer_post(
            inquiry, answer, **{f"q{table.pk}_r0_c0": "たくさん", f"q{table.pk}_r0_c1": "3"}
        ),
    )
    assert "「本庁・デスクトップ」は数値で入力してください。" in text_of(bad)
    client.post(
        reverse("inquiries:answer", args=[inquiry.pk]),
        answer_post(
            inquiry, answer, **{f"q{table.pk}_r0_c0": "１,２００", f"q{table.pk}_r0_c1": "3"}
        ),
    )

    answer.refresh_from_db()
    assert answer.data[str(table.pk)] == {"本庁": {"デスクトップ": 1200, "ノート": 3}}


def test_answer_file_upload_is_checked_and_downloadable_by_own_org_only(council):
    inquiry = make_draft(council)
    question = services.question_create(
        inquiry=inquiry,
        by=council.secretariat,
        draft=services.QuestionDraft(kind=QuestionKind.FILE, text="規程", required=False),
    )
    services.inquiry_open(inquiry=inquiry, by=council.secretariat)
    answer = started_answer(inquiry, council.member_org)
    staff = login(council.staff)

    fake = staff.post(
        reverse("inquiries:answer", args=[inquiry.pk]),
        answer_post(
            inquiry, answer, **{f"q{question.pk}": SimpleUploadedFile("規程.pdf", b"MZ\x90")}
        ),
    )
    assert "一致しません" in text_of(fake)
    staff.post(
        reverse("inquiries:answer", args=[inquiry.pk]),
        answer_post(inquiry, answer, **{f"q{question.pk}": SimpleUploadedFile("規程.pdf", PDF)}),
    )
    answer.refresh_from_db()
    file_id = answer.data[str(question.pk)][0]["id"]
    url = reverse("inquiries:answer_file", args=[inquiry.pk, file_id])

    assert staff.get(url).status_code == 200
    assert login(council.outsider).get(url).status_code == 403
    assert login(council.board).get(url).status_code == 403


def test_declined_answer_needs_reason_on_the_form(council):
    inquiry = make_open(council)
    answer = started_answer(inquiry, council.member_org)

    response = login(council.staff).post(
        reverse("inquiries:answer", args=[inquiry.pk]),
        {"revision": answer.revision, "kind": "declined", "reason": "", "intent": "submit"},
    )

    assert "回答を辞退する理由を入力してください。" in text_of(response)


def test_proxy_entry_by_secretariat_is_flagged_and_audited(council):
    inquiry = make_open(council, requires_confirmation=True)
    client = login(council.secretariat)
    url = reverse("inquiries:proxy_answer", args=[inquiry.pk, council.other_org.pk])
    client.get(url)
    answer = started_answer(inquiry, council.other_org)

    client.post(url, answer_post(inquiry, answer, "submit"))
    submit_confirmed(client, inquiry, council.other_org, proxy=True)

    answer.refresh_from_db()
    assert answer.status == AnswerStatus.SUBMITTED
    assert answer.by_proxy
    assert AuditEvent.objects.filter(action=Action.PROXY_ENTRY, target_id=str(answer.pk)).exists()


def test_proxy_for_an_organization_that_is_not_a_target_is_refused(council):
    inquiry = make_open(council)

    response = login(council.secretariat).get(
        reverse("inquiries:proxy_answer", args=[inquiry.pk, council.observer_org.pk])
    )

    assert response.status_code == 403


# --- progress and lists ---------------------------------------------------------------------


def test_progress_lists_non_answering_organizations_with_contacts(council, contacts):
    inquiry = make_open(council)
    answer = started_answer(inquiry, council.member_org)
    services.answer_save(answer=answer, by=council.staff, revision=0, data=complete_data(inquiry))
    services.answer_submit(answer=answer, by=council.staff, revision=answer.revision)

    page = text_of(login(council.secretariat).get(reverse("inquiries:progress", args=[inquiry.pk])))

    assert "3団体中1団体が提出済み" in page
    assert council.outsider.email in page
    assert "0123-45-6789" in page


def test_manual_reminder_from_progress_page(council, contacts):
    inquiry = make_open(council)
    OutboxMessage.objects.all().delete()

    login(council.secretariat).post(
        reverse("inquiries:remind", args=[inquiry.pk]),
        {"scope": "selected", "organizations": [council.other_org.pk], "confirm": "on"},
    )

    assert list(OutboxMessage.objects.values_list("to_email", flat=True)) == [
        council.outsider.email
    ]


def test_answering_tab_shows_my_org_status(council):
    inquiry = make_open(council)
    started_answer(inquiry, council.member_org)

    page = text_of(login(council.staff).get(reverse("inquiries:list")))

    assert inquiry.title in page
    assert "作成中" in page


def test_secretariat_list_filters_by_status_and_shows_review_queue(council):
    make_open(council)
    draft = make_draft(council, by=council.board)
    draft.title = "審査待ちの依頼"
    draft.save()
    services.inquiry_submit_for_review(inquiry=draft, by=council.board)
    client = login(council.secretariat)

    only_open = text_of(client.get(reverse("inquiries:list"), {"tab": "all", "status": "open"}))
    queue = text_of(client.get(reverse("inquiries:list"), {"tab": "review"}))

    assert "審査待ちの依頼" not in only_open
    assert "審査待ちの依頼" in queue


def test_unknown_status_filter_is_refused_in_japanese_and_the_list_stays_whole(council):
    open_one = make_open(council)
    draft = make_draft(council, by=council.board)
    draft.title = "作成中の依頼"
    draft.save()
    client = login(council.secretariat)

    page = text_of(client.get(reverse("inquiries:list"), {"tab": "all", "status": "lost"}))

    assert "正しく選択してください。 lost は候補にありません。" in page
    assert open_one.title in page and "作成中の依頼" in page
    unfiltered = client.get(reverse("inquiries:list")).content.decode()
    assert '<input type="hidden" name="tab" value="all"' in unfiltered  # the filters' tab


def add_organizations(count: int) -> None:
    """Add member towns, each with one staff account, as targets come from members."""
    for number in range(count):
        organization = Organization.objects.create(
            code=f"9{number:05d}",
            name=f"テスト町{number}",
            kind=OrganizationKind.TOWN,
            prefecture_code="01",
        )
        Membership.objects.create(organization=organization, joined_on=dt.date(2010, 4, 1))
        make_user(
            username=f"town{number}", name=f"職員{number}", role="staff", organization=organization
        )


@pytest.mark.parametrize("count", [5, 50])
def test_progress_page_queries_do_not_grow_with_organizations(
    council, django_assert_max_num_queries, count
):
    add_organizations(count)
    inquiry = make_open(council)
    for organization in Organization.objects.filter(code__startswith="9")[:3]:
        Answer.objects.create(inquiry=inquiry, organization=organization)
    client = login(council.secretariat)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("inquiries:progress", args=[inquiry.pk]))

    assert response.status_code == 200
    assert f"{count + 3}団体中0団体" in text_of(response)


@pytest.mark.parametrize("count", [5, 50])
def test_list_pages_queries_do_not_grow_with_organizations(
    council, django_assert_max_num_queries, count
):
    add_organizations(count)
    for number in range(3):
        inquiry = make_open(council)
        Inquiry.objects.filter(pk=inquiry.pk).update(title=f"照会{number}")
    staff, secretariat = login(council.staff), login(council.secretariat)

    with django_assert_max_num_queries(16):
        staff_page = staff.get(reverse("inquiries:list"), {"tab": "answering"})
    with django_assert_max_num_queries(16):
        all_page = secretariat.get(reverse("inquiries:list"), {"tab": "all"})

    assert staff_page.status_code == all_page.status_code == 200
    assert "照会2" in text_of(all_page)


def test_targets_are_rows_after_open(council):
    inquiry = make_open(council)

    assert Target.objects.filter(inquiry=inquiry).count() == 3
    assert Question.objects.filter(inquiry=inquiry).count() == 2
    assert Person.objects.filter(organization=council.member_org).count() == 2


# --- in a real browser ----------------------------------------------------------------------


def in_browser(page: Page, user, steps: Callable[[Page], Any], *, width: int = 1280) -> Any:
    """Log the user in to the shared Chromium page and run the steps."""
    page.set_viewport_size({"width": width, "height": 800})
    login_form(page, username=user.username, password=PASSWORD)
    return steps(page)


def violations_named(page: Page, label: str) -> list[str]:
    return [f"{label} {violation}" for violation in serious_violations(page)]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_conditional_question_follows_the_answer_in_the_browser_at_320px(page, council):
    inquiry = make_draft(council)
    services.question_create(
        inquiry=inquiry,
        by=council.secretariat,
        draft=services.QuestionDraft(
            kind=QuestionKind.TABLE,
            text="端末台数",
            table_rows=["本庁", "支所"],
            table_columns=["デスクトップ", "ノート", "タブレット"],
        ),
    )
    services.inquiry_open(inquiry=inquiry, by=council.secretariat)
    q2 = inquiry.questions.get(code="Q2")

    def steps(page: Page) -> dict[str, Any]:
        page.goto(page.base_url + reverse("inquiries:answer", args=[inquiry.pk]))
        conditional = page.locator(f"#question-{q2.pk}")
        seen = {"at_first": conditional.is_visible()}
        page.get_by_label("はい").check()
        conditional.wait_for(state="visible")
        page.get_by_label("いいえ").check()
        conditional.wait_for(state="hidden")
        seen["width"] = page.evaluate("document.documentElement.scrollWidth")
        return seen

    seen = in_browser(page, council.staff, steps, width=320)

    assert seen == {"at_first": False, "width": 320}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_answer_pages_have_no_serious_accessibility_violations(page, council):
    inquiry = make_open(council)
    paths = [
        reverse("inquiries:list"),
        reverse("inquiries:detail", args=[inquiry.pk]),
        reverse("inquiries:answer", args=[inquiry.pk]),
    ]

    def steps(page: Page) -> tuple[list[str], int]:
        found = []
        for path in paths:
            page.goto(page.base_url + path)
            found += violations_named(page, path)
        # Submitting an empty answer shows the error summary, which links to the fields.
        page.get_by_role("button", name="提出する").click()
        page.wait_for_load_state()
        found += violations_named(page, "errors")
        return found, page.get_by_role("alert").get_by_role("link").count()

    found, error_links = in_browser(page, council.staff, steps)

    assert found == []
    assert error_links >= 1


def test_versions_page_shows_each_kind_of_answer_readably(council):
    inquiry = make_draft(council)
    by = council.secretariat
    day = services.question_create(
        inquiry=inquiry, by=by, draft=services.QuestionDraft(kind=QuestionKind.DATE, text="改正日")
    )
    amount = services.question_create(
        inquiry=inquiry,
        by=by,
        draft=services.QuestionDraft(kind=QuestionKind.NUMBER, text="経費", unit="千円"),
    )
    services.inquiry_open(inquiry=inquiry, by=by)
    answer = started_answer(inquiry, council.member_org)
    data = {**complete_data(inquiry), str(day.pk): "2011-04-01", str(amount.pk): 1234567}
    services.answer_save(answer=answer, by=council.staff, revision=0, data=data)
    services.answer_submit(answer=answer, by=council.staff, revision=answer.revision)

    page = text_of(
        login(council.staff).get(reverse("inquiries:answer_versions", args=[inquiry.pk]))
    )

    assert "平成23年4月1日" in page
    assert "1,234,567 千円" in page


def add_questions_of_every_kind(inquiry: Inquiry, count: int) -> None:
    """Append `count` questions, cycling through the kinds answered on the form."""
    kinds = [
        QuestionKind.SINGLE,
        QuestionKind.MULTIPLE,
        QuestionKind.NUMBER,
        QuestionKind.DATE,
        QuestionKind.LONG_TEXT,
        QuestionKind.TABLE,
        QuestionKind.FILE,
    ]
    start = inquiry.questions.count()
    Question.objects.bulk_create(
        Question(
            inquiry=inquiry,
            position=start + number,
            code=f"X{number}",
            kind=kinds[number % len(kinds)],
            text=f"設問{number}",
            choices=["あり", "なし"],
            table_rows=["本庁", "支所"],
            table_columns=["端末"],
        )
        for number in range(1, count + 1)
    )


def every_question_post(inquiry: Inquiry, answer: Answer) -> dict:
    post = {"revision": answer.revision, "kind": "answered", "reason": "", "intent": "save"}
    for question in inquiry.questions.order_by("position"):
        name = f"q{question.pk}"
        if question.kind == QuestionKind.TABLE:
            post[f"{name}_r0_c0"] = "1,200"
            post[f"{name}_r1_c0"] = "3"
        elif question.kind == QuestionKind.MULTIPLE:
            post[name] = ["あり", "なし"]
        elif question.kind == QuestionKind.NUMBER:
            post[name] = "12.5"
        elif question.kind == QuestionKind.DATE:
            post[name] = "2012/10/01"
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
            post[name] = "はい" if question.kind == QuestionKind.YES_NO else "あり"
        elif question.kind != QuestionKind.FILE:
            post[name] = "回答"
    return post


def answer_form_with_questions(council, count: int) -> tuple[Client, str, Inquiry, Answer]:
    """Open an inquiry of `count` questions; the staff member opens its answer form once."""
    inquiry = make_open(council)
    add_questions_of_every_kind(inquiry, count)
    staff = login(council.staff)
    url = reverse("inquiries:answer", args=[inquiry.pk])
    staff.get(url)  # creates the draft
    answer = started_answer(inquiry, council.member_org)
    return staff, url, inquiry, answer


@pytest.mark.parametrize("count", [5, 60])
def test_saving_the_answer_form_queries_do_not_grow_with_questions(
    council, django_assert_max_num_queries, count
):
    staff, url, inquiry, answer = answer_form_with_questions(council, count)
    post = every_question_post(inquiry, answer)

    # Session, user with person, answer with its inquiry (target joined), and the update
    # and its audit row in one transaction; the questions of the open inquiry were kept by
    # the first view: the same 7 for 5 or 60 questions.
    with django_assert_max_num_queries(7):
        response = staff.post(url, post)

    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.revision == 1
    file_count = inquiry.questions.filter(kind=QuestionKind.FILE).count()
    assert len(answer.data) == inquiry.questions.count() - file_count


@pytest.mark.parametrize("count", [5, 60])
def test_answer_page_queries_do_not_grow_with_questions(
    council, django_assert_max_num_queries, count
):
    staff, url, inquiry, answer = answer_form_with_questions(council, count)
    staff.post(url, every_question_post(inquiry, answer))

    # Session, user with person, answer with its inquiry, the people it names, the asking
    # organization, the submitted versions: 6 whatever the number of questions.
    with django_assert_max_num_queries(6):
        response = staff.get(url)

    assert response.status_code == 200
    assert "当別 次郎" in text_of(response)  # who saved last, loaded with the others


def test_answer_form_is_multipart_only_when_a_question_takes_a_file(council):
    inquiry = make_open(council)
    staff = login(council.staff)
    url = reverse("inquiries:answer", args=[inquiry.pk])
    plain = text_of(staff.get(url))
    add_questions_of_every_kind(inquiry, 7)  # the seventh kind is a file question
    inquiry.save()  # a repair saves the inquiry, which retires its kept questions

    with_file = text_of(staff.get(url))

    assert 'enctype="multipart/form-data"' not in plain
    assert 'enctype="multipart/form-data"' in with_file


def test_answer_form_saves_a_plain_encoded_body_as_browsers_send_it(council):
    inquiry = make_open(council)
    staff = login(council.staff)
    url = reverse("inquiries:answer", args=[inquiry.pk])
    staff.get(url)
    answer = started_answer(inquiry, council.member_org)

    response = staff.post(
        url,
        urlencode(answer_post(inquiry, answer)),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 302
    answer.refresh_from_db()
    assert list(answer.data.values()) == ["はい", "要綱集に掲載"]
    assert answer.revision == 1


def test_detail_says_whom_the_inquiry_asks_and_how_many_once(council):
    everyone = make_open(council)
    picked = make_draft(council, title="個別に伺う照会")
    services.inquiry_targets_set(
        inquiry=picked,
        by=council.secretariat,
        spec={"mode": "pick", "organization_ids": [council.member_org.pk, council.other_org.pk]},
    )
    services.inquiry_open(inquiry=picked, by=council.secretariat)
    client = login(council.staff)

    all_text = text_of(client.get(reverse("inquiries:detail", args=[everyone.pk])))
    picked_text = text_of(client.get(reverse("inquiries:detail", args=[picked.pk])))

    count = everyone.targets.count()
    assert f"全会員団体（{count}団体）" in all_text
    assert "2団体（" in picked_text
    assert picked_text.count("2団体") == 1
