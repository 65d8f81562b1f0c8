"""Log in as each demo role in a real browser and see the pages that role should see."""

import pytest
from playwright.sync_api import expect

from renkei.devdata.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_load
from tests.browser.fixtures import login, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# role login → (menu entries that must be visible, entries that must not be)
EXPECTED = {
    "jimukyoku": (["ホーム", "団体名簿", "人員検索", "会員状況", "事務局メニュー"], []),
    "fukagawa": (["ホーム", "団体名簿", "人員検索", "会員状況"], ["事務局メニュー"]),
    "tobetsu-kanri": (["ホーム", "団体名簿", "人員検索", "会員状況"], ["事務局メニュー"]),
    "tobetsu": (["ホーム", "団体名簿", "人員検索", "会員状況"], ["事務局メニュー"]),
    "soumu": (["ホーム", "団体名簿", "会員状況"], ["事務局メニュー"]),
}


@pytest.fixture
def demo(db):
    return demo_load()


def test_login_page_is_japanese_and_accessible(page, live_server):
    page.goto(live_server.url + "/")
    assert page.url.startswith(live_server.url + "/accounts/login/")
    assert page.get_by_role("heading", name="ログイン").is_visible()
    assert page.locator("a.skip-link").inner_text() == "本文へジャンプ"
    assert serious_violations(page) == []


@pytest.mark.parametrize("username", list(EXPECTED))
def test_each_demo_role_sees_its_pages(page, demo, username):
    login(
        page,
        username=username,
        password=DEMO_PASSWORD,
        totp_secret=DEMO_TOTP_SECRET if username == "jimukyoku" else None,
    )
    page.wait_for_url(page.base_url + "/")
    nav = page.get_by_role("navigation", name="メインメニュー")
    visible, hidden = EXPECTED[username]
    for label in visible:
        assert nav.get_by_role("link", name=label).count() == 1, label
    for label in hidden:
        assert nav.get_by_role("link", name=label).count() == 0, label
    assert serious_violations(page) == []

    page.goto(page.base_url + "/organizations/?q=ふかがわ")
    page.get_by_role("link", name="深川市").click()
    # The click starts a navigation; expect() waits for the new page's heading.
    expect(page.get_by_role("heading", name="深川市")).to_be_visible()
    contacts_hidden = page.get_by_text("職員の連絡先は会員のみが閲覧できます。").count() == 1
    assert contacts_hidden is (username == "soumu")

    if username == "jimukyoku":
        page.goto(page.base_url + "/manage/")
        assert page.get_by_role("heading", name="事務局メニュー").is_visible()
    else:
        response = page.goto(page.base_url + "/manage/")
        assert response.status == 403


def test_directory_and_membership_pages_are_accessible(page, demo):
    login(page, username="tobetsu", password=DEMO_PASSWORD)
    for path in [
        "/organizations/",
        "/organizations/?prefecture=01",
        "/membership/",
        "/people/?q=当別",
    ]:
        page.goto(page.base_url + path)
        assert serious_violations(page) == [], path
    page.goto(page.base_url + "/membership/")
    sentence = page.locator("#membership-sentence").inner_text()
    assert sentence.startswith("1,322団体（市691、特別区23、町464、村96")


def test_pages_fit_a_320px_screen_and_work_by_keyboard(page, demo):
    login(page, username="tobetsu", password=DEMO_PASSWORD)
    page.set_viewport_size({"width": 320, "height": 700})
    for path in ["/", "/organizations/", "/membership/"]:
        page.goto(page.base_url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        assert not overflow, f"{path} scrolls sideways at 320px"
    page.goto(page.base_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "本文へジャンプ"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
