"""What the meeting pages share: breadcrumbs, a number from the query string, the
confirmation step and the form page of a step on a meeting."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from renkei.core.breadcrumbs import section_crumbs
from renkei.meetings.models import Meeting

PAGE_SIZE = 50


def crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    """Return the breadcrumbs under the meeting list (the list itself without items)."""
    return section_crumbs("会議", "meetings:list", *items)


def int_or_none(value: str | None) -> int | None:
    """Return a query-string value as a number, or None when it is empty or not a number."""
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def confirm_page(
    request: HttpRequest,
    *,
    meeting: Meeting,
    heading: str,
    message: str,
    button: str,
    crumb: str,
    form: Any = None,
    of_minutes: bool = False,
) -> HttpResponse:
    """Render the confirmation of a step on the meeting or its minutes, naming what it does."""
    back = reverse("meetings:detail", args=[meeting.pk])
    trail = [(meeting.title, back)]
    if of_minutes:
        back = reverse("meetings:minutes", args=[meeting.pk])
        trail.append(("会議録", back))
    return render(
        request,
        "meetings/confirm.html",
        {
            "nav": "meetings",
            "meeting": meeting,
            "heading": heading,
            "form": form,
            "message": message,
            "button": button,
            "back": back,
            "breadcrumbs": crumbs(*trail, (crumb, None)),
        },
    )


def meeting_form_page(
    request: HttpRequest,
    form: Any,
    *,
    meeting: Meeting,
    heading: str,
    crumb: str = "",
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """Render the form of a step on the meeting, under the meeting in the breadcrumbs."""
    trail = (meeting.title, reverse("meetings:detail", args=[meeting.pk]))
    return render(
        request,
        "meetings/form.html",
        {
            "nav": "meetings",
            "form": form,
            "heading": heading,
            "meeting": meeting,
            "breadcrumbs": crumbs(trail, (crumb or heading, None)),
            **extra,
        },
        status=status,
    )
