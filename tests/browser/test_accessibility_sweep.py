"""axe-core and a 320 px screen over every page type, logged in as each role that sees it
differently.

One browser login per role; each test visits many pages. Every URL pattern that renders a
page with GET (the authorization matrix's entries that answer some role 200, less the
downloads and fragments in NOT_PAGES) must be visited by at least one role, checked by
`test_sweep_visits_every_page_pattern`. The `page` fixture fails a test whose pages load
anything from outside the site.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from renkei.testing import PASSWORD, totp_code
from tests.authorization_matrix import NOT_PAGES, TABLE
from tests.browser.fixtures import login, serious_violations
from tests.matrix_objects import World, build_world

# Patterns that answer GET with something other than a page.
NARROW = {"width": 320, "height": 700}
WIDE = {"width": 1280, "height": 900}


@dataclass(frozen=True)
class Visit:
    name: str  # URL pattern name (allauth's included)
    url: Callable[[World], str]
    before: Callable[[Page, str], None] | None = None  # run first, given the page's path


def reauthenticate(page: Page, path: str) -> None:
    """Confirm the password again: allauth asks before any change to MFA."""
    page.goto(page.base_url + reverse("account_reauthenticate") + "?next=" + path)
    page.locator("main input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def table(name: str, query: str = "") -> Visit:
    """A page at the address the authorization matrix uses for the pattern."""
    return Visit(name, lambda w: TABLE[name].url(w) + query)


def at(name: str, *args: Callable[[World], object], query: str = "") -> Visit:
    """A page of the pattern for other records than the matrix's."""
    return Visit(name, lambda w: reverse(name, args=[arg(w) for arg in args]) + query)


ANONYMOUS = [
    at("account_login"),
    at("account_reset_password"),
    at("account_reset_password_done"),
    table("invitation_accept"),
    table("answer_link:open"),
    table("announcements:unsubscribe"),
    table("events:apply"),
    table("events:registration"),
    table("events:registration_confirm"),
    table("events:registration_cancel_link"),
    table("events:questionnaire_answer_link"),
]

STAFF = [
    table("home"),
    table("events:list"),
    table("events:detail"),
    table("events:registration_cancel"),
    table("events:catalogue"),
    table("events:needs_questionnaire_answer"),
    table("directory:organization_list"),
    table("directory:organization_list", "?prefecture=01"),
    table("directory:organization_detail"),
    table("directory:membership_status"),
    table("directory:person_list"),
    table("directory:person_list", "?q=当別"),
    table("directory:person_detail"),
    table("accounts:settings"),
    at("account_change_password"),
    at("mfa_index"),
    at("account_reauthenticate", query="?next=/accounts/2fa/totp/activate/"),
    Visit("mfa_activate_totp", lambda w: reverse("mfa_activate_totp"), before=reauthenticate),
    table("inquiries:list", "?tab=answering"),
    table("inquiries:list", "?tab=mine"),
    table("inquiries:list", "?tab=published"),
    table("inquiries:create"),
    # 当別町's own draft: the editor pages.
    table("inquiries:detail"),
    table("inquiries:edit"),
    table("inquiries:delete"),
    table("inquiries:targets"),
    table("inquiries:attachments"),
    table("inquiries:questions"),
    table("inquiries:question_edit"),
    table("inquiries:preview"),
    # The secretariat's inquiry to 当別町: answering it.
    at("inquiries:detail", lambda w: w.open.pk),
    table("inquiries:answer"),
    table("inquiries:answer_submit"),
    table("inquiries:answer_versions"),
    table("inquiries:offline"),
    # 当別町's approved 調査依頼: following it and its results.
    at("inquiries:detail", lambda w: w.requested.pk),
    table("inquiries:progress"),
    table("inquiries:remind"),
    table("inquiries:close"),
    table("inquiries:publish"),
    table("inquiries:extend"),
    table("inquiries:compilation"),
    table("inquiries:compilation_matrix"),
    table("inquiries:compilation_question"),
    table("inquiries:compilation_compare"),
    Visit(
        "inquiries:compilation_compare",
        lambda w: TABLE["inquiries:compilation_compare"].url(w) + f"?other={w.published.pk}",
    ),
    table("inquiries:export_list"),
    table("polls:index"),
    at("polls:detail", lambda w: w.open_poll.pk),
    table("polls:detail"),
    table("polls:request"),
    table("announcements:list"),
    table("announcements:detail"),
    table("notifications"),
    table("forum:index"),
    table("forum:search"),
    table("forum:mine"),
    table("forum:preferences"),
    at("forum:board", lambda w: w.forum.board.pk),
]

REPRESENTATIVE = [
    table("home"),
    table("directory:organization_detail"),
    table("directory:organization_staff_manage"),
    table("directory:organization_contacts"),
    table("directory:person_edit"),
    table("directory:person_reassign"),
    table("directory:person_leave"),
    table("directory:user_deactivate"),
    table("directory:profile"),
    table("directory:organization_notification"),
    at("inquiries:detail", lambda w: w.open.pk),
    table("inquiries:answer"),
    table("inquiries:answer_confirm"),
]

BOARD = [
    at("inquiries:detail", lambda w: w.requested.pk),
    at("inquiries:answer", lambda w: w.requested.pk),
    at("inquiries:answer_versions", lambda w: w.requested.pk),
    at("polls:detail", lambda w: w.closed_poll.pk),
    # The 役員会's private board of the e-conference room.
    table("forum:board"),
    table("forum:thread"),
    table("forum:reply"),
    table("forum:thread_new"),
    table("forum:post_edit"),
    table("forum:post_history"),
    table("forum:report"),
    # The 役員会's mailing list.
    table("lists:index"),
    table("lists:archive"),
    table("lists:thread"),
    table("lists:message"),
    table("lists:post"),
    table("lists:reply"),
    table("lists:receiving"),
]

SECRETARIAT = [
    table("home"),
    table("events:create"),
    table("events:edit"),
    table("events:program"),
    table("events:publish"),
    table("events:cancel"),
    table("events:detail"),
    table("events:material_add"),
    table("events:material_delete"),
    table("events:registrations"),
    table("events:sign_in_sheet"),
    table("events:check_in_scan"),
    table("events:prospects"),
    table("events:questionnaire_create"),
    table("events:questionnaire"),
    table("events:questionnaire_open"),
    table("events:questionnaire_close"),
    table("events:questionnaire_results"),
    table("events:catalogue"),
    table("events:needs_questionnaire_create"),
    table("events:needs_questionnaire"),
    table("events:needs_questionnaire_open"),
    table("events:needs_questionnaire_close"),
    table("events:needs_questionnaire_results"),
    table("directory:manage_index"),
    table("directory:manage_organization_new"),
    table("directory:manage_organization_edit"),
    table("directory:manage_membership"),
    table("directory:manage_person_new"),
    table("directory:manage_person_transfer"),
    table("directory:manage_groups"),
    table("directory:manage_group"),
    table("directory:manage_invitations"),
    table("directory:organization_detail"),
    table("directory:organization_staff_manage"),
    table("directory:organization_notification"),
    table("directory:person_detail"),
    table("portal:audit_events"),
    table("portal:outbox"),
    table("portal:login_waits"),
    at("mfa_index"),
    Visit(
        "mfa_generate_recovery_codes",
        lambda w: reverse("mfa_generate_recovery_codes"),
        before=reauthenticate,
    ),
    table("inquiries:list", "?tab=all"),
    table("inquiries:list", "?tab=review"),
    table("inquiries:review"),
    table("inquiries:open"),
    at("inquiries:detail", lambda w: w.review.pk),
    at("inquiries:detail", lambda w: w.requested.pk),
    table("inquiries:proxy_answer"),
    table("inquiries:proxy_submit"),
    table("inquiries:proxy_versions"),
    table("inquiries:progress"),
    table("inquiries:answer_links_revoke"),
    table("inquiries:answer_link_reissue"),
    table("inquiries:compilation"),
    table("inquiries:export_detail"),
    table("polls:index"),
    table("polls:queue"),
    table("polls:create"),
    table("polls:edit"),
    table("polls:close"),
    table("polls:detail"),
    table("announcements:manage_list"),
    table("announcements:manage_create"),
    table("announcements:manage_detail"),
    table("announcements:manage_edit"),
    table("announcements:manage_delete"),
    table("announcements:manage_publish"),
    table("announcements:manage_schedule"),
    table("announcements:delivery"),
    table("announcements:delivery_resend"),
    table("announcements:external"),
    table("forum:thread"),
    table("forum:board_new"),
    table("forum:board_edit"),
    table("forum:thread_moderate"),
    table("forum:thread_move"),
    table("forum:post_hide"),
    table("forum:reports"),
    table("lists:new"),
    table("lists:edit"),
    table("lists:held"),
    table("lists:decide"),
]

OBSERVER = [
    table("home"),
    table("directory:organization_list"),
    table("directory:organization_detail"),
    table("directory:membership_status"),
    table("inquiries:list"),
    at("inquiries:detail", lambda w: w.published.pk),
    at("inquiries:compilation", lambda w: w.published.pk),
    at("inquiries:compilation_matrix", lambda w: w.published.pk),
    table("polls:index"),
    at("polls:detail", lambda w: w.open_poll.pk),
    table("accounts:settings"),
    table("forum:index"),
]

SWEEP = {
    "anonymous": ANONYMOUS,
    "staff": STAFF,
    "representative": REPRESENTATIVE,
    "board": BOARD,
    "secretariat": SECRETARIAT,
    "observer": OBSERVER,
}


def test_sweep_visits_every_page_pattern():
    pages = {
        name for name, entry in TABLE.items() if 200 in entry.get.values() and name not in NOT_PAGES
    }
    visited = {visit.name for visits in SWEEP.values() for visit in visits}
    missing = sorted(pages - visited)
    assert not missing, f"page patterns no role visits in the sweep: {missing}"


def page_problems(page: Page, path: str) -> list[str]:
    """Return the page's serious axe findings and whether it scrolls sideways at 320 px."""
    page.set_viewport_size(WIDE)
    problems = [f"{path}: {violation}" for violation in serious_violations(page)]
    page.set_viewport_size(NARROW)
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if widths[0] > widths[1]:
        problems.append(f"{path}: scrolls sideways at 320px ({widths[0]} > {widths[1]})")
    page.set_viewport_size(WIDE)
    return problems


def log_in(page: Page, world: World, role: str) -> list[str]:
    """Log in through the real forms; check the secretariat's TOTP step on the way."""
    user = world.council.users_by_role()[role]
    login(page, username=user.username, password=PASSWORD)
    problems = []
    if role == "secretariat":
        authenticate = reverse("mfa_authenticate")
        assert page.url == page.base_url + authenticate, "no TOTP step for the secretariat"
        problems = page_problems(page, authenticate)
        code = totp_code(world.totp_secret)
        page.locator("input[name=code]").fill(code)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
    assert page.url == page.base_url + "/", f"{role} did not get past the login"
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", list(SWEEP))
def test_pages_are_accessible_and_fit_320px(page, role):
    world = build_world()
    problems = log_in(page, world, role) if role != "anonymous" else []

    for visit in SWEEP[role]:
        path = visit.url(world)
        if visit.before is not None:
            visit.before(page, path)
        response = page.goto(page.base_url + path)
        if response is None or response.status != 200:
            problems.append(f"{path}: answered {response and response.status}")
        elif response.request.redirected_from is not None:
            problems.append(f"{path}: redirected to {page.url}")
        else:
            problems += page_problems(page, path)
    assert not problems, "\n".join(problems)
