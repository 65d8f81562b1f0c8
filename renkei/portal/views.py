"""The member home page: one's organization, colleagues and what is new across features."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from renkei.core.feeds import feed_items
from renkei.directory.permissions import can_view_contacts
from renkei.directory.selectors import affiliation_of, organization_staff
from renkei.portal.feeds import home_inquiry_items
from renkei.portal.selectors import inquiries_to_answer_rows, whats_new

FEED_HOME_ITEMS = 8
FEED_PER_PAGE = 30
# The list goes back this many pages; older news is found in each feature's own pages.
FEED_MAX_PAGES = 10


# People named in the home page's 所属団体 card before 「職員をすべて見る」.
HOME_STAFF = 10


def home(request: HttpRequest) -> HttpResponse:
    """Show the member home page."""
    affiliation = affiliation_of(user=request.user)
    organization = affiliation.organization
    # A city has hundreds of staff: the card names the first few and links the full list.
    staff = (
        list(
            organization_staff(organization=organization).values("name", "title")[: HOME_STAFF + 1]
        )
        if organization is not None and can_view_contacts(request.user)
        else []
    )
    # The 回答依頼中の照会 card's rows are also the feed's 回答依頼 items: read once.
    to_answer = inquiries_to_answer_rows(user=request.user)
    feed = feed_items(
        user=request.user,
        affiliation=affiliation,
        limit=FEED_HOME_ITEMS,
        skip={"inquiries"},
        extra=home_inquiry_items(user=request.user, to_answer=to_answer, limit=FEED_HOME_ITEMS),
    )
    return render(
        request,
        "portal/home.html",
        {
            "organization": organization,
            "staff": staff[:HOME_STAFF],
            "more_staff": len(staff) > HOME_STAFF,
            "sections": whats_new(user=request.user, to_answer=to_answer),
            "feed": feed,
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
            "unread": sum(item.unread for item in page.object_list),
            "nav": "home",
            "breadcrumbs": [("ホーム", reverse("home")), ("お知らせ一覧", None)],
        },
    )


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """Answer load balancers and uptime checks."""
    return HttpResponse("ok", content_type="text/plain")
