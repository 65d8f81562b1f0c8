"""The pages look right with all CSS in static files and a policy that forbids inline styles:
conditional questions still follow the answers, and wide tables scroll in their own box on a
phone instead of widening the page."""

import datetime as dt

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from renkei.inquiries import services
from renkei.inquiries.models import Inquiry, QuestionKind
from renkei.testing import PASSWORD, Council
from tests.browser.fixtures import CSP_LISTENER, csp_watch, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_inquiry_with_a_condition(council: Council) -> Inquiry:
    """Open an inquiry whose second question is asked only after 「はい」 to the first."""
    by = council.secretariat
    inquiry = services.inquiry_create(
        by=by,
        draft=services.InquiryDraft(
            title="情報セキュリティポリシーについて",
            purpose="ポリシーの公表状況を伺います。",
            deadline=timezone.now() + dt.timedelta(days=14),
        ),
    )
    first = services.question_create(
        inquiry=inquiry,
        by=by,
        draft=services.QuestionDraft(kind=QuestionKind.YES_NO, text="ポリシーを公表していますか。"),
    )
    services.question_create(
        inquiry=inquiry,
        by=by,
        draft=services.QuestionDraft(
            kind=QuestionKind.SHORT_TEXT,
            text="公表している場所を教えてください。",
            condition_question=first,
            condition_value="はい",
        ),
    )
    services.inquiry_targets_set(inquiry=inquiry, by=by, spec={"mode": "all"})
    services.inquiry_open(inquiry=inquiry, by=by)
    return inquiry


def test_conditional_question_follows_the_answer_under_the_policy(page: Page, council):
    inquiry = open_inquiry_with_a_condition(council)
    login(page, username=council.staff.username, password=PASSWORD)
    page.goto(f"{page.base_url}/inquiries/{inquiry.pk}/answer/")  # type: ignore[attr-defined]
    place = page.get_by_label("公表している場所を教えてください。")

    expect(place).to_be_hidden()
    page.get_by_label("はい", exact=True).check()
    expect(place).to_be_visible()
    page.get_by_label("いいえ", exact=True).check()
    expect(place).to_be_hidden()
    # The page fixture fails the test on any Content-Security-Policy violation.


def test_without_javascript_every_question_shows(browser: Browser, live_server, council):
    inquiry = open_inquiry_with_a_condition(council)
    context = browser.new_context(java_script_enabled=False, locale="ja-JP")
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    login(page, username=council.staff.username, password=PASSWORD)
    page.goto(f"{live_server.url}/inquiries/{inquiry.pk}/answer/")

    visible = page.get_by_label("公表している場所を教えてください。").is_visible()
    context.close()
    assert visible


def test_the_browser_drops_an_injected_style(browser: Browser, live_server, council):
    context = browser.new_context(locale="ja-JP")
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    violations = csp_watch(page)
    page.goto(live_server.url + "/accounts/login/")

    # What injected markup would try: hide or restyle the page with an inline style.
    page.evaluate(
        """() => document.body.insertAdjacentHTML(
          "beforeend", '<style>main { display: none }</style><p id="x" style="display:none">x</p>'
        )"""
    )
    page.wait_for_timeout(300)

    main_visible = page.locator("main").is_visible()
    x_visible = page.locator("#x").is_visible()
    context.close()
    assert main_visible and x_visible
    assert any("style-src" in violation for violation in violations), violations


def test_wide_tables_scroll_in_their_own_box_on_a_phone(page: Page, council):
    inquiry = open_inquiry_with_a_condition(council)
    secret = generate_totp_secret()
    TOTP.activate(council.secretariat, secret)
    login(page, username=council.secretariat.username, password=PASSWORD, totp_secret=secret)
    page.set_viewport_size({"width": 320, "height": 700})

    for path in (
        "/organizations/",
        "/people/?q=%E5%B8%82",
        f"/inquiries/{inquiry.pk}/progress/",
        "/inquiries/?tab=all",
    ):
        page.goto(page.base_url + path)  # type: ignore[attr-defined]
        page_width = page.evaluate("document.documentElement.scrollWidth")
        box = page.locator(".table-wrap").first
        expect(box).to_be_visible()
        widths = box.evaluate("el => [el.scrollWidth, el.clientWidth]")

        assert page_width <= 320, path
        assert widths[1] <= 320, path
    # The progress table is wider than a phone: its box scrolls, the page does not.
    page.goto(f"{page.base_url}/inquiries/{inquiry.pk}/progress/")  # type: ignore[attr-defined]
    scroll, client = page.locator(".table-wrap").first.evaluate(
        "el => [el.scrollWidth, el.clientWidth]"
    )
    assert scroll > client
