"""What the inquiry pages share: breadcrumbs, refusals, the confirmation page."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from renkei.core.breadcrumbs import section_crumbs
from renkei.inquiries.models import Inquiry
from renkei.inquiries.services.errors import InquiryError


def crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    """Return the breadcrumbs under the inquiry list (the list itself without items)."""
    return section_crumbs("照会", "inquiries:list", *items)


def inquiry_crumbs(inquiry: Inquiry, *items: tuple[str, str | None]) -> list:
    """Return the breadcrumbs under an inquiry's page."""
    return crumbs((inquiry.title, reverse("inquiries:detail", args=[inquiry.pk])), *items)


def detail_redirect(inquiry: Inquiry) -> HttpResponse:
    """Send the browser back to the inquiry's page."""
    return redirect("inquiries:detail", pk=inquiry.pk)


def refuse(request: HttpRequest, error: InquiryError) -> None:
    """Show a service's refusal as an error message (new views use core.refusals instead)."""
    messages.error(request, error.message)


def confirm_page(
    request: HttpRequest,
    inquiry: Inquiry,
    *,
    heading: str,
    message: str,
    button: str,
    danger: bool,
    details: list[str] | None = None,
    **extra: Any,
) -> HttpResponse:
    """Render the confirmation step of an irreversible action, naming its consequences."""
    return render(
        request,
        "inquiries/confirm.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "heading": heading,
            "message": message,
            "details": details or [],
            "button": button,
            "danger": danger,
            "breadcrumbs": inquiry_crumbs(inquiry, (heading, None)),
            **extra,
        },
    )


def url_if_exists(name: str, inquiry: Inquiry) -> str:
    """Return the address of a page written separately (compilation, offline), if it exists."""
    try:
        return reverse(name, args=[inquiry.pk])
    except NoReverseMatch:
        return ""


def confirmed(request: HttpRequest) -> bool:
    """Tell whether the request is the confirmation page's own POST (its confirm field)."""
    return request.method == "POST" and request.POST.get("confirm") == "yes"


def results_crumbs(
    inquiry: Inquiry, *items: tuple[str, str | None]
) -> list[tuple[str, str | None]]:
    """Return the breadcrumbs of the results pages (summary, matrix, exports, offline)."""
    return [
        ("ホーム", reverse("home")),
        (inquiry.title, reverse("inquiries:detail", args=[inquiry.pk])),
        *items,
    ]
