"""The room in Chromium: a member starts a thread, another replies, and the first member's
notification arrives at a real SMTP server; the pages have no serious axe findings."""

import time

import pytest
from playwright.sync_api import expect

from renkei.forum.services import board_create
from renkei.testing import PASSWORD
from tests.browser.fixtures import login, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page) -> None:
    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_load_state()


def test_member_posts_another_replies_and_the_notification_mail_arrives(page, council, smtp_sink):
    board = board_create(
        name="情報化推進全般", description="会員相互の情報交換", by=council.secretariat
    )
    found: list[str] = []

    # 当別町's staff starts a thread.
    login(page, username=council.staff.username, password=PASSWORD)
    page.get_by_role("link", name="電子会議室").first.click()
    expect(page.get_by_role("heading", name="電子会議室", level=1)).to_be_visible()
    found += serious_violations(page)
    page.get_by_role("link", name="情報化推進全般").click()
    page.get_by_role("link", name="新しいスレッドを作成").click()
    page.get_by_label("題名").fill("CMS（Content Management System）の導入について")
    page.get_by_label("本文").fill("導入済みの団体の**運用体制**を教えてください。")
    found += serious_violations(page)
    page.get_by_role("button", name="作成する").click()
    expect(page.get_by_text("スレッドを作成しました")).to_be_visible()
    expect(page.locator("#post-1 strong")).to_have_text("運用体制")
    found += serious_violations(page)
    _logout(page)

    # 深川市's board member replies, quoting the first post.
    login(page, username=council.board.username, password=PASSWORD)
    page.goto(page.base_url + f"/forum/boards/{board.pk}/")
    expect(page.get_by_text("新着")).to_be_visible()
    page.get_by_role("link", name="CMS（Content Management System）の導入について").click()
    page.get_by_role("link", name="引用して返信").click()
    body = page.get_by_label("本文")
    assert body.input_value().startswith("> **当別 次郎**（#1）:")
    body.press("End")
    body.fill(body.input_value() + "当市では情報政策課の2名で運用しています。")
    page.get_by_role("button", name="投稿する").click()
    expect(page.get_by_text("#2 を投稿しました")).to_be_visible()
    expect(page.locator("#post-2 blockquote")).to_be_visible()
    found += serious_violations(page)

    # The author follows the thread by posting: the reply is mailed to them.
    deadline = time.monotonic() + 10
    while not smtp_sink.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(smtp_sink.messages) == 1
    message = smtp_sink.messages[0]
    assert message["To"].addresses[0].addr_spec == council.staff.email
    assert "CMS（Content Management System）の導入について" in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "当市では情報政策課の2名で運用しています。" in text
    assert "/forum/posts/" in text
    assert found == []
