"""The browser enforces the Content-Security-Policy, and the fixture reports any violation."""

import pytest
from playwright.sync_api import Browser, Page

from renkei.testing import PASSWORD
from tests.browser.fixtures import CSP_LISTENER, csp_watch, login

pytestmark = pytest.mark.browser


def test_injected_inline_script_is_refused_and_reported(browser: Browser, live_server, db):
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    violations = csp_watch(page)
    page.goto(live_server.url + "/accounts/login/")

    # What a stored XSS would try: an inline script added to the page. The policy blocks it.
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
        }"""
    )
    page.wait_for_timeout(300)

    injected = page.evaluate("window.injected === true")
    context.close()
    assert not injected
    assert violations, "the violation was not reported"


def test_member_pages_run_htmx_without_violations(page: Page, council):
    login(page, username=council.staff.username, password=PASSWORD)
    for path in ("/", "/organizations/", "/people/", "/inquiries/", "/polls/"):
        page.goto(page.base_url + path)  # type: ignore[attr-defined]
        page.wait_for_load_state("networkidle")
        assert page.evaluate("typeof htmx === 'object'"), path
