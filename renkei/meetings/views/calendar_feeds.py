"""Calendar files: one meeting's .ics, the user's meetings and their personal feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.permissions import Capability, has_capability
from renkei.core.links import absolute_url
from renkei.directory.permissions import require
from renkei.meetings import selectors, services
from renkei.meetings.calendars import calendar_bytes
from renkei.meetings.models import CalendarFeed
from renkei.meetings.permissions import get_meeting_for
from renkei.meetings.views.common import crumbs


def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """Send one meeting as a calendar file."""
    meeting = get_meeting_for(request.user, pk)
    response = HttpResponse(
        calendar_bytes([meeting], name=meeting.title), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def my_calendar(request: HttpRequest) -> HttpResponse:
    """Show the user's meetings and the address of their calendar feed; POST issues a new one."""
    require(request.user, Capability.VIEW_MEETINGS)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    if request.method == "POST":
        feed = services.feed_issue(by=request.user, request=request)
        messages.success(
            request, "予定表の配信用アドレスを発行しました。以前のアドレスは使えなくなりました。"
        )
        return redirect("meetings:my_calendar")
    return render(
        request,
        "meetings/my_calendar.html",
        {
            "nav": "meetings",
            "feed_url": absolute_url(reverse("meetings:feed", args=[feed.token])) if feed else "",
            "meetings": list(
                selectors.meetings_of_person(user=request.user).filter(
                    starts_at__gte=timezone.now() - timezone.timedelta(days=90)
                )[:100]
            ),
            "breadcrumbs": crumbs(("自分の会議予定", None)),
        },
    )


@login_not_required
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """Serve a person's meetings to a calendar program; the secret address is the key."""
    entry = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if (
        entry is None
        or not entry.user.is_active
        or not has_capability(entry.user, Capability.VIEW_MEETINGS)
    ):
        raise Http404("この予定表は見つかりません。")
    meetings = selectors.meetings_of_person(user=entry.user)
    return HttpResponse(
        calendar_bytes(meetings, name="会議予定"), content_type="text/calendar; charset=utf-8"
    )
