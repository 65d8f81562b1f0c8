"""The whole meeting cycle in Chromium: the secretariat schedules a board-only 役員会, invites,
adds the agenda and a material, the board member replies and reads the material, attendance
is recorded, minutes are pasted, circulated, commented, confirmed and published; a member of
another organization reaches none of it; the .ics and .docx hold what the pages show."""

import io
import re
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import timezone
from docx import Document
from icalendar import Calendar
from playwright.sync_api import expect

from renkei.meetings import services
from renkei.meetings.models import Meeting
from renkei.testing import PASSWORD, make_contact, make_council
from tests.browser.fixtures import login, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MINUTES = """令和8年度 役員会 会議録

日時

令和8年11月2日 13:00~14:00

開会

事務局より開会を宣した。

議題

本会の概要について

事務局から、資料1に基づき本会の概要について説明が行われ、以下の質疑応答ののち、原案のとおり承認された。

(深川市)

本会の会員は全市町村ではないのか。

(事務局)

本会の会員は、地方自治情報センター会員の市町村である。

閉会

事務局が閉会を宣して散会した。
"""

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def council(db):
    council = make_council()
    council.secret = generate_totp_secret()
    TOTP.activate(council.secretariat, council.secret)
    make_contact(user=council.board)
    return council


def _switch(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username=username, password=PASSWORD)


def test_board_meeting_from_invitation_to_published_minutes(page, browser, council):
    base = page.base_url
    # The secretariat keeps its own browser context (a TOTP code works once); members share
    # a second one, logging in and out.
    secretariat = page
    login(secretariat, username="jimukyoku", password=PASSWORD, totp_secret=council.secret)
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    member = context.new_page()
    member.base_url = base
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="会議", exact=True
    ).click()
    page.get_by_role("link", name="会議を登録").click()
    page.get_by_label("会議名").fill("令和8年度 役員会")
    page.get_by_label("種類").select_option(label="役員会")
    page.get_by_label("開催日").fill("令和8年11月2日")
    page.get_by_label("開始時刻").fill("13:00")
    page.get_by_label("終了時刻").fill("14:00")
    page.get_by_label("場所", exact=True).fill("地方自治情報センター センター会議室")
    page.get_by_label("閲覧範囲").select_option(value="board")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_role("heading", name="令和8年度 役員会")).to_be_visible()
    meeting = Meeting.objects.get(title="令和8年度 役員会")
    detail = page.url

    page.get_by_role("link", name=re.compile("^招集者")).click()
    page.get_by_label(re.compile("招集する団体")).fill("012289")
    page.get_by_label(re.compile("出席者の呼び方")).fill("役員")
    page.get_by_role("button", name="追加する").click()
    expect(page.locator("main")).to_contain_text("深川市")
    page.goto(detail)
    page.get_by_role("link", name="議題の追加").click()
    page.locator("#id_title").fill("本会の概要について")
    page.get_by_role("button", name="保存する").click()
    page.get_by_role("link", name="配付資料の登録").click()
    page.get_by_label("資料名").fill("本会の概要")
    page.get_by_label("議題").select_option(label="1. 本会の概要について")
    page.get_by_label(re.compile("ファイル")).set_input_files(
        {"name": "gaiyou.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_text("資料1として登録しました。")).to_be_visible()
    page.get_by_role("link", name="招集通知の送信").click()
    expect(page.locator("main")).to_contain_text("送ったメールは取り消せません")
    page.get_by_role("button", name="招集通知を送信する").click()
    expect(page.get_by_text("招集通知を1通送信しました。")).to_be_visible()

    # The board member replies and reads the material and the calendar file.
    page = member
    _switch(page, "fukagawa")
    page.goto(detail)
    page.get_by_label("代理出席", exact=True).check()
    page.get_by_label("代理出席者の氏名").fill("深川 二郎")
    page.get_by_role("button", name="回答する").click()
    expect(page.locator("main")).to_contain_text("代理：深川 二郎")
    assert serious_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="資料1 本会の概要").click()
    assert Path(download.value.path()).read_bytes() == PDF
    ics = page.request.get(base + reverse("meetings:ics", args=[meeting.pk])).body()
    event = next(iter(Calendar.from_ical(ics).walk("VEVENT")))
    assert str(event["SUMMARY"]) == "令和8年度 役員会"
    assert str(event["LOCATION"]) == "地方自治情報センター センター会議室"

    # A member of another organization reaches nothing of the board meeting.
    _switch(page, "waki-staff")
    material = reverse("meetings:material", args=[meeting.pk, meeting.materials.get().pk])
    for path in (
        reverse("meetings:detail", args=[meeting.pk]),
        material,
        reverse("meetings:ics", args=[meeting.pk]),
        reverse("meetings:minutes", args=[meeting.pk]),
    ):
        assert page.request.get(base + path).status == 403, path
    page.goto(base + reverse("meetings:list"))
    expect(page.locator("main")).not_to_contain_text("令和8年度 役員会")

    # Attendance, then the minutes pasted, circulated, confirmed.
    page = secretariat
    page.goto(detail)
    page.get_by_role("link", name="出席の記録").click()
    page.get_by_role("button", name="記録する").click()
    expect(page.get_by_text("出席者：役員1名(1団体)、事務局")).to_be_visible()
    page.get_by_role("button", name="会議録の作成を始める").click()
    page.get_by_label(re.compile("会議録の本文")).fill(MINUTES)
    page.get_by_role("button", name="読み取って保存する").click()
    expect(page.get_by_text(re.compile("議題1、発言2、未整理の行0"))).to_be_visible()
    page.get_by_role("link", name="会議録へ戻る").click()
    page.get_by_role("link", name="出席者への回覧").click()
    page.get_by_role("button", name="出席者への回覧する").click()
    expect(page.locator("#minutes-status")).to_have_text("出席者に回覧中")

    page = member
    _switch(page, "fukagawa")
    page.goto(base + reverse("meetings:minutes", args=[meeting.pk]))
    page.get_by_role("textbox", name="意見").fill("表記を確認しました。")
    page.get_by_role("button", name="意見を送る").click()
    expect(page.get_by_text("意見を送りました。")).to_be_visible()

    page = secretariat
    page.goto(base + reverse("meetings:minutes", args=[meeting.pk]))
    expect(page.locator("main")).to_contain_text("表記を確認しました。")
    page.get_by_role("link", name="確定", exact=True).click()
    page.get_by_role("button", name="確定する").click()
    expect(page.locator("#minutes-status")).to_have_text("確定")
    page.get_by_role("link", name="公開の範囲").click()
    page.get_by_label("一般に公開（ログイン不要）").check()
    page.get_by_role("button", name="公開の範囲を変更する").click()
    html = page.locator("article.minutes").inner_text()
    docx = page.request.get(base + reverse("meetings:minutes_docx", args=[meeting.pk])).body()
    paragraphs = [p.text for p in Document(io.BytesIO(docx)).paragraphs]
    for text in ("本会の概要について", "(深川市)", "本会の会員は全市町村ではないのか。"):
        assert text in paragraphs and text in html

    # Anyone reads the published minutes without logging in.
    page = member
    page.context.clear_cookies()
    page.goto(base + reverse("meetings:public_minutes", args=[meeting.minutes.pk]))
    expect(page.locator("article.minutes")).to_contain_text("本会の会員は全市町村ではないのか。")
    assert serious_violations(page) == []
    context.close()


def test_an_agenda_item_shows_the_inquiry_results_readably_at_320px(
    page, council, published_inquiry
):
    inquiry = published_inquiry(council)  # 深川市 answered: it may read the results
    by = council.secretariat
    meeting = services.meeting_create(
        by=by, title="役員会", kind="board", starts_at=timezone.now(), scope="board"
    )
    services.invitees_add(meeting=meeting, by=by, organizations=[council.board_org])
    services.agenda_item_add(
        meeting=meeting, by=by, title="生成AIの利用状況調査の結果について", inquiry_id=inquiry.pk
    )
    page.set_viewport_size({"width": 320, "height": 700})
    login(page, username="fukagawa", password=PASSWORD)
    page.goto(page.base_url + reverse("meetings:detail", args=[meeting.pk]))

    summary = page.locator(".record-summary")
    expect(summary.get_by_role("heading", name="Q2 担当職員数")).to_be_visible()
    expect(summary.get_by_role("table", name="Q1 の選択肢ごとの団体数")).to_contain_text("66.7%")
    assert serious_violations(page) == []
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"scrolls sideways at 320px: {widths}"
