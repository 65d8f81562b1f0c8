"""The member home page: one's organization, colleagues and what is new across features."""

import html

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from renkei.core.feeds import FeedItem, feed_items
from renkei.core.wareki import format_datetime
from renkei.directory.permissions import can_view_contacts
from renkei.directory.selectors import affiliation_of, organization_staff
from renkei.portal.selectors import whats_new

FEED_HOME_ITEMS = 8
FEED_PER_PAGE = 30
# The list goes back this many pages; older news is found in each feature's own pages.
FEED_MAX_PAGES = 10


def home(request: HttpRequest) -> HttpResponse:
    """Show the member home page."""
    affiliation = affiliation_of(user=request.user)
    organization = affiliation.organization
    staff = (
        organization_staff(organization=organization).values("name", "title")
        if organization is not None and can_view_contacts(request.user)
        else []
    )
    feed = feed_items(user=request.user, affiliation=affiliation, limit=FEED_HOME_ITEMS)
    return render(
        request,
        "portal/home.html",
        {
            "organization": organization,
            "staff": staff,
            "sections": whats_new(user=request.user),
            "feed": feed,
            "feed_rows": _feed_rows(feed, line_break=False),
            "nav": "home",
        },
    )


def notifications(request: HttpRequest) -> HttpResponse:
    """List what is new for the user across features, newest first (works without e-mail)."""
    # Every provider is asked for enough items to fill the pages up to the one shown.
    page_number = request.GET.get("page", "1")
    wanted = int(page_number) if page_number.isdigit() else 1
    wanted = min(max(wanted, 1), FEED_MAX_PAGES)
    items = feed_items(
        user=request.user,
        affiliation=affiliation_of(user=request.user),
        limit=FEED_PER_PAGE * wanted + 1,
    )
    page = Paginator(items, FEED_PER_PAGE).get_page(wanted)
    return render(
        request,
        "portal/notifications.html",
        {
            "page": page,
            "feed_rows": _feed_rows(page.object_list, line_break=True),
            "unread": sum(item.unread for item in page.object_list),
            "nav": "home",
            "breadcrumbs": [("ホーム", reverse("home")), ("お知らせ一覧", None)],
        },
    )


def _e(value: object) -> str:
    return html.escape(str(value))


def _feed_rows(items: list[FeedItem], *, line_break: bool) -> SafeString:
    """Draw feed items as list rows (the list pages line-break before the time and note).

    Drawn here rather than in a template loop, as the forum's thread rows are: per-item
    template nodes cost more than the page's queries. Every text goes through the standard
    library's html.escape, which Django's escape wraps for lazy strings.
    """
    separator = "<br>" if line_break else " "
    rows = []
    for item in items:
        if item.unread:
            opening = '<li class="feed-unread"><span class="badge badge--new">未読</span> '
        else:
            opening = "<li>"
        note = f"・{_e(item.note)}" if item.note else ""
        rows.append(
            f'{opening}<span class="badge">{_e(item.kind)}</span> '
            f'<a href="{_e(item.url)}">{_e(item.title)}</a>{separator}'
            f'<span class="muted">{_e(format_datetime(item.at))}{note}</span></li>'
        )
    return mark_safe("\n".join(rows))


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """Answer load balancers and uptime checks."""
    return HttpResponse("ok", content_type="text/plain")
