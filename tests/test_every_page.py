"""What every page must get right: its <title>, no jargon or 「---------」 in its forms, and no
inline style (the Content-Security-Policy forbids it).

The title reads 「<page> | 連携 Renkei」, never glued to the site name.

Every URL pattern of the authorization matrix that renders a page for some role is fetched
as that role (the secretariat first) with the matrix's records, plus allauth's pages.
"""

import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.urls import reverse

from tests.authorization_matrix import NOT_PAGES, TABLE, client_for, release
from tests.matrix_objects import World

# The role that sees the most of a page goes first.
ROLE_ORDER = ("secretariat", "representative", "staff", "board", "observer", "outsider")

# allauth's pages: (pattern name, role or "anonymous").
ALLAUTH_PAGES = [
    ("account_login", "anonymous"),
    ("account_reset_password", "anonymous"),
    ("account_reset_password_done", "anonymous"),
    ("account_change_password", "staff"),
    ("account_email", "staff"),
    ("account_reauthenticate", "staff"),
    ("account_logout", "staff"),
    ("mfa_index", "staff"),
]


def _page_visits() -> list[tuple[str, str, Callable[[World], str]]]:
    visits = []
    for name, entry in sorted(TABLE.items()):
        if name in NOT_PAGES:
            continue
        role = next((r for r in (*ROLE_ORDER, "anonymous") if entry.get.get(r) == 200), None)
        if role is not None:
            visits.append((name, role, entry.url))
    for name, role in ALLAUTH_PAGES:
        visits.append((name, role, lambda w, name=name: reverse(name)))
    return visits


def _title(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match, "no <title>"
    return " ".join(match[1].split())  # as a browser shows it


def test_the_crawl_covers_the_pages_of_every_app():
    names = {name for name, _, _ in _page_visits()}
    assert {"home", "directory:person_list", "polls:create", "account_login"} <= names
    assert len(names) > 40


@pytest.mark.parametrize(
    ("name", "role", "url"), _page_visits(), ids=[f"{n}-{r}" for n, r, _ in _page_visits()]
)
def test_page_title_names_the_page_then_the_site(records: World, name, role, url):
    client = client_for(records, role)
    response = client.get(url(records))
    assert response.status_code == 200, name
    title = _title(response.content.decode())
    release(response)

    site = settings.RENKEI["SITE_NAME"]
    page, separator, rest = title.rpartition(" | ")
    assert separator and rest == site, f"{name}: {title!r}"
    assert page.strip() == page and page, f"{name}: {title!r}"
    assert not page.endswith(site), f"{name}: {title!r}"


@pytest.mark.parametrize(
    ("name", "role", "url"), _page_visits(), ids=[f"{n}-{r}" for n, r, _ in _page_visits()]
)
def test_page_forms_say_what_to_type_without_jargon_or_dashes(records: World, name, role, url):
    client = client_for(records, role)
    response = client.get(url(records))
    html = response.content.decode()
    release(response)

    assert "---------" not in html, name
    assert "Markdown" not in html, name


# A <style> element, or a style attribute on any element (SVG included); the policy
# (style-src 'self') makes the browser drop both. All CSS lives in static files.
INLINE_STYLE = re.compile(r"<style\b|<[^>]*\sstyle\s*=", re.I)


@pytest.mark.parametrize(
    ("name", "role", "url"), _page_visits(), ids=[f"{n}-{r}" for n, r, _ in _page_visits()]
)
def test_page_carries_no_inline_style(records: World, name, role, url):
    client = client_for(records, role)
    response = client.get(url(records))
    html = response.content.decode()
    release(response)

    found = INLINE_STYLE.search(html)
    assert not found, f"{name}: {html[found.start() : found.start() + 120]!r}"
    assert "/static/css/renkei.css" in html, name


def test_not_found_page_title_names_the_page_then_the_site(records: World):
    response = client_for(records, "staff").get("/no-such-page/")

    assert response.status_code == 404
    assert (
        _title(response.content.decode())
        == f"ページが見つかりません | {settings.RENKEI['SITE_NAME']}"
    )


MENU = re.compile(r'<nav class="site-nav"[^>]*>(.*?)</nav>', re.S)


@pytest.mark.parametrize("role", ROLE_ORDER)
def test_every_menu_link_opens_for_the_user_who_sees_it(records: World, role):
    client = client_for(records, role)
    home = client.get(reverse("home")).content.decode()
    links = re.findall(r'<a href="([^"]+)"', MENU.search(home)[1])

    assert reverse("home") in links
    refused = []
    for link in links:
        response = client.get(link)
        if response.status_code != 200:
            refused.append((link, response.status_code))
        release(response)
    assert not refused, f"{role} sees menu links that refuse them: {refused}"


# Pages that stand alone: the home page; allauth's sign-in and account pages; the pages a
# link in an e-mail opens without a login (an answer link, an invitation, a registrant's own
# pages, unsubscribing) and the public application form, which show nothing of the member
# area to go back to; and the printed 受付名簿.
WITHOUT_BREADCRUMBS = {
    "home",
    "account_login",
    "account_reset_password",
    "account_reset_password_done",
    "account_logout",
    "account_reauthenticate",
    "account_change_password",
    "account_email",
    "mfa_index",
    "answer_link:open",
    "invitation_accept",
    "announcements:unsubscribe",
    "events:apply",
    "events:registration",
    "events:registration_cancel_link",
    "events:registration_confirm",
    "events:questionnaire_answer_link",
    "events:sign_in_sheet",
}


@pytest.mark.parametrize(
    ("name", "role", "url"), _page_visits(), ids=[f"{n}-{r}" for n, r, _ in _page_visits()]
)
def test_page_says_where_it_is_in_the_site(records: World, name, role, url):
    if name in WITHOUT_BREADCRUMBS:
        pytest.skip("a page that stands alone")
    client = client_for(records, role)
    response = client.get(url(records))
    html = response.content.decode()
    release(response)

    assert 'aria-label="現在位置"' in html, name
    # The page itself ends the trail, named but not a link to itself.
    trail = html.split('aria-label="現在位置"', 1)[1].split("</nav>", 1)[0]
    assert '<span aria-current="page">' in trail, name
