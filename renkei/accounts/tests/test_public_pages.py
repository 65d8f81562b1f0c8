"""Which pages a visitor reaches without logging in: a decision each view makes in code."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Every view reachable without logging in, by module and name. A new public page must be added
# here on purpose; anything else sends an anonymous visitor to the login page.
PUBLIC_VIEWS = {
    ("renkei.portal.views", "healthz"),
    ("renkei.directory.views.invitations", "invitation_accept"),
    # A person's calendar feed (secret token address) and minutes published to everyone.
    ("renkei.meetings.views.calendar_feeds", "feed"),
    ("renkei.meetings.views.minutes", "public_minutes"),
    ("renkei.accounts.views", "admin_login"),
    ("django.contrib.admin.sites", "login"),
    # An organization's answer link: the signed token, then the narrow session it starts.
    ("renkei.inquiries.views.answer_links", "answer_link_open"),
    ("renkei.inquiries.views.answer_links", "answer_link_answer"),
    ("renkei.inquiries.views.answer_links", "answer_link_conditions"),
    ("renkei.inquiries.views.answer_links", "answer_link_submit"),
    ("renkei.inquiries.views.answer_links", "answer_link_end"),
    # A seminar open to non-members, and each registrant's own link (the token is the key).
    ("renkei.events.views.registration", "public_apply"),
    ("renkei.events.views.registration", "registration_confirm"),
    ("renkei.events.views.registration", "registration_page"),
    ("renkei.events.views.registration", "registration_cancel_by_link"),
    ("renkei.events.views.registration", "registration_ics"),
    ("renkei.events.views.questionnaire_answers", "questionnaire_answer_by_link"),
    ("renkei.events.views.materials", "material_download_by_link"),
    # A newsletter's signed unsubscribe link (RFC 8058 one-click POST from mail clients).
    ("renkei.announcements.views", "unsubscribe"),
}
# allauth marks its own login, password-reset and sign-up pages (sign-up is closed).
PUBLIC_MODULE_PREFIXES = ("allauth.",)


def _views(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def _is_public(callback) -> bool:
    return not getattr(callback, "login_required", True)


def test_only_the_listed_views_are_public():
    public = {
        (path, callback.__module__, getattr(callback, "__name__", ""))
        for path, callback in _views(get_resolver())
        if _is_public(callback)
    }
    unexpected = {
        entry
        for entry in public
        if (entry[1], entry[2]) not in PUBLIC_VIEWS
        and not entry[1].startswith(PUBLIC_MODULE_PREFIXES)
    }
    assert unexpected == set()


@pytest.mark.parametrize(
    "url",
    ["/", "/accounts/settings/", "/inquiries/", "/polls/", "/organizations/", "/admin/"],
)
def test_anonymous_visitor_is_sent_to_the_login_page(client, db, url):
    response = client.get(url, follow=True)
    assert response.redirect_chain, url
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))


def test_admin_login_page_is_the_sites_login(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"


def test_admin_login_does_not_forward_to_another_site(client, db):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == reverse("account_login")


def test_health_check_and_login_page_need_no_login(client, db):
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("account_login")).status_code == 200
