"""In Chromium: the secretariat writes an お知らせ for an audience, publishes it, the mail
reaches that audience at an aiosmtpd sink, and the delivery counts for the fiscal year."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import Page, expect

from renkei.announcements.models import Announcement
from renkei.testing import PASSWORD, make_contact
from tests.browser.fixtures import login, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_announcement_reaches_its_audience_and_counts_for_the_fiscal_year(
    page: Page, council, smtp_server, tmp_path
):
    secret = generate_totp_secret()
    TOTP.activate(council.secretariat, secret)
    make_contact(user=council.board)
    council.member_org.notification_email = "joho@town.tobetsu.example.lg.jp"
    council.member_org.save()
    login(page, username="jimukyoku", password=PASSWORD, totp_secret=secret)
    found: list[str] = []

    page.goto(page.base_url + "/announcements/manage/")
    expect(page.get_by_text("0回配信")).to_be_visible()
    page.get_by_role("link", name="お知らせを作成").first.click()
    page.get_by_label("件名").fill("北海道ブロック研修会のご案内")
    page.get_by_label("本文").fill(
        "標記研修会を開催します。\n\n- 日時：令和9年2月10日\n- 場所：札幌市"
    )
    page.get_by_role("radio", name="都道府県").check()
    page.get_by_label("都道府県（対象が「都道府県」のとき）").select_option("01")
    found += serious_violations(page)
    page.get_by_role("button", name="下書きを保存").click()
    expect(page.get_by_text("下書きを保存しました")).to_be_visible()
    found += serious_violations(page)

    page.get_by_role("link", name="今すぐ公開・配信").click()
    expect(page.get_by_text("会員団体（北海道）")).to_be_visible()
    expect(page.get_by_text("4件のアドレス")).to_be_visible()
    page.screenshot(path=str(tmp_path / "confirm.png"), full_page=True)
    found += serious_violations(page)
    page.get_by_role("button", name="公開してメールを送信する").click()
    expect(page.get_by_text("お知らせを公開し、メールの配信を始めました。")).to_be_visible()
    expect(page.get_by_text("4 / 4件")).to_be_visible()
    page.screenshot(path=str(tmp_path / "delivery.png"), full_page=True)

    recipients = sorted(r for m in smtp_server.received for r in m.rcpt_tos)
    assert recipients == [
        "fukagawa@example.lg.jp",
        "joho@town.tobetsu.example.lg.jp",
        "tobetsu-kanri@example.lg.jp",
        "tobetsu-staff@example.lg.jp",
    ]
    assert all("北海道ブロック研修会" in m.parsed()["Subject"] for m in smtp_server.received)

    page.goto(page.base_url + "/announcements/manage/")
    expect(page.get_by_text("1回配信").first).to_be_visible()
    assert Announcement.objects.get().status == "published"
    assert found == []


def test_a_member_reads_the_announcement_in_the_news_list(page: Page, council, smtp_server):
    from renkei.announcements import services

    announcement = services.announcement_create(
        by=council.secretariat,
        title="令和8年度総会の開催について",
        body="総会を**6月**に開催します。",
        kind="notice",
        audience="all",
        send_mail=False,
    )
    services.announcement_publish(announcement=announcement, by=council.secretariat)
    login(page, username="tobetsu-staff", password=PASSWORD)

    page.goto(page.base_url + "/")
    page.get_by_role("link", name="お知らせ", exact=True).click()
    page.get_by_role("link", name="令和8年度総会の開催について").click()
    expect(page.locator("main strong", has_text="6月")).to_be_visible()
    assert serious_violations(page) == []
