"""The offline answer pages: download one's own sheet, upload it, see each error."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from renkei.inquiries.models import Answer, InquiryStatus, QuestionKind, Target
from renkei.inquiries.tests.builders import add_question, make_inquiry
from renkei.testing import login_client as login


@pytest.fixture
def open_inquiry(council):
    inquiry = make_inquiry(council, status=InquiryStatus.OPEN)
    add_question(inquiry, code="Q1", kind=QuestionKind.YES_NO)
    add_question(inquiry, code="Q2", kind=QuestionKind.NUMBER, unit="台")
    Target.objects.create(inquiry=inquiry, organization=council.member_org)
    return inquiry


def _filled(client, inquiry, values):
    response = client.get(reverse("inquiries:offline_sheet", args=[inquiry.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    for ref, value in values.items():
        book["回答"][ref] = value
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("回答票.xlsx", out.getvalue())


def test_target_organization_downloads_its_own_sheet(council, open_inquiry):
    response = login(council.staff).get(reverse("inquiries:offline_sheet", args=[open_inquiry.pk]))

    assert response.status_code == 200
    assert "_013030_" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book["回答"]["B4"].value == "当別町"


@pytest.mark.parametrize("who", ["outsider", "observer"])
def test_organizations_not_asked_get_no_sheet(council, open_inquiry, who):
    client = login(getattr(council, who))

    assert client.get(reverse("inquiries:offline", args=[open_inquiry.pk])).status_code == 403
    assert client.get(reverse("inquiries:offline_sheet", args=[open_inquiry.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(open_inquiry):
    response = Client().get(reverse("inquiries:offline_sheet", args=[open_inquiry.pk]))

    assert response.status_code == 302


def test_upload_saves_the_answer_and_says_so(council, open_inquiry):
    client = login(council.staff)
    upload = _filled(client, open_inquiry, {"B9": "はい", "B10": 70})

    response = client.post(
        reverse("inquiries:offline", args=[open_inquiry.pk]), {"sheet": upload}, follow=True
    )

    assert "回答票の内容を保存しました" in response.content.decode()
    answer = Answer.objects.get(inquiry=open_inquiry, organization=council.member_org)
    q1, q2 = open_inquiry.questions.order_by("position")
    assert answer.data == {str(q1.pk): "はい", str(q2.pk): 70}


def test_upload_with_errors_lists_each_cell_and_changes_nothing(council, open_inquiry):
    client = login(council.staff)
    upload = _filled(client, open_inquiry, {"B9": "たぶん", "B10": "たくさん"})

    response = client.post(reverse("inquiries:offline", args=[open_inquiry.pk]), {"sheet": upload})

    html = response.content.decode()
    assert response.status_code == 400
    assert "<li>B9: 正しく選択してください。 たぶん は候補にありません。</li>" in html
    assert "<li>B10: 「たくさん」は数値として読み取れません。" in html
    assert not Answer.objects.filter(inquiry=open_inquiry, organization=council.member_org).exists()


def test_upload_without_a_file_asks_for_one(council, open_inquiry):
    response = login(council.staff).post(reverse("inquiries:offline", args=[open_inquiry.pk]))

    assert "アップロードする回答票（.xlsx）を選んでください。" in response.content.decode()


def test_upload_after_the_inquiry_closed_is_refused(council, open_inquiry):
    client = login(council.staff)
    upload = _filled(client, open_inquiry, {"B9": "はい", "B10": 70})
    open_inquiry.status = InquiryStatus.CLOSED
    open_inquiry.save()

    response = client.post(reverse("inquiries:offline", args=[open_inquiry.pk]), {"sheet": upload})

    assert "回答の受付を終了" in response.content.decode()
    assert not Answer.objects.filter(inquiry=open_inquiry, organization=council.member_org).exists()


def test_sheet_made_before_a_colleagues_web_save_gets_the_conflict_page(council, open_inquiry):
    client = login(council.staff)
    upload = _filled(client, open_inquiry, {"B9": "はい", "B10": 70})
    q1, q2 = open_inquiry.questions.order_by("position")
    colleague = login(council.representative)
    colleague.post(
        reverse("inquiries:answer", args=[open_inquiry.pk]),
        {
            "revision": 0,
            "kind": "answered",
            "intent": "save",
            f"q{q1.pk}": "いいえ",
            f"q{q2.pk}": "3",
        },
    )

    response = client.post(reverse("inquiries:offline", args=[open_inquiry.pk]), {"sheet": upload})

    html = response.content.decode()
    assert response.status_code == 409
    assert "他の方（当別 太郎）が" in html
    assert "最新の回答票をダウンロードし、記入し直してからアップロードしてください。" in html
    answer = Answer.objects.get(inquiry=open_inquiry, organization=council.member_org)
    assert answer.data == {str(q1.pk): "いいえ", str(q2.pk): 3}


def test_upload_tells_which_cells_were_formulas(council, open_inquiry):
    client = login(council.staff)
    upload = _filled(client, open_inquiry, {"B9": "はい", "B10": "=1+1"})

    response = client.post(reverse("inquiries:offline", args=[open_inquiry.pk]), {"sheet": upload})

    assert response.status_code == 400
    assert "B10: 数式「=1+1」の計算結果が保存されていないため読み取れません。" in (
        response.content.decode()
    )
    assert not Answer.objects.filter(inquiry=open_inquiry, organization=council.member_org).exists()
