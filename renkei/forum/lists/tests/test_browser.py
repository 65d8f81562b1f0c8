"""The list in Chromium: a board member posts on the web, every member gets the mail at a real
SMTP server, a member answers from Outlook through the project's own SMTP server, and the
answer appears threaded in the archive; the pages have no serious axe findings."""

import smtplib
import time

import pytest
from playwright.sync_api import expect

from renkei.forum.lists.tests.client_mail import LIST_ADDRESS
from renkei.testing import PASSWORD
from tests.browser.fixtures import login, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _wait_for(received: list, count: int) -> None:
    deadline = time.monotonic() + 10
    while len(received) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(received) == count


def test_a_board_member_posts_on_the_web_and_a_reply_by_mail_appears_threaded(
    page, board, samples, smtp_server, list_server
):
    found: list[str] = []
    login(page, username=board.council.board.username, password=PASSWORD)
    page.get_by_role("link", name="電子会議室").first.click()
    page.get_by_role("link", name="グループのメーリングリスト").click()
    expect(page.get_by_role("heading", name="メーリングリスト", level=1)).to_be_visible()
    found += serious_violations(page)
    page.get_by_role("link", name="役員会").click()
    expect(page.get_by_text(LIST_ADDRESS)).to_be_visible()
    page.get_by_role("link", name="新しい話題を投稿").click()
    page.get_by_label("件名").fill("第2回役員会の日程調整")
    page.get_by_label("本文").fill("12月10日と12日のどちらがよろしいでしょうか。")
    found += serious_violations(page)
    page.get_by_role("button", name="送信する").click()
    expect(page.get_by_text("投稿しました")).to_be_visible()
    found += serious_violations(page)

    # Both members get a copy: 深川市's board member and the auditor (who has no account).
    _wait_for(smtp_server.received, 2)
    copy = next(m.parsed() for m in smtp_server.received if board.auditor.email in m.rcpt_tos)
    assert copy["Subject"].strip() == "[役員会] 第2回役員会の日程調整"
    assert copy["List-Post"] == f"<mailto:{LIST_ADDRESS}>"

    # The auditor answers from Outlook: the mail reaches the list through its SMTP server.
    with smtplib.SMTP("127.0.0.1", list_server, timeout=10) as client:
        client.sendmail(
            board.auditor.email,
            [LIST_ADDRESS],
            samples.outlook(
                sender=board.auditor.email,
                subject="RE: [役員会] 第2回役員会の日程調整",
                body="監事です。\n12日（木）①の時間帯でお願いします。㈱○○の件も伺います。\n",
                in_reply_to=copy["Message-ID"].strip(),
                references=copy["Message-ID"].strip(),
            ),
        )
    _wait_for(smtp_server.received, 4)  # relayed to both members

    page.get_by_role("link", name="スレッドの中で見る").click()
    answer = page.locator(".lists-depth-1")
    expect(answer).to_contain_text("12日（木）①の時間帯でお願いします。㈱○○の件も伺います。")
    expect(answer).to_contain_text("佐藤 髙志")
    expect(page.locator(".lists-depth-0")).to_contain_text("12月10日と12日のどちらが")
    found += serious_violations(page)
    assert found == []
