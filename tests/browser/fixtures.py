"""Browser fixtures for every test (a pytest plugin loaded by the root conftest).

Debian's Chromium driven by Playwright against Django's live server; one browser per session.
"""

import os
import shutil
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# body are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Start one Chromium for the whole session."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Reports every Content-Security-Policy violation to the console, where the fixture sees it
# (Chromium also logs "Refused to …" itself; this catches reports it words differently).
# An init script runs through DevTools, so the policy does not block it.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def csp_violation(message: str) -> bool:
    """Tell whether a console message reports a Content-Security-Policy violation."""
    return message.startswith(("Refused to", "CSP violation")) or (
        "Content Security Policy" in message
    )


def csp_watch(page: Page) -> list[str]:
    """Collect the page's Content-Security-Policy violations into the returned list."""
    violations: list[str] = []

    def console(message) -> None:
        if csp_violation(message.text):
            violations.append(f"{page.url}: {message.text}")

    page.on("console", console)
    return violations


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    """Open a fresh browser context; fail the test if the page asks for any outside host or
    breaks the Content-Security-Policy."""
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    outside: list[str] = []
    violations = csp_watch(page)
    allowed = urlparse(live_server.url).netloc

    def check(request) -> None:
        host = urlparse(request.url).netloc
        if request.url.startswith(("http://", "https://")) and host != allowed:
            outside.append(request.url)

    page.on("request", check)
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    context.close()
    assert not outside, f"the page loaded files from outside the site: {outside}"
    assert not violations, f"the page broke the Content-Security-Policy: {violations}"


def login(page: Page, *, username: str, password: str, totp_secret: str | None = None) -> None:
    """Log in through the real login form (and the TOTP step when the account has one)."""
    page.goto(page.base_url + "/accounts/login/")  # type: ignore[attr-defined]
    page.get_by_label("ユーザーID").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    if totp_secret:
        from renkei.testing import totp_code

        code = totp_code(totp_secret)
        page.locator("input[name=code]").fill(code)
        page.locator("form button[type=submit]").first.click()
        page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)
    page.wait_for_load_state()


SERIOUS = {"serious", "critical"}


def serious_violations(page: Page) -> list[str]:
    """Run axe-core on the page and return its serious and critical violations."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]
