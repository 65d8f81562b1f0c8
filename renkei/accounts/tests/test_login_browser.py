"""The login and two-factor pages in Chromium: where the focus is, before and after a failure."""

import pytest

from renkei.testing import PASSWORD, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.className")


def test_login_page_opens_with_the_focus_on_the_user_id(page, council):
    page.goto(page.base_url + "/accounts/login/")

    assert _focused(page) == "id_login"
    page.keyboard.type(council.staff.username)
    assert page.get_by_label("ユーザーID").input_value() == council.staff.username


def test_failed_login_keeps_the_focus_on_the_error(page, council):
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("ユーザーID").fill(council.staff.username)
    page.get_by_label("パスワード").fill("wrong-password-0000")
    with page.expect_navigation():
        page.get_by_role("button", name="ログイン").click()

    assert _focused(page) == "form-errors"
    focused_text = page.evaluate("document.activeElement.textContent")
    assert "ユーザーIDまたはパスワードが正しくありません。" in focused_text


def test_two_factor_step_opens_with_the_focus_on_the_code(page, council):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(council.secretariat, secret)
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("ユーザーID").fill(council.secretariat.username)
    page.get_by_label("パスワード").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="ログイン").click()

    assert page.get_by_role("heading", level=1).inner_text() == "二要素認証"
    assert _focused(page) == "id_code"
    page.get_by_label("認証コード").fill("000000")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"
    page.get_by_label("認証コード").fill(totp_code(secret))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert "/2fa/" not in page.url
